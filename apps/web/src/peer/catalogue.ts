/**
 * The catalogue: designs this browser knows (its own index) merged with its hub's catalogue,
 * searched as people type, and arranged as a tree (forks under their upstream). Pure functions.
 */
import { matchesPlace, type NeedsSummary } from '@cosmolocal/core'

export interface CatalogueItem {
  /** automerge: URL of the design. */
  url: string
  title: string
  summary: string
  tags: string[]
  materials: string[]
  forkedFrom: string | null
  maintainers: string[]
  /** The documents it is made of (governance, content, inbox), when this browser holds it. */
  documents?: string[]
  // ---- for cards, filters and search; absent where not known (an older hub, a fork pointer) ----
  licenses?: { hardware: string | null; documentation: string | null; software: string | null }
  bomNames?: string[]
  /** Newest signed record's time (ms), as its author claimed. */
  lastChange?: number
  /** The file the card shows: the first photo, or the first STL (rendered once, cached). */
  thumbnail?: Thumbnail | null
  forks?: number
  proposals?: number
  /** Display names by id, as the design's verified records sign them (self-asserted). */
  names?: Record<string, string>
  /** Who made it (the author of its genesis), when known. */
  creator?: string
  /** Where it is adapted for (free text) and its ISO 3166 code. */
  place?: string
  placeCode?: string | null
  /** Its needs' counts and labels, as the hub's catalogue says (a hint: the board verifies each). */
  needs?: NeedsSummary
  /** How many build reports it has, as the hub counted. */
  makes?: number
  /** Where it is known from. */
  local: boolean
  hub: boolean
}

export interface Thumbnail {
  name: string
  hash: string
  root: string
  size: number
  mediaType: string
  kind: 'photo' | 'mesh'
}

export interface CatalogueNode {
  item: CatalogueItem
  forks: CatalogueNode[]
}

export const toUrl = (id: string) => (id.startsWith('automerge:') ? id : `automerge:${id}`)
export const toId = (url: string) => url.replace(/^automerge:/, '')

/** Merges lists, one item per design; locally known details win, `hub`/`local` flags are or-ed. */
export function mergeItems(...lists: CatalogueItem[][]): CatalogueItem[] {
  const out = new Map<string, CatalogueItem>()
  for (const list of lists) {
    for (const item of list) {
      const old = out.get(item.url)
      if (old === undefined) {
        out.set(item.url, { ...item })
        continue
      }
      const richer = old.local ? old : item.local ? item : old
      const other = richer === old ? item : old
      // Counts come from whichever knows them (a hub counts forks and proposals it holds).
      out.set(item.url, {
        ...richer,
        forks: richer.forks ?? other.forks,
        proposals: richer.proposals ?? other.proposals,
        needs: richer.needs ?? other.needs,
        makes: richer.makes ?? other.makes,
        place: richer.place ?? other.place,
        placeCode: richer.placeCode ?? other.placeCode,
        local: old.local || item.local,
        hub: old.hub || item.hub,
      })
    }
  }
  return [...out.values()]
}

/** Every word of the query must match the title, a tag, a material or the summary. */
export function matches(item: CatalogueItem, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '')
  if (words.length === 0) return true
  const haystack = [item.title, item.summary, item.place ?? '', ...item.tags, ...item.materials].map((s) => s.toLowerCase())
  return words.every((w) => haystack.some((h) => h.includes(w)))
}

/**
 * Forks under their upstream. A fork that matches is shown with its upstream chain even when the
 * upstream does not match (so it is never orphaned); a fork whose upstream is unknown is a root.
 */
export function catalogueTree(items: CatalogueItem[], query = ''): CatalogueNode[] {
  const byUrl = new Map(items.map((i) => [i.url, i]))
  const visible = new Set<string>()
  for (const item of items) {
    if (!matches(item, query)) continue
    let cur: CatalogueItem | undefined = item
    const seen = new Set<string>()
    while (cur !== undefined && !seen.has(cur.url)) {
      seen.add(cur.url)
      visible.add(cur.url)
      cur = cur.forkedFrom === null ? undefined : byUrl.get(cur.forkedFrom)
    }
  }
  const nodes = new Map<string, CatalogueNode>()
  for (const url of visible) nodes.set(url, { item: byUrl.get(url)!, forks: [] })
  const roots: CatalogueNode[] = []
  for (const node of nodes.values()) {
    const parent = node.item.forkedFrom === null ? undefined : nodes.get(node.item.forkedFrom)
    if (parent !== undefined && parent !== node) parent.forks.push(node)
    else roots.push(node)
  }
  const sort = (list: CatalogueNode[]) => {
    list.sort((a, b) => a.item.title.localeCompare(b.item.title))
    for (const n of list) sort(n.forks)
  }
  sort(roots)
  return roots
}

// ---- the card grid: sort, filters ------------------------------------------------------------

export type CatalogueSort = 'relevance' | 'recent' | 'name'

export interface CatalogueFilter {
  tag: string | null
  licence: string | null
  material: string | null
  /** Designs adapted for a place: an ISO 3166 code or words of the place (core's matchesPlace). */
  place: string | null
}

export const NO_FILTER: CatalogueFilter = { tag: null, licence: null, material: null, place: null }

const licencesOf = (item: CatalogueItem) => Object.values(item.licenses ?? {}).filter((l): l is string => l !== null)

/** The values the filters offer: every tag, licence and material the items have, sorted. */
export function facets(items: readonly CatalogueItem[]): { tags: string[]; licences: string[]; materials: string[] } {
  const collect = (pick: (i: CatalogueItem) => string[]) => [...new Set(items.flatMap(pick))].sort((a, b) => a.localeCompare(b))
  return { tags: collect((i) => i.tags), licences: collect(licencesOf), materials: collect((i) => i.materials) }
}

export function passes(item: CatalogueItem, f: CatalogueFilter): boolean {
  return (
    (f.tag === null || item.tags.includes(f.tag)) &&
    (f.licence === null || licencesOf(item).includes(f.licence)) &&
    (f.material === null || item.materials.includes(f.material)) &&
    (f.place === null || f.place.trim() === '' || matchesPlace({ place: item.place ?? '', placeCode: item.placeCode ?? null }, f.place))
  )
}

/**
 * The grid's cards: filtered, then ranked (`ranked` is the search's order, null when nothing is
 * searched) or sorted by last change (newest first, unknown last) or by name.
 */
export function arrange(items: readonly CatalogueItem[], filter: CatalogueFilter, sort: CatalogueSort, ranked: readonly string[] | null): CatalogueItem[] {
  let list = items.filter((i) => passes(i, filter))
  if (ranked !== null) {
    const rank = new Map(ranked.map((url, i) => [url, i]))
    list = list.filter((i) => rank.has(i.url))
    if (sort === 'relevance') return list.sort((a, b) => rank.get(a.url)! - rank.get(b.url)!)
  }
  const byName = (a: CatalogueItem, b: CatalogueItem) => a.title.localeCompare(b.title) || a.url.localeCompare(b.url)
  if (sort === 'name') return list.sort(byName)
  return list.sort((a, b) => (b.lastChange ?? -1) - (a.lastChange ?? -1) || byName(a, b))
}
