/** Markdown rendered with marked and sanitised with DOMPurify before it reaches the page. */
import DOMPurify from 'dompurify'
import { marked } from 'marked'
import { createMemo } from 'solid-js'

export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true })
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } })
}

export function Markdown(props: { source: string }) {
  const html = createMemo(() => renderMarkdown(props.source))
  return <div class="markdown" innerHTML={html()} />
}
