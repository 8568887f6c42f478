/**
 * Markdown rendered with marked and sanitised with DOMPurify before it reaches the page. Headings
 * are moved down by `headingOffset` levels (at most h6), so that a readme's "# Title" nests below
 * the page's own title and section instead of competing with them.
 */
import DOMPurify from 'dompurify'
import { Marked } from 'marked'
import { createMemo } from 'solid-js'

const parsers = new Map<number, Marked>()
function parser(offset: number): Marked {
  let m = parsers.get(offset)
  if (m === undefined) {
    m = new Marked({
      gfm: true,
      walkTokens: (token) => {
        if (token.type === 'heading') token.depth = Math.min(6, token.depth + offset)
      },
    })
    parsers.set(offset, m)
  }
  return m
}

export function renderMarkdown(source: string, headingOffset = 0): string {
  const html = parser(headingOffset).parse(source, { async: false })
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } })
}

export function Markdown(props: { source: string; headingOffset?: number }) {
  const html = createMemo(() => renderMarkdown(props.source, props.headingOffset ?? 0))
  return <div class="markdown" innerHTML={html()} />
}
