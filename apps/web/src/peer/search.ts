/**
 * Catalogue search with MiniSearch: ranked (BM25), word prefixes ("weav" finds weaving), light
 * typo tolerance (one wrong letter in a word of four or more), and plurals folded to one term on
 * both sides ("looms" finds a loom). Over title, summary, tags, BOM part names and materials;
 * every word of the query must match somewhere.
 */
import MiniSearch from 'minisearch'
import type { CatalogueItem } from './catalogue.js'

const FIELDS = ['title', 'summary', 'tags', 'bomNames', 'materials'] as const

/** English plurals to their singular, roughly: enough that "looms", "boxes", "batteries" meet "loom", "box", "battery". */
export function singular(term: string): string {
  if (term.length > 4 && term.endsWith('ies')) return `${term.slice(0, -3)}y`
  if (term.length > 4 && /(?:ss|x|z|ch|sh)es$/.test(term)) return term.slice(0, -2)
  if (term.length > 3 && term.endsWith('s') && !/(?:ss|us|is)$/.test(term)) return term.slice(0, -1)
  return term
}

const processTerm = (term: string) => {
  const t = term.toLowerCase()
  return t === '' ? null : singular(t)
}

export interface CatalogueSearch {
  /** Item urls that match every word of `query`, best first. */
  search(query: string): string[]
}

export function searchIndex(items: readonly CatalogueItem[]): CatalogueSearch {
  const index = new MiniSearch<CatalogueItem>({
    idField: 'url',
    fields: [...FIELDS],
    extractField: (doc, field) => {
      const v = (doc as unknown as Record<string, unknown>)[field]
      return Array.isArray(v) ? v.join(' ') : typeof v === 'string' ? v : ''
    },
    processTerm,
    searchOptions: {
      boost: { title: 3, tags: 2, materials: 1.5 },
      prefix: (term) => term.length >= 2,
      fuzzy: (term) => (term.length >= 4 ? 0.25 : false),
      maxFuzzy: 2,
      combineWith: 'AND',
    },
  })
  index.addAll(items.filter((item, i) => items.findIndex((x) => x.url === item.url) === i))
  return {
    search: (query) => (query.trim() === '' ? [] : index.search(query).map((r) => r.id as string)),
  }
}
