/**
 * A proposal's diff in domain terms: what the canonical design would become if the revision
 * were merged. Computed on an actual merge (in memory), so conflicts are Automerge's own.
 */
import * as A from '@automerge/automerge'
import { parseContent, text, LICENCE_KINDS, type BomRow, type DesignContent, type FileRef, type Step } from './schema.js'
import { FILE_LINK_KEYS, META_KEYS, type Part, type SoftwareRef } from './details.js'
import { licenceWarnings, type LicenceWarning } from './licences.js'

export interface FieldChange {
  field: string
  before: unknown
  after: unknown
}

export interface EntryChange<T> {
  id: string
  before: T
  after: T
  changes: FieldChange[]
}

export interface EntryDiff<T> {
  added: T[]
  removed: T[]
  changed: EntryChange<T>[]
}

/** Two people set the same field concurrently. `winner` is what the merge shows; both values are kept. */
export interface Conflict {
  path: string[]
  label: string
  winner: unknown
  values: unknown[]
}

export interface DesignDiff {
  fields: FieldChange[]
  licenses: FieldChange[]
  tags: { added: string[]; removed: string[] }
  bom: EntryDiff<BomRow>
  steps: EntryDiff<Step>
  files: EntryDiff<FileRef>
  /** OKH metadata: licensor, languages, readiness levels, BOM reference, documentation links, module files. */
  details: FieldChange[]
  parts: EntryDiff<Part>
  software: EntryDiff<SoftwareRef>
  /** Licence changes that the licence they replace may not allow (share-alike): for the maintainer to weigh. */
  licenceWarnings: LicenceWarning[]
  conflicts: Conflict[]
  /** True when merging would change nothing. */
  empty: boolean
}

const FIELDS = ['title', 'summary', 'readme', 'version'] as const

export function diffContent(before: DesignContent, after: DesignContent): Omit<DesignDiff, 'conflicts'> {
  const fields: FieldChange[] = []
  for (const f of FIELDS) if (before[f] !== after[f]) fields.push({ field: f, before: before[f], after: after[f] })
  const licenses: FieldChange[] = []
  for (const k of LICENCE_KINDS) {
    if (before.licenses[k] !== after.licenses[k]) licenses.push({ field: k, before: before.licenses[k], after: after.licenses[k] })
  }
  const tags = {
    added: after.tags.filter((t) => !before.tags.includes(t)),
    removed: before.tags.filter((t) => !after.tags.includes(t)),
  }
  const bom = diffEntries(before.bom, after.bom)
  const steps = diffEntries(before.steps, after.steps)
  const files = diffEntries(before.files, after.files)
  const details = diffDetails(before, after)
  const parts = diffEntries(before.parts, after.parts)
  const software = diffEntries(before.software, after.software)
  const empty =
    fields.length + licenses.length + tags.added.length + tags.removed.length + details.length === 0 &&
    [bom, steps, files, parts, software].every((d) => d.added.length + d.removed.length + d.changed.length === 0)
  return { fields, licenses, tags, bom, steps, files, details, parts, software, licenceWarnings: licenceWarnings(before.licenses, after.licenses), empty }
}

function diffDetails(before: DesignContent, after: DesignContent): FieldChange[] {
  const out: FieldChange[] = []
  const check = (field: string, b: unknown, a: unknown) => {
    if (!same(b, a)) out.push({ field, before: b, after: a })
  }
  check('licensor', before.licensor, after.licensor)
  check('languages', before.languages, after.languages)
  check('readiness.technology', before.readiness.technology, after.readiness.technology)
  check('readiness.documentation', before.readiness.documentation, after.readiness.documentation)
  check('bomRef', before.bomRef, after.bomRef)
  for (const k of META_KEYS) check(`meta.${k}`, before.meta[k], after.meta[k])
  for (const k of FILE_LINK_KEYS) check(`module.${k}`, before.module[k], after.module[k])
  return out
}

function same(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b))
}

function diffEntries<T extends { id: string }>(before: T[], after: T[]): EntryDiff<T> {
  const b = new Map(before.map((e) => [e.id, e]))
  const a = new Map(after.map((e) => [e.id, e]))
  const out: EntryDiff<T> = { added: [], removed: [], changed: [] }
  for (const [id, e] of a) if (!b.has(id)) out.added.push(e)
  for (const [id, e] of b) if (!a.has(id)) out.removed.push(e)
  for (const [id, e] of a) {
    const old = b.get(id)
    if (old === undefined) continue
    const changes: FieldChange[] = []
    for (const key of Object.keys(e) as (keyof T & string)[]) {
      if (key === 'id') continue
      if (!same(old[key], e[key])) changes.push({ field: key, before: old[key], after: e[key] })
    }
    if (changes.length > 0) out.changed.push({ id, before: old, after: e, changes })
  }
  return out
}

/** Every field holding concurrent values in a content document (view). */
export function findConflicts(doc: A.Doc<unknown>): Conflict[] {
  const out: Conflict[] = []
  const root = doc as unknown as Record<string, unknown>
  const check = (obj: unknown, key: string, path: string[], label: string) => {
    const conflicts = A.getConflicts(obj as A.Doc<unknown>, key)
    if (conflicts === undefined || Object.keys(conflicts).length < 2) return
    const values = Object.values(conflicts).map((v) => (typeof v === 'object' && v !== null ? plain(v) : v))
    out.push({ path, label, winner: plain((obj as Record<string, unknown>)[key]), values: values.sort(compare) })
  }
  for (const f of ['title', 'summary', 'version', 'licensor', 'bomRef']) check(doc, f, [f], f)
  const licenses = root.licenses
  if (licenses) for (const k of LICENCE_KINDS) check(licenses, k, ['licenses', k], `${k} licence`)
  const readiness = root.readiness
  if (typeof readiness === 'object' && readiness !== null) {
    for (const k of ['technology', 'documentation']) check(readiness, k, ['readiness', k], `${k} readiness level`)
  }
  const meta = root.meta
  if (typeof meta === 'object' && meta !== null) for (const k of Object.keys(meta)) check(meta, k, ['meta', k], k)
  for (const section of ['bom', 'steps', 'files', 'parts', 'software'] as const) {
    const entries = root[section] as Record<string, Record<string, unknown>> | undefined
    if (!entries) continue
    for (const [id, entry] of Object.entries(entries)) {
      if (typeof entry !== 'object' || entry === null) continue
      const name = text(entry.name) || text(entry.title) || text(entry.release) || id
      for (const key of Object.keys(entry)) {
        if (key === 'body' || key === 'notes') continue
        check(entry, key, [section, id, key], `${SECTION_LABEL[section]} "${name}" ${key}`)
      }
    }
  }
  return out
}

const SECTION_LABEL = { bom: 'BOM row', steps: 'step', files: 'file', parts: 'part', software: 'software' } as const

function plain(v: unknown): unknown {
  if (v instanceof A.ImmutableString) return v.val
  if (typeof v === 'object' && v !== null) return JSON.parse(JSON.stringify(v))
  return v
}

function compare(a: unknown, b: unknown): number {
  const x = JSON.stringify(a)
  const y = JSON.stringify(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** The diff of merging `revision` (a view of the fork's content) into `base` (the target's canonical view). */
export function diffMerge(base: A.Doc<unknown>, revision: A.Doc<unknown>): DesignDiff {
  const merged = A.merge(A.clone(base), A.clone(revision))
  const before = parseContent(base).content
  const after = parseContent(merged).content
  const known = new Set(findConflicts(base).map((c) => c.path.join('/')))
  const conflicts = findConflicts(merged).filter((c) => !known.has(c.path.join('/')))
  return { ...diffContent(before, after), conflicts }
}
