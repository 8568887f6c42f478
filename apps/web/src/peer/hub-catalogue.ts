/**
 * The hub's catalogue, read whole: `/api/catalogue` answers a page at a time, and each page that
 * has a next one names it in a `Link: <…>; rel="next"` header (the hub's http.ts). The pages are
 * followed one after the other until the last, within bounds a hostile answer cannot stretch: a
 * link is followed only to the page's own origin and catalogue path, a link to a page already read
 * (a loop) or from a page without designs ends the listing, and at most MAX_HUB_CATALOGUE_PAGES
 * pages and MAX_HUB_CATALOGUE_DESIGNS entries are read. A listing that stops early says why (`incomplete`, shown where the catalogue is, and
 * logged), never silently.
 */
import { HUB_CATALOGUE_PAGE_DESIGNS, MAX_HUB_CATALOGUE_DESIGNS, MAX_HUB_CATALOGUE_PAGES } from '../limits.js'
import type { CatalogueEntry } from './hub.js'

export interface HubCatalogue {
  entries: CatalogueEntry[]
  /** How many designs the hub says it lists (null when its pages do not say). */
  total: number | null
  /** Why the listing stopped before the hub's last page; null when it was read whole. */
  incomplete: string | null
}

const CATALOGUE_PATH = '/api/catalogue'

/**
 * The target of a `Link` header's rel="next" link, resolved against the page's URL; null when
 * there is none. (RFC 8288: links are `<target>; param=value…`, comma-separated; `rel` may list
 * several relation types.)
 */
export function nextLink(header: string | null, base: URL): URL | null {
  if (header === null) return null
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2] ?? '')
    const types = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/)
    if (!types.includes('next')) continue
    try {
      return new URL(m[1]!, base)
    } catch {
      return null
    }
  }
  return null
}

/** One page's designs and total, from either shape the hub answers (a page object, or a bare array on the first page of an older hub). */
function readPage(body: unknown): { designs: CatalogueEntry[]; total: number | null } {
  if (Array.isArray(body)) return { designs: body as CatalogueEntry[], total: null }
  const page = body as { designs?: unknown; total?: unknown } | null
  if (typeof page !== 'object' || page === null || !Array.isArray(page.designs)) throw new Error("the hub's catalogue answered something that is not a catalogue page")
  return { designs: page.designs as CatalogueEntry[], total: typeof page.total === 'number' && Number.isSafeInteger(page.total) && page.total >= 0 ? page.total : null }
}

/**
 * Every page of the hub's catalogue at `origin` (the page's own, normally). Throws when the first
 * page cannot be read (offline, the hub down); a later page that fails ends the listing, marked
 * incomplete. `pageSize` is how many designs a page is asked for (the hub may send fewer).
 */
export async function fetchHubCatalogue(origin = location.origin, options: { pageSize?: number } = {}): Promise<HubCatalogue> {
  // Offline, a request could only fail (and the browser logs each failed load as an error).
  if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new Error("offline: the hub's catalogue is not reachable, showing what this browser holds")
  const first = new URL(`${CATALOGUE_PATH}?limit=${options.pageSize ?? HUB_CATALOGUE_PAGE_DESIGNS}`, origin)
  const entries: CatalogueEntry[] = []
  // Pages already asked for, by cursor: a link back to one of them is a loop.
  const seen = new Set<string>()
  const key = (u: URL) => u.searchParams.get('cursor') ?? ''
  let total: number | null = null
  let incomplete: string | null = null
  let url = first
  for (let pages = 1; ; pages++) {
    seen.add(key(url))
    let res: Response
    let page: ReturnType<typeof readPage>
    try {
      res = await fetch(url)
      if (!res.ok) throw new Error(`the hub's catalogue answered ${res.status}`)
      page = readPage(await res.json())
    } catch (err) {
      if (pages === 1) throw err
      incomplete = `the hub's catalogue stopped answering after ${entries.length} designs (${(err as Error).message})`
      break
    }
    total = page.total ?? total
    const room = MAX_HUB_CATALOGUE_DESIGNS - entries.length
    entries.push(...page.designs.slice(0, room))
    const bounded = `only the first ${entries.length.toLocaleString('en')} designs of the hub's catalogue are listed here${total === null ? '' : ` (it lists ${total.toLocaleString('en')})`}`
    if (page.designs.length > room) {
      incomplete = bounded
      break
    }
    const next = nextLink(res.headers.get('link'), url)
    if (next === null) break
    if (next.origin !== first.origin || next.pathname !== CATALOGUE_PATH) {
      incomplete = `the hub's catalogue linked its next page elsewhere (${next.origin}${next.pathname}): not followed; ${entries.length} designs listed`
      break
    }
    if (seen.has(key(next)) || page.designs.length === 0) {
      incomplete = `the hub's catalogue linked to a page already read: ${entries.length} designs listed`
      break
    }
    if (pages >= MAX_HUB_CATALOGUE_PAGES) {
      incomplete = bounded
      break
    }
    url = next
  }
  if (incomplete !== null) console.warn(`Cosmolocal: ${incomplete}`)
  return { entries, total, incomplete }
}
