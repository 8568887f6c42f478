/**
 * A design's lineage from what this browser knows (its library, the hub's catalogue, the design's
 * inbox): the chain it was forked from, up to the root, and its forks below it, recursively. The
 * tree is the catalogue's own (forks under their upstream), so both pages agree.
 */
import { catalogueTree, mergeItems, type CatalogueItem, type CatalogueNode } from './catalogue.js'

export interface Lineage {
  /** The designs this one descends from, the root first; the closest upstream last. */
  ancestors: CatalogueItem[]
  /** Set when the chain leads to a design this browser has not seen: its URL. */
  unknownUpstream: string | null
  /** This design, its forks under it. */
  node: CatalogueNode
}

/** Forks known from a design's inbox: their URL and maintainer, titles unknown until opened. */
export function itemsFromForks(upstream: string, forks: { design: string; author: string }[]): CatalogueItem[] {
  return forks.map((f) => ({
    url: f.design,
    title: '',
    summary: '',
    tags: [],
    materials: [],
    forkedFrom: upstream,
    maintainers: [f.author],
    local: false,
    hub: false,
  }))
}

function find(nodes: CatalogueNode[], url: string, seen = new Set<CatalogueNode>()): CatalogueNode | undefined {
  for (const n of nodes) {
    if (seen.has(n)) continue
    seen.add(n)
    if (n.item.url === url) return n
    const inner = find(n.forks, url, seen)
    if (inner !== undefined) return inner
  }
  return undefined
}

export function lineageOf(lists: CatalogueItem[][], url: string): Lineage | null {
  const items = mergeItems(...lists)
  const byUrl = new Map(items.map((i) => [i.url, i]))
  const self = byUrl.get(url)
  if (self === undefined) return null
  const ancestors: CatalogueItem[] = []
  const seen = new Set([url])
  let unknownUpstream: string | null = null
  for (let up = self.forkedFrom; up !== null; ) {
    if (seen.has(up)) break // a cycle cannot happen with verified geneses; never loop on bad data
    seen.add(up)
    const item = byUrl.get(up)
    if (item === undefined) {
      unknownUpstream = up
      break
    }
    ancestors.unshift(item)
    up = item.forkedFrom
  }
  const node = find(catalogueTree(items), url) ?? { item: self, forks: [] }
  return { ancestors, unknownUpstream, node }
}
