/**
 * The catalogue: designs this browser knows (its own index) merged with its hub's catalogue,
 * searched as people type, and arranged as a tree (forks under their upstream). Pure functions.
 */
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
  /** Where it is known from. */
  local: boolean
  hub: boolean
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
      out.set(item.url, { ...richer, local: old.local || item.local, hub: old.hub || item.hub })
    }
  }
  return [...out.values()]
}

/** Every word of the query must match the title, a tag, a material or the summary. */
export function matches(item: CatalogueItem, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '')
  if (words.length === 0) return true
  const haystack = [item.title, item.summary, ...item.tags, ...item.materials].map((s) => s.toLowerCase())
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
