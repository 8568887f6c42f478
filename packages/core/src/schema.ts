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
import { InvalidInputError } from './errors.js'
import { MAX_FIELD_LENGTH, MAX_TEXT_LENGTH } from './limits.js'
import { parseDetails, type DesignDetails, type DetailsDoc } from './details.js'
import { checkSpdx, mapLicence } from './licences.js'

export const CONTENT_SCHEMA = 'cosmolocal/content@1'
export const GOVERNANCE_SCHEMA = 'cosmolocal/governance@1'
export const INBOX_SCHEMA = 'cosmolocal/inbox@1'
export const PROPOSAL_SCHEMA = 'cosmolocal/proposal@1'

export type LicenseKind = 'hardware' | 'documentation' | 'software'
export const LICENSE_KINDS: readonly LicenseKind[] = ['hardware', 'documentation', 'software']

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

export interface FileRefDoc {
  name: ImmutableString
  hash: ImmutableString
  size: number
  mediaType: ImmutableString
  role: ImmutableString
  position: number
}

export interface ContentDoc extends DetailsDoc {
  schema: string
  title: ImmutableString
  summary: ImmutableString
  readme: string
  version: ImmutableString
  tags: Record<string, true>
  licenses: Record<LicenseKind, ImmutableString | null>
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
  licenses: Licenses
  bom: BomRow[]
  steps: Step[]
  files: FileRef[]
}

export type Licenses = Record<LicenseKind, string | null>

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
  hash: string
  size: number
  mediaType: string
  role: string
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

export function parseContent(raw: unknown): { content: DesignContent; problems: ContentProblem[] } {
  const problems: ContentProblem[] = []
  const doc = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof ContentDoc, unknown>>
  if (doc.schema !== CONTENT_SCHEMA) problems.push({ path: 'schema', problem: `expected ${CONTENT_SCHEMA}` })
  const licenses: Licenses = { hardware: null, documentation: null, software: null }
  const rawLicenses = (doc.licenses ?? {}) as Record<string, unknown>
  for (const kind of LICENSE_KINDS) {
    const v = text(rawLicenses[kind])
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
      notes: text(r.notes),
      position: num(r.position),
    })
  }
  const steps: Step[] = []
  for (const [id, step] of entries(doc.steps)) {
    const s = step as Partial<Record<keyof StepDoc, unknown>>
    steps.push({ id, title: text(s.title), body: text(s.body), position: num(s.position) })
  }
  const files: FileRef[] = []
  for (const [id, file] of entries(doc.files)) {
    const f = file as Partial<Record<keyof FileRefDoc, unknown>>
    files.push({
      id,
      name: text(f.name),
      hash: text(f.hash),
      size: num(f.size),
      mediaType: text(f.mediaType),
      role: text(f.role),
      position: num(f.position),
    })
  }
  const byPosition = (a: { position: number; id: string }, b: { position: number; id: string }) =>
    a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return {
    content: {
      title: text(doc.title),
      summary: text(doc.summary),
      readme: text(doc.readme),
      version: text(doc.version),
      tags: Object.keys((doc.tags ?? {}) as object).sort(),
      licenses,
      bom: bom.sort(byPosition),
      steps: steps.sort(byPosition),
      files: files.sort(byPosition),
      ...parseDetails(doc as Record<string, unknown>, problems),
    },
    problems,
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

export function parseLongText(value: unknown, field: string): string {
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw new InvalidInputError(`${field} must be text`)
  if (value.length > MAX_TEXT_LENGTH) throw new InvalidInputError(`${field} is longer than ${MAX_TEXT_LENGTH} characters`)
  return value
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
export function parseLicense(value: unknown, kind: LicenseKind): string | null {
  if (value === undefined || value === null || value === '') return null
  if (typeof value !== 'string') throw new InvalidInputError(`${kind} licence must be an SPDX expression`)
  const check = checkSpdx(value)
  if (check.ok) return check.expression
  const mapped = mapLicence(value)
  const hint = mapped.ok ? ` (did you mean ${mapped.expression}?)` : ''
  throw new InvalidInputError(`${kind} licence is not an SPDX expression: ${JSON.stringify(value)}: ${check.problem}${hint}`)
}

export function parseTag(value: unknown): string {
  const t = parseField(value, 'tag', { required: true }).toLowerCase()
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u.test(t)) throw new InvalidInputError(`not a tag: ${JSON.stringify(value)}`)
  return t
}
