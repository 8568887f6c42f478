/** The designs this browser knows, with what search needs (title, tags, materials): localStorage. */
import type { FileRef, VerifiedDesign } from '@cosmolocal/core'
import type { CatalogueItem, Thumbnail } from './catalogue.js'
import type { CatalogueEntry } from './hub.js'
import { toUrl } from './catalogue.js'
import { MAX_LIBRARY_BOM_NAMES } from '../limits.js'
import { LIBRARY_KEY } from './storage-ahead.js'

export { LIBRARY_KEY }

export function loadLibrary(storage: Storage = localStorage): CatalogueItem[] {
  try {
    const raw = JSON.parse(storage.getItem(LIBRARY_KEY) ?? '[]') as unknown
    return Array.isArray(raw) ? (raw as CatalogueItem[]) : []
  } catch {
    return []
  }
}


/** The card's file: the first photo, else the first STL mesh (the same rule as the hub's catalogue). */
export function thumbnailOf(files: readonly FileRef[]): Thumbnail | null {
  const photo = files.find((f) => f.role === 'photo' && f.mediaType.startsWith('image/') && f.mediaType !== 'image/svg+xml')
  const mesh = files.find((f) => f.role === 'mesh' && (f.mediaType === 'model/stl' || f.name.toLowerCase().endsWith('.stl')))
  const f = photo ?? mesh
  return f === undefined ? null : { name: f.name, hash: f.hash, root: f.root, size: f.size, mediaType: f.mediaType, kind: f === photo ? 'photo' : 'mesh' }
}

export function itemFromDesign(d: VerifiedDesign, counts: { forks?: number; proposals?: number } = {}): CatalogueItem {
  const names: Record<string, string> = {}
  for (const m of new Set([...d.state.maintainers, d.state.genesis.body.author])) {
    const n = d.names.get(m)
    if (n !== null) names[m] = n
  }
  return {
    url: d.url,
    title: d.content.title,
    summary: d.content.summary,
    tags: d.content.tags,
    materials: [...new Set(d.content.bom.map((r) => r.material).filter((m) => m !== ''))],
    forkedFrom: d.forkedFrom?.url ?? null,
    maintainers: d.state.maintainers,
    documents: [d.id, d.contentId, d.inboxId],
    licenses: { ...d.content.licenses },
    bomNames: d.content.bom.slice(0, MAX_LIBRARY_BOM_NAMES).map((r) => r.name),
    lastChange: d.state.lastChange,
    thumbnail: thumbnailOf(d.content.files),
    ...counts,
    names,
    creator: d.state.genesis.body.author,
    place: d.content.place,
    placeCode: d.content.placeCode,
    local: true,
    hub: false,
  }
}

export function itemFromEntry(e: CatalogueEntry): CatalogueItem {
  return {
    url: toUrl(e.design),
    title: e.title,
    summary: e.summary ?? '',
    tags: e.tags ?? [],
    materials: e.materials ?? [],
    forkedFrom: e.forkedFrom === null ? null : toUrl(e.forkedFrom),
    maintainers: e.maintainers,
    licenses: e.licenses ?? { hardware: null, documentation: null, software: null },
    bomNames: e.bomNames ?? [],
    lastChange: e.lastChange,
    thumbnail: e.thumbnail ?? null,
    ...(e.forks === undefined ? {} : { forks: e.forks }),
    ...(e.proposals === undefined ? {} : { proposals: e.proposals }),
    names: e.names ?? {},
    ...(e.creator ? { creator: e.creator } : {}),
    ...(e.place === undefined ? {} : { place: e.place, placeCode: e.placeCode ?? null }),
    ...(e.needs === undefined ? {} : { needs: e.needs }),
    ...(e.makes === undefined ? {} : { makes: e.makes }),
    local: false,
    hub: true,
  }
}

/** Records (or refreshes) a design this browser holds. */
export function remember(d: VerifiedDesign, storage: Storage = localStorage, counts: { forks?: number; proposals?: number } = {}): void {
  const old = loadLibrary(storage)
  const before = old.find((i) => i.url === d.url)
  const item = itemFromDesign(d, { ...(before?.forks === undefined ? {} : { forks: before.forks }), ...(before?.proposals === undefined ? {} : { proposals: before.proposals }), ...counts })
  const list = old.filter((i) => i.url !== item.url)
  list.push(item)
  storage.setItem(LIBRARY_KEY, JSON.stringify(list))
}
