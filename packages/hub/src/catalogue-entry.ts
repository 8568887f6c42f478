/**
 * What one catalogue entry says about a verified design, beyond its identity: what cards and
 * search need (summary, licences, tags, BOM names and materials, a thumbnail file, counts, the
 * maintainers' display names). Pure: built from the verified design and its verified inbox only.
 */
import { matchesPlace, type FileRef, type NeedsSummary, type VerifiedDesign, type VerifiedInbox } from '@cosmolocal/core'
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
  /** Its needs: counts by status and the labels of those not closed (core's `needsSummary`). */
  needs: NeedsSummary
  /** How many times it was made: its verified build reports (core's `Commons.makes`). */
  makes: number
}

const isStl = (f: FileRef) => f.mediaType === 'model/stl' || f.name.toLowerCase().endsWith('.stl')
const isPhoto = (f: FileRef) => f.role === 'photo' && f.mediaType.startsWith('image/') && f.mediaType !== 'image/svg+xml'

export function catalogueDetails(d: VerifiedDesign, inbox: VerifiedInbox, needs: NeedsSummary, makes = 0): CatalogueDetails {
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
    needs,
    makes,
  }
}

/** The entries adapted for `place` (core's `matchesPlace`: an ISO 3166 code, or words of the place); all of them without one. */
export function entriesAdaptedFor<T extends Pick<CatalogueDetails, 'place' | 'placeCode'>>(entries: readonly T[], place: string | undefined): T[] {
  return place === undefined ? [...entries] : entries.filter((e) => matchesPlace(e, place))
}
