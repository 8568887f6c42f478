/**
 * The catalogue protocol (`/cosmolocal/catalogue/1.0.0`): what a hub holds, and the heads of
 * given documents. One request, one response (see rpc.ts). Answers are hints for what to fetch
 * and when a sync is complete; nothing in them is trusted: designs are verified on arrival.
 */
import { isValidDocumentId, type DocumentId } from '@automerge/automerge-repo'
import { isBlobHash, isChangeHash, type BlobHash, type ChangeHash, type NeedsSummary } from '@cosmolocal/core'
import { CatalogueProtocolError } from './errors.js'
import { DEFAULT_CATALOGUE_PAGE_DESIGNS, MAX_CATALOGUE_PAGE_DESIGNS, MAX_DOCUMENTS_PAGE, MAX_HEADS_REQUEST_DOCUMENTS } from './limits.js'

export const CATALOGUE_PROTOCOL = '/cosmolocal/catalogue/1.0.0'
/** Opened by a hub that wants to peer with another: "I am a hub; share everything with me". */
export const HUB_PROTOCOL = '/cosmolocal/hub/1.0.0'

export interface CatalogueEntry {
  design: DocumentId
  title: string
  maintainers: string[]
  forkedFrom: DocumentId | null
  /** Newest record time in the design's log (ms since the epoch, as its authors claimed). */
  lastChange: number
  heads: ChangeHash[]
  /** Every document the design is made of that the hub holds: governance, content, inbox, proposals. */
  documents: DocumentId[]
  // ---- for cards and search (catalogue-entry.ts); absent from older hubs, read as empty ----
  summary: string
  licenses: { hardware: string | null; documentation: string | null; software: string | null }
  tags: string[]
  bomNames: string[]
  materials: string[]
  thumbnail: CatalogueThumbnail | null
  forks: number
  proposals: number
  /** Maintainers' (and the creator's) display names by id (self-asserted, from the design's verified records). */
  names: Record<string, string>
  /** The author of the design's genesis: who made it, or the fork ('' from older hubs). */
  creator: string
  /** Where the design is adapted for ('' and null from older hubs, or none). */
  place: string
  placeCode: string | null
  /** Its needs: counts by status and the labels of those not closed (none from older hubs). */
  needs: NeedsSummary
  /** Build reports the design's verified inbox holds (0 from older hubs). */
  makes: number
}

/** The file a card shows: a photo, or an STL a client renders a view of. Fetched by hash and verified like any file. */
export interface CatalogueThumbnail {
  name: string
  hash: BlobHash
  root: BlobHash
  size: number
  mediaType: string
  kind: 'photo' | 'mesh'
}

/** Where a catalogue page ends: its last entry, in the catalogue's order (newest change first, then id). */
export interface EntryCursor {
  lastChange: number
  design: DocumentId
}

/** Reads a cursor a client sent back (anything else is a CatalogueProtocolError). */
export function parseEntryCursor(raw: unknown): EntryCursor {
  const m = typeof raw === 'string' ? /^(-?\d{1,16})\.([1-9A-HJ-NP-Za-km-z]{1,64})$/.exec(raw) : null
  if (m === null || !isValidDocumentId(m[2]) || !Number.isSafeInteger(Number(m[1]))) throw new CatalogueProtocolError('malformed catalogue cursor')
  return { lastChange: Number(m[1]), design: m[2] as DocumentId }
}

export interface DocumentHeads {
  id: DocumentId
  heads: ChangeHash[] | null
}

/**
 * `catalogue`: a page of designs (`cursor`: the `next` of the previous page; `limit`: at most
 * MAX_CATALOGUE_PAGE_DESIGNS, DEFAULT_CATALOGUE_PAGE_DESIGNS without one). A request with neither
 * (what older peers send) gets the first MAX_CATALOGUE_PAGE_DESIGNS designs and, as before, the
 * heads of every stored document; a paged one gets the heads of the page's designs' documents.
 * `documents`: a page of every stored document's id and heads, in id order (`cursor`: the last id
 * of the previous page). `heads`: the heads of the named documents.
 */
export type CatalogueRequest =
  | { v: 1; want: 'catalogue'; paged: false; limit: number }
  | { v: 1; want: 'catalogue'; paged: true; cursor: EntryCursor | undefined; limit: number }
  | { v: 1; want: 'documents'; cursor: DocumentId | undefined; limit: number }
  | { v: 1; want: 'heads'; documents: DocumentId[] }

export type CatalogueResponse =
  /** `next`: the cursor of the following page, null on the last (and from older hubs); `total`: designs listed (null from older hubs). */
  | { v: 1; want: 'catalogue'; hub: string; designs: CatalogueEntry[]; documents: DocumentHeads[]; next: string | null; total: number | null }
  | { v: 1; want: 'documents'; documents: DocumentHeads[]; next: string | null }
  | { v: 1; want: 'heads'; heads: DocumentHeads[] }
  | { v: 1; error: string }

/** A page size a peer asked for: a whole number from 1, capped at `max`; `fallback` when absent. */
function parseLimit(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined) return fallback
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 1) throw new CatalogueProtocolError('malformed page limit')
  return Math.min(raw, max)
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function parseCatalogueRequest(raw: unknown): CatalogueRequest {
  if (!isObject(raw) || raw.v !== 1) throw new CatalogueProtocolError('malformed catalogue request')
  if (raw.want === 'catalogue') {
    if (raw.cursor === undefined && raw.limit === undefined) return { v: 1, want: 'catalogue', paged: false, limit: MAX_CATALOGUE_PAGE_DESIGNS }
    const cursor = raw.cursor === undefined ? undefined : parseEntryCursor(raw.cursor)
    return { v: 1, want: 'catalogue', paged: true, cursor, limit: parseLimit(raw.limit, DEFAULT_CATALOGUE_PAGE_DESIGNS, MAX_CATALOGUE_PAGE_DESIGNS) }
  }
  if (raw.want === 'documents') {
    if (raw.cursor !== undefined && !isValidDocumentId(raw.cursor)) throw new CatalogueProtocolError('malformed documents cursor')
    return { v: 1, want: 'documents', cursor: raw.cursor as DocumentId | undefined, limit: parseLimit(raw.limit, MAX_DOCUMENTS_PAGE, MAX_DOCUMENTS_PAGE) }
  }
  if (raw.want === 'heads') {
    const docs = raw.documents
    if (!Array.isArray(docs) || docs.length > MAX_HEADS_REQUEST_DOCUMENTS || !docs.every(isValidDocumentId)) {
      throw new CatalogueProtocolError('malformed heads request')
    }
    return { v: 1, want: 'heads', documents: docs as DocumentId[] }
  }
  throw new CatalogueProtocolError('unknown catalogue request')
}

function parseHeadsList(raw: unknown): DocumentHeads[] {
  if (!Array.isArray(raw)) throw new CatalogueProtocolError('malformed heads list')
  return raw.map((e) => {
    if (!isObject(e) || !isValidDocumentId(e.id)) throw new CatalogueProtocolError('malformed heads entry')
    if (e.heads === null) return { id: e.id, heads: null }
    if (!Array.isArray(e.heads) || !e.heads.every(isChangeHash)) throw new CatalogueProtocolError('malformed heads entry')
    return { id: e.id, heads: e.heads as ChangeHash[] }
  })
}

/** One catalogue entry, checked field by field (card fields that are absent or malformed read as empty). */
export function parseCatalogueEntry(raw: unknown): CatalogueEntry {
  if (!isObject(raw) || !isValidDocumentId(raw.design)) throw new CatalogueProtocolError('malformed catalogue entry')
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string')
  if (
    typeof raw.title !== 'string' ||
    !strings(raw.maintainers) ||
    !(raw.forkedFrom === null || isValidDocumentId(raw.forkedFrom)) ||
    typeof raw.lastChange !== 'number' ||
    !Array.isArray(raw.heads) ||
    !raw.heads.every(isChangeHash) ||
    !Array.isArray(raw.documents) ||
    !raw.documents.every(isValidDocumentId)
  ) {
    throw new CatalogueProtocolError('malformed catalogue entry')
  }
  return {
    design: raw.design,
    title: raw.title,
    maintainers: raw.maintainers as string[],
    forkedFrom: raw.forkedFrom as DocumentId | null,
    lastChange: raw.lastChange,
    heads: raw.heads as ChangeHash[],
    documents: raw.documents as DocumentId[],
    ...parseDetails(raw),
  }
}

/** The card and search fields: each one that is absent or malformed reads as empty (an older hub, or junk). */
function parseDetails(raw: Record<string, unknown>): Omit<CatalogueEntry, 'design' | 'title' | 'maintainers' | 'forkedFrom' | 'lastChange' | 'heads' | 'documents'> {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [])
  const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0)
  const lic = isObject(raw.licenses) ? raw.licenses : {}
  const licence = (v: unknown) => (typeof v === 'string' ? v : null)
  const t = raw.thumbnail
  const thumbnail =
    isObject(t) && typeof t.name === 'string' && isBlobHash(t.hash) && isBlobHash(t.root) && typeof t.size === 'number' && typeof t.mediaType === 'string' && (t.kind === 'photo' || t.kind === 'mesh')
      ? { name: t.name, hash: t.hash, root: t.root, size: t.size, mediaType: t.mediaType, kind: t.kind as CatalogueThumbnail['kind'] }
      : null
  const names: Record<string, string> = {}
  if (isObject(raw.names)) for (const [k, v] of Object.entries(raw.names)) if (typeof v === 'string') names[k] = v
  return {
    summary: typeof raw.summary === 'string' ? raw.summary : '',
    licenses: { hardware: licence(lic.hardware), documentation: licence(lic.documentation), software: licence(lic.software) },
    tags: strings(raw.tags),
    bomNames: strings(raw.bomNames),
    materials: strings(raw.materials),
    thumbnail,
    forks: count(raw.forks),
    proposals: count(raw.proposals),
    names,
    creator: typeof raw.creator === 'string' ? raw.creator : '',
    place: typeof raw.place === 'string' ? raw.place : '',
    placeCode: typeof raw.placeCode === 'string' ? raw.placeCode : null,
    needs: parseNeedsSummary(raw.needs),
    makes: count(raw.makes),
  }
}

/** A hub-peering request: `{ v: 1, hub }`, where `hub` is the peer id of the connection it came on. */
export function isHubRequest(raw: unknown, from: string): boolean {
  return isObject(raw) && raw.v === 1 && raw.hub === from
}

function parseNeedsSummary(raw: unknown): NeedsSummary {
  const n = isObject(raw) ? raw : {}
  const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0)
  const labels = Array.isArray(n.labels) ? n.labels.filter((l): l is string => typeof l === 'string') : []
  return { open: count(n.open), claimed: count(n.claimed), closed: count(n.closed), labels }
}

export function parseCatalogueResponse(raw: unknown): CatalogueResponse {
  if (!isObject(raw) || raw.v !== 1) throw new CatalogueProtocolError('malformed catalogue response')
  if (typeof raw.error === 'string') return { v: 1, error: raw.error }
  if (raw.want === 'catalogue') {
    if (typeof raw.hub !== 'string' || !Array.isArray(raw.designs)) throw new CatalogueProtocolError('malformed catalogue response')
    const next = typeof raw.next === 'string' ? raw.next : null
    const total = typeof raw.total === 'number' && Number.isSafeInteger(raw.total) && raw.total >= 0 ? raw.total : null
    return { v: 1, want: 'catalogue', hub: raw.hub, designs: raw.designs.map(parseCatalogueEntry), documents: parseHeadsList(raw.documents), next, total }
  }
  if (raw.want === 'documents') {
    if (!(raw.next === null || isValidDocumentId(raw.next))) throw new CatalogueProtocolError('malformed documents response')
    return { v: 1, want: 'documents', documents: parseHeadsList(raw.documents), next: raw.next }
  }
  if (raw.want === 'heads') return { v: 1, want: 'heads', heads: parseHeadsList(raw.heads) }
  throw new CatalogueProtocolError('malformed catalogue response')
}
