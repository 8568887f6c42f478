/** The designs this browser knows, with what search needs (title, tags, materials): localStorage. */
import type { VerifiedDesign } from '@cosmolocal/core'
import type { CatalogueItem } from './catalogue.js'
import type { CatalogueEntry } from './hub.js'
import { toUrl } from './catalogue.js'

export const LIBRARY_KEY = 'cosmolocal/library'

export function loadLibrary(storage: Storage = localStorage): CatalogueItem[] {
  try {
    const raw = JSON.parse(storage.getItem(LIBRARY_KEY) ?? '[]') as unknown
    return Array.isArray(raw) ? (raw as CatalogueItem[]) : []
  } catch {
    return []
  }
}

export function itemFromDesign(d: VerifiedDesign): CatalogueItem {
  return {
    url: d.url,
    title: d.content.title,
    summary: d.content.summary,
    tags: d.content.tags,
    materials: [...new Set(d.content.bom.map((r) => r.material).filter((m) => m !== ''))],
    forkedFrom: d.forkedFrom?.url ?? null,
    maintainers: d.state.maintainers,
    documents: [d.id, d.contentId, d.inboxId],
    local: true,
    hub: false,
  }
}

export function itemFromEntry(e: CatalogueEntry): CatalogueItem {
  return {
    url: toUrl(e.design),
    title: e.title,
    summary: '',
    tags: [],
    materials: [],
    forkedFrom: e.forkedFrom === null ? null : toUrl(e.forkedFrom),
    maintainers: e.maintainers,
    local: false,
    hub: true,
  }
}

/** Records (or refreshes) a design this browser holds. */
export function remember(d: VerifiedDesign, storage: Storage = localStorage): void {
  const item = itemFromDesign(d)
  const list = loadLibrary(storage).filter((i) => i.url !== item.url)
  list.push(item)
  storage.setItem(LIBRARY_KEY, JSON.stringify(list))
}
