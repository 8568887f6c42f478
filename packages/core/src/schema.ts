/**
 * The shapes of the four documents of a design, as Automerge holds them, and the parse step
 * that turns a raw (possibly hostile) content document into a typed `DesignContent`.
 *
 * Short fields are ImmutableStrings (last-writer-wins registers, so concurrent edits surface as
 * conflicts instead of interleaved characters); long prose (readme, step bodies) is
 * collaborative text. BOM rows, steps and files are maps keyed by stable ids with an explicit
 * `position`, so concurrent inserts and edits merge cleanly.
 */
import { ImmutableString } from '@automerge/automerge'
import { checkBlobSize, isBlobHash, type BlobHash } from './blobs/blob.js'
import { InvalidInputError } from './errors.js'
import { MAX_FIELD_LENGTH, MAX_FILES_PER_DESIGN, MAX_MEDIA_TYPE_LENGTH, MAX_NOTES_LENGTH, MAX_README_LENGTH, MAX_RECORD_TEXT, MAX_STEP_BODY_LENGTH } from './limits.js'
import { parseDetails, type DesignDetails, type DetailsDoc } from './details.js'
import { checkSpdx, loadLicenceNames, LICENCE_KINDS, type LicenceKind, type Licences } from './licences.js'
import type { DesignId } from './ids.js'
import { parsePlace, type PlacesDoc } from './place.js'

export const CONTENT_SCHEMA = 'cosmolocal/content@1'
export const GOVERNANCE_SCHEMA = 'cosmolocal/governance@1'
export const INBOX_SCHEMA = 'cosmolocal/inbox@1'
export const PROPOSAL_SCHEMA = 'cosmolocal/proposal@1'

export { LICENCE_KINDS, type LicenceKind, type Licences } from './licences.js'

/** What Automerge stores for a BOM row. */
export interface BomRowDoc {
  name: ImmutableString
  quantity: number
  unit: ImmutableString
  material: ImmutableString
  notes: string
  position: number
}

export interface StepDoc {
  title: ImmutableString
  body: string
  position: number
}

/** A file attached to a design: bytes by content hash (see blobs/blob.ts), never the bytes themselves. */
export interface FileRefDoc {
  name: ImmutableString
  /** Hex sha-256 of the bytes. */
  hash: ImmutableString
  size: number
  /** Hex sha-256 of the chunk list: lets a downloader verify each chunk as it arrives. */
  root: ImmutableString
  mediaType: ImmutableString
  role: ImmutableString
  position: number
}

/** What a file is for in a design. */
export type FileRole = 'cad' | 'mesh' | 'drawing' | 'photo' | 'document'
export const FILE_ROLES: readonly FileRole[] = ['cad', 'mesh', 'drawing', 'photo', 'document']

export interface ContentDoc extends DetailsDoc, PlacesDoc {
  schema: string
  title: ImmutableString
  summary: ImmutableString
  readme: string
  version: ImmutableString
  tags: Record<string, true>
  licenses: Record<LicenceKind, ImmutableString | null>
  bom: Record<string, BomRowDoc>
  steps: Record<string, StepDoc>
  files: Record<string, FileRefDoc>
}

export interface GovernanceDoc {
  schema: string
  /** Signed records, appended. Read from history, never from here: see history.ts. */
  records: Uint8Array[]
}

export interface InboxDoc {
  schema: string
  design: string
  entries: Uint8Array[]
}

export interface ProposalDoc {
  schema: string
  /** A hint only: every record is verified against the design it names. */
  target: string
  records: Uint8Array[]
}

/** The typed, parsed content of a design at some heads. */
export interface DesignContent extends DesignDetails {
  title: string
  summary: string
  readme: string
  version: string
  tags: string[]
  licenses: Licences
  bom: BomRow[]
  steps: Step[]
  files: FileRef[]
}


export interface BomRow {
  id: string
  name: string
  quantity: number
  unit: string
  material: string
  notes: string
  position: number
}

export interface Step {
  id: string
  title: string
  body: string
  position: number
}

export interface FileRef {
  id: string
  name: string
  hash: BlobHash
  size: number
  root: BlobHash
  mediaType: string
  role: FileRole
  position: number
}

/** A problem found while parsing content: the offending entry is left out, the rest is kept. */
export interface ContentProblem {
  path: string
  problem: string
}

export function text(v: unknown): string {
  if (v instanceof ImmutableString) return v.val
  if (typeof v === 'string') return v
  return ''
}

/** Parses raw content; with `design`, the place that design gives itself too (see place.ts). */
export function parseContent(raw: unknown, options: { design?: DesignId } = {}): { content: DesignContent; problems: ContentProblem[] } {
  const problems: ContentProblem[] = []
  const doc = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof ContentDoc, unknown>>
  if (doc.schema !== CONTENT_SCHEMA) problems.push({ path: 'schema', problem: `expected ${CONTENT_SCHEMA}` })
  const licenses: Licences = { hardware: null, documentation: null, software: null }
  const rawLicences = (doc.licenses ?? {}) as Record<string, unknown>
  for (const kind of LICENCE_KINDS) {
    const v = text(rawLicences[kind])
    licenses[kind] = v === '' ? null : v
  }
  const bom: BomRow[] = []
  for (const [id, row] of entries(doc.bom)) {
    const r = row as Partial<Record<keyof BomRowDoc, unknown>>
    const quantity = r.quantity
    if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) {
      problems.push({ path: `bom.${id}.quantity`, problem: 'not a positive number' })
      continue
    }
    bom.push({
      id,
      name: text(r.name),
      quantity,
      unit: text(r.unit),
      material: text(r.material),
      notes: boundedText(r.notes, 'notes', `bom.${id}.notes`, problems),
      position: num(r.position),
    })
  }
  const steps: Step[] = []
  for (const [id, step] of entries(doc.steps)) {
    const s = step as Partial<Record<keyof StepDoc, unknown>>
    steps.push({ id, title: text(s.title), body: boundedText(s.body, 'body', `steps.${id}.body`, problems), position: num(s.position) })
  }
  const files: FileRef[] = []
  for (const [id, file] of entries(doc.files)) {
    if (files.length >= MAX_FILES_PER_DESIGN) {
      problems.push({ path: `files.${id}`, problem: `more than ${MAX_FILES_PER_DESIGN} files` })
      continue
    }
    const parsed = parseFileRefDoc(file)
    if (typeof parsed === 'string') problems.push({ path: `files.${id}`, problem: parsed })
    else files.push({ id, ...parsed })
  }
  const byPosition = (a: { position: number; id: string }, b: { position: number; id: string }) =>
    a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return {
    content: {
      title: text(doc.title),
      summary: text(doc.summary),
      readme: boundedText(doc.readme, 'readme', 'readme', problems),
      version: text(doc.version),
      tags: Object.keys((doc.tags ?? {}) as object).sort(),
      licenses,
      bom: bom.sort(byPosition),
      steps: steps.sort(byPosition),
      files: files.sort(byPosition),
      ...parseDetails(doc as Record<string, unknown>, problems),
      ...parsePlace(doc as Record<string, unknown>, options.design, problems),
    },
    problems,
  }
}

/** A stored file reference, or what is wrong with it. */
function parseFileRefDoc(file: unknown): Omit<FileRef, 'id'> | string {
  const f = file as Partial<Record<keyof FileRefDoc, unknown>>
  const hash = text(f.hash)
  const root = text(f.root)
  if (!isBlobHash(hash)) return 'hash is not a sha-256'
  if (!isBlobHash(root)) return 'root is not a sha-256'
  const size = f.size
  if (typeof size !== 'number') return 'size is not a number'
  try {
    checkBlobSize(size)
    return {
      name: parseFileName(text(f.name)),
      hash,
      size,
      root,
      mediaType: parseMediaType(text(f.mediaType)),
      role: parseFileRole(text(f.role)),
      position: num(f.position),
    }
  } catch (err) {
    return (err as Error).message
  }
}

function entries(v: unknown): [string, unknown][] {
  if (typeof v !== 'object' || v === null) return []
  return Object.entries(v).filter(([, x]) => typeof x === 'object' && x !== null)
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

// ---- input validation for what people type -------------------------------------------------

export function parseField(value: unknown, field: string, { required = false } = {}): string {
  if (value === undefined || value === null) {
    if (required) throw new InvalidInputError(`${field} is required`)
    return ''
  }
  if (typeof value !== 'string') throw new InvalidInputError(`${field} must be text`)
  const v = value.trim()
  if (required && v === '') throw new InvalidInputError(`${field} is required`)
  if (v.length > MAX_FIELD_LENGTH) throw new InvalidInputError(`${field} is longer than ${MAX_FIELD_LENGTH} characters`)
  if (/[\u0000-\u001f]/.test(v)) throw new InvalidInputError(`${field} must be a single line`)
  return v
}

/**
 * The longest each long text may be, in characters: content prose (see limits.ts) and the free
 * text of records (a proposal's description, a comment), which must fit in one record.
 */
export const LONG_TEXT_LIMITS = {
  readme: MAX_README_LENGTH,
  body: MAX_STEP_BODY_LENGTH,
  notes: MAX_NOTES_LENGTH,
  description: MAX_RECORD_TEXT,
  comment: MAX_RECORD_TEXT,
} as const

export type LongTextField = keyof typeof LONG_TEXT_LIMITS

export function parseLongText(value: unknown, field: LongTextField): string {
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw new InvalidInputError(`${field} must be text`, { field })
  const max = LONG_TEXT_LIMITS[field]
  if (value.length > max) throw new InvalidInputError(`${field} is longer than ${max} characters`, { field, length: value.length, max })
  return value
}

/**
 * Long text read from a document, which any client may have written: past its limit it is cut
 * (a page must stay usable whatever a writer put there), and the cut is reported.
 */
function boundedText(v: unknown, field: LongTextField, path: string, problems: ContentProblem[]): string {
  const t = text(v)
  const max = LONG_TEXT_LIMITS[field]
  if (t.length <= max) return t
  problems.push({ path, problem: `longer than ${max} characters: only the first ${max} are shown` })
  return t.slice(0, max)
}

export function parseQuantity(value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidInputError(`quantity must be a positive number, not ${JSON.stringify(value)}`)
  }
  if (n > 1e9) throw new InvalidInputError('quantity is implausibly large (over 1e9)')
  return n
}

/**
 * A licence as people type it: an SPDX expression of ids from the SPDX licence list (checked by
 * spdx-expression-parse), spelt canonically. Anything else is refused, with the SPDX expression
 * it probably means when that is unambiguous (see licences.ts).
 */
export async function parseLicence(value: unknown, kind: LicenceKind): Promise<string | null> {
  if (value === undefined || value === null || value === '') return null
  if (typeof value !== 'string') throw new InvalidInputError(`${kind} licence must be an SPDX expression`)
  const check = checkSpdx(value)
  if (check.ok) return check.expression
  // Only a refused licence needs the SPDX names (for its hint): they load then.
  const near = (await loadLicenceNames()).suggest(value)
  const hint = near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''
  throw new InvalidInputError(`${kind} licence is not an SPDX expression: ${JSON.stringify(value)}: ${check.problem}${hint}`)
}

export function parseTag(value: unknown): string {
  const t = parseField(value, 'tag', { required: true }).toLowerCase()
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u.test(t)) throw new InvalidInputError(`not a tag: ${JSON.stringify(value)}`)
  return t
}

/** A file's name as shown and suggested on download: one line, no path separators. */
export function parseFileName(value: unknown): string {
  const name = parseField(value, 'file name', { required: true })
  if (/[\\/]/.test(name) || name === '.' || name === '..') throw new InvalidInputError(`file name must not contain a path: ${JSON.stringify(value)}`)
  return name
}

export function parseFileRole(value: unknown): FileRole {
  if (typeof value === 'string' && (FILE_ROLES as readonly string[]).includes(value)) return value as FileRole
  throw new InvalidInputError(`file role must be one of ${FILE_ROLES.join(', ')}, not ${JSON.stringify(value)}`)
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/
/** A media type without parameters (`model/stl`), lower-cased. */
export function parseMediaType(value: unknown): string {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : ''
  if (v.length > MAX_MEDIA_TYPE_LENGTH || !MEDIA_TYPE.test(v)) throw new InvalidInputError(`not a media type (type/subtype): ${JSON.stringify(value)}`)
  return v
}

/** Media type and role for a file name's extension, when the person did not say. */
const BY_EXTENSION: Record<string, [string, FileRole]> = {
  step: ['model/step', 'cad'],
  stp: ['model/step', 'cad'],
  iges: ['model/iges', 'cad'],
  igs: ['model/iges', 'cad'],
  fcstd: ['application/x-freecad', 'cad'],
  scad: ['application/x-openscad', 'cad'],
  f3d: ['application/octet-stream', 'cad'],
  stl: ['model/stl', 'mesh'],
  obj: ['model/obj', 'mesh'],
  '3mf': ['model/3mf', 'mesh'],
  ply: ['application/octet-stream', 'mesh'],
  gltf: ['model/gltf+json', 'mesh'],
  glb: ['model/gltf-binary', 'mesh'],
  dxf: ['image/vnd.dxf', 'drawing'],
  dwg: ['image/vnd.dwg', 'drawing'],
  svg: ['image/svg+xml', 'drawing'],
  kicad_pcb: ['application/x-kicad-pcb', 'drawing'],
  kicad_sch: ['application/x-kicad-schematic', 'drawing'],
  gbr: ['application/vnd.gerber', 'drawing'],
  jpg: ['image/jpeg', 'photo'],
  jpeg: ['image/jpeg', 'photo'],
  png: ['image/png', 'photo'],
  webp: ['image/webp', 'photo'],
  gif: ['image/gif', 'photo'],
  heic: ['image/heic', 'photo'],
  pdf: ['application/pdf', 'document'],
  md: ['text/markdown', 'document'],
  txt: ['text/plain', 'document'],
  html: ['text/html', 'document'],
  csv: ['text/csv', 'document'],
  zip: ['application/zip', 'document'],
}

export function guessFileType(name: string): { mediaType: string; role: FileRole } {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? ''
  const known = BY_EXTENSION[ext]
  return known === undefined ? { mediaType: 'application/octet-stream', role: 'document' } : { mediaType: known[0], role: known[1] }
}
