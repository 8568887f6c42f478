/**
 * What one catalogue entry says about a verified design, beyond its identity: what cards and
 * search need (summary, licences, tags, BOM names and materials, a thumbnail file, counts, the
 * maintainers' display names). Pure: built from the verified design and its verified inbox only.
 */
import type { FileRef, VerifiedDesign, VerifiedInbox } from '@cosmolocal/core'
import { MAX_CATALOGUE_BOM_TERMS } from './limits.js'
import type { CatalogueThumbnail } from './protocols.js'

export interface CatalogueDetails {
  summary: string
  licenses: { hardware: string | null; documentation: string | null; software: string | null }
  tags: string[]
  /** BOM row names, in BOM order, at most MAX_CATALOGUE_BOM_TERMS. */
  bomNames: string[]
  /** Distinct BOM materials, at most MAX_CATALOGUE_BOM_TERMS. */
  materials: string[]
  /** The first photo, or else the first STL mesh (a client renders a view of it). */
  thumbnail: CatalogueThumbnail | null
  /** Forks and proposals the design's verified inbox points to. */
  forks: number
  proposals: number
  /** Display names of the maintainers, from the design's verified records (self-asserted). */
  names: Record<string, string>
  /** Who made the design (or the fork): the author of its genesis record. */
  creator: string
  /** Where the design is adapted for (free text, '' for none) and its ISO 3166 code (null for none). */
  place: string
  placeCode: string | null
}

const isStl = (f: FileRef) => f.mediaType === 'model/stl' || f.name.toLowerCase().endsWith('.stl')
const isPhoto = (f: FileRef) => f.role === 'photo' && f.mediaType.startsWith('image/') && f.mediaType !== 'image/svg+xml'

export function catalogueDetails(d: VerifiedDesign, inbox: VerifiedInbox): CatalogueDetails {
  const c = d.content
  const first = c.files.find(isPhoto) ?? c.files.find((f) => f.role === 'mesh' && isStl(f)) ?? null
  const names: Record<string, string> = {}
  for (const m of new Set([...d.state.maintainers, d.state.genesis.body.author])) {
    const name = d.names.get(m)
    if (name !== null) names[m] = name
  }
  return {
    summary: c.summary,
    licenses: { ...c.licenses },
    tags: [...c.tags],
    bomNames: c.bom.slice(0, MAX_CATALOGUE_BOM_TERMS).map((r) => r.name),
    materials: [...new Set(c.bom.map((r) => r.material).filter((m) => m !== ''))].slice(0, MAX_CATALOGUE_BOM_TERMS),
    thumbnail:
      first === null ? null : { name: first.name, hash: first.hash, root: first.root, size: first.size, mediaType: first.mediaType, kind: isPhoto(first) ? 'photo' : 'mesh' },
    forks: inbox.forks.length,
    proposals: inbox.proposals.length,
    names,
    creator: d.state.genesis.body.author,
    place: c.place,
    placeCode: c.placeCode,
  }
}

/**
 * True when an entry is adapted for `query`: an ISO 3166 code matches the entry's code or a region
 * of it (`KE` matches `KE-30`); otherwise every word of the query must appear in the place's name
 * or code (case and accents ignored: "nairobi" matches "Nairobi, Kibera").
 */
export function matchesPlace(entry: Pick<CatalogueDetails, 'place' | 'placeCode'>, query: string): boolean {
  const q = query.trim()
  if (q === '') return true
  const code = entry.placeCode ?? ''
  if (/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/.test(q) && code !== '' && (code === q.toUpperCase() || code.startsWith(`${q.toUpperCase()}-`))) return true
  const fold = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
  const haystack = fold(`${entry.place} ${code}`)
  return fold(q)
    .split(/[\s,]+/)
    .filter((w) => w !== '')
    .every((w) => haystack.includes(w))
}
