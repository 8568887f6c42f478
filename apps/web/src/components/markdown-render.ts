/**
 * Markdown to sanitised HTML: marked, then DOMPurify. Its own chunk (Markdown.tsx imports it when a
 * page first shows Markdown): a design without a readme or steps never loads either library, and
 * one with them renders its title first.
 */
import DOMPurify from 'dompurify'
import { Marked } from 'marked'

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
