/**
 * Markdown rendered with marked and sanitised with DOMPurify before it reaches the page. Headings
 * are moved down by `headingOffset` levels (at most h6), so that a readme's "# Title" nests below
 * the page's own title and section instead of competing with them.
 *
 * The renderer is loaded the first time Markdown is shown (markdown-render.ts); until it is here
 * (a moment, once per visit) the block is empty, and nothing unsanitised ever reaches the page.
 */
import { createMemo, createSignal } from 'solid-js'

type Render = (source: string, headingOffset: number) => string
const [renderer, setRenderer] = createSignal<Render | undefined>()
let loading: Promise<void> | null = null
function loadRenderer(): void {
  loading ??= import('./markdown-render.js').then(
    (m) => {
      setRenderer(() => m.renderMarkdown)
    },
    () => {
      // The chunk did not load (offline before the service worker cached it): asked again next time.
      loading = null
    },
  )
}

export function Markdown(props: { source: string; headingOffset?: number }) {
  loadRenderer()
  const html = createMemo(() => renderer()?.(props.source, props.headingOffset ?? 0) ?? '')
  return <div class="markdown" innerHTML={html()} />
}
