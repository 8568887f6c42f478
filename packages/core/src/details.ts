/**
 * What a design says about itself beyond its title, BOM and steps: the Open Know-How metadata
 * (licensor, documentation languages, readiness levels, BOM reference, documentation links) and
 * its parts with their source and export files. File references here are paths or URLs into the
 * design's own documentation (a repository, a website), never bytes: attachments by content hash
 * live in `files`.
 *
 * Same style as the rest of the content: short fields are ImmutableStrings, parts and software are
 * maps keyed by stable ids with a `position`. All of it is optional in the document, so designs
 * created before these fields existed parse unchanged.
 */
import { ImmutableString } from '@automerge/automerge'
import { InvalidInputError } from './errors.js'
import { MAX_FIELD_LENGTH, MAX_FILE_LINKS, MAX_LANGUAGES, MAX_PARTS, MAX_SOFTWARE } from './limits.js'
import { emptyPlace, type DesignPlace } from './place.js'

/** Open Technology Readiness Levels (OKH-LOSH, OTRL.ttl). */
export const TECHNOLOGY_READINESS = ['OTRL-1', 'OTRL-2', 'OTRL-3', 'OTRL-4', 'OTRL-5'] as const
/** Open Documentation Readiness Levels (OKH-LOSH, OTRL.ttl); ODRL-3* is "full documentation, audited". */
export const DOCUMENTATION_READINESS = ['ODRL-1', 'ODRL-2', 'ODRL-3', 'ODRL-3*', 'ODRL-4'] as const
export type TechnologyReadiness = (typeof TECHNOLOGY_READINESS)[number]
export type DocumentationReadiness = (typeof DOCUMENTATION_READINESS)[number]

/**
 * Documentation links and identifiers, each one short text (a path, a URL, a name). OKH keys
 * (see docs/okh.md): repo, release, image, readme, contribution-guide, user-manual,
 * manufacturing-instructions, organization, attestation, cpc-patent-class, fork-of,
 * outer-dimensions.
 */
export const META_KEYS = [
  'repo',
  'release',
  'image',
  'readmeFile',
  'contributionGuide',
  'userManual',
  'manufacturingInstructions',
  'organization',
  'attestation',
  'cpcPatentClass',
  'forkOf',
  'outerDimensions',
  'outerDimensionsUnit',
] as const
export type MetaKey = (typeof META_KEYS)[number]
/** Unset keys are ''. */
export type DesignMeta = Record<MetaKey, string>

/** File references (repo-relative paths or URLs) and Technology-specific Documentation Criteria ids. */
export interface FileLinks {
  tsdc: string[]
  source: string[]
  export: string[]
  auxiliary: string[]
}
export const FILE_LINK_KEYS = ['tsdc', 'source', 'export', 'auxiliary'] as const

export interface Part extends FileLinks {
  id: string
  name: string
  image: string
  material: string
  /** OpenSCAD primitive giving the part's outer dimensions, e.g. `cube(size = [120,100,3])`. */
  dimensions: string
  dimensionsUnit: string
  position: number
}

export interface SoftwareRef {
  id: string
  /** A URL or path to the software release (OKH-LOSH `[[software]] release`). */
  release: string
  installationGuide: string
  position: number
}

export interface Readiness {
  technology: TechnologyReadiness | null
  documentation: DocumentationReadiness | null
}

/** Also where the design is adapted for (place.ts): read per design by parseContent, empty here. */
export interface DesignDetails extends DesignPlace {
  /** Who licenses the design (OKH `licensor`). */
  licensor: string
  /** BCP 47 tags of the documentation's languages. */
  languages: string[]
  readiness: Readiness
  /** Where the full bill of materials lives (a path or URL), when it is kept outside `bom`. */
  bomRef: string
  meta: DesignMeta
  /** The design as a whole: its TsDC ids and its own source / export / auxiliary files. */
  module: FileLinks
  parts: Part[]
  software: SoftwareRef[]
}

// ---- what Automerge stores -------------------------------------------------------------------

export interface FileLinksDoc {
  tsdc: ImmutableString[]
  source: ImmutableString[]
  export: ImmutableString[]
  auxiliary: ImmutableString[]
}

export interface PartDoc extends FileLinksDoc {
  name: ImmutableString
  image: ImmutableString
  material: ImmutableString
  dimensions: ImmutableString
  dimensionsUnit: ImmutableString
  position: number
}

export interface SoftwareDoc {
  release: ImmutableString
  installationGuide: ImmutableString
  position: number
}

/** Optional in the document: designs made before these fields existed lack them. */
export interface DetailsDoc {
  licensor?: ImmutableString
  languages?: Record<string, true>
  readiness?: { technology: ImmutableString | null; documentation: ImmutableString | null }
  bomRef?: ImmutableString
  meta?: Record<string, ImmutableString>
  module?: FileLinksDoc
  parts?: Record<string, PartDoc>
  software?: Record<string, SoftwareDoc>
}

// ---- parsing a raw document ------------------------------------------------------------------

type Problem = { path: string; problem: string }

const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/

function str(v: unknown): string {
  if (v instanceof ImmutableString) return v.val
  if (typeof v === 'string') return v
  return ''
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

function objectEntries(v: unknown): [string, Record<string, unknown>][] {
  if (typeof v !== 'object' || v === null) return []
  return Object.entries(v).filter((e): e is [string, Record<string, unknown>] => typeof e[1] === 'object' && e[1] !== null)
}

function links(v: unknown, path: string, problems: Problem[]): string[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) {
    problems.push({ path, problem: 'not a list' })
    return []
  }
  const out = v.map(str).filter((s) => s !== '')
  if (out.length > MAX_FILE_LINKS) problems.push({ path, problem: `more than ${MAX_FILE_LINKS} entries: the rest are ignored` })
  return out.slice(0, MAX_FILE_LINKS)
}

function fileLinks(v: unknown, path: string, problems: Problem[]): FileLinks {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>
  return {
    tsdc: links(o.tsdc, `${path}.tsdc`, problems),
    source: links(o.source, `${path}.source`, problems),
    export: links(o.export, `${path}.export`, problems),
    auxiliary: links(o.auxiliary, `${path}.auxiliary`, problems),
  }
}

export function emptyMeta(): DesignMeta {
  return Object.fromEntries(META_KEYS.map((k) => [k, ''])) as DesignMeta
}

export function emptyDetails(): DesignDetails {
  return {
    licensor: '',
    languages: [],
    readiness: { technology: null, documentation: null },
    bomRef: '',
    meta: emptyMeta(),
    module: { tsdc: [], source: [], export: [], auxiliary: [] },
    parts: [],
    software: [],
    ...emptyPlace(),
  }
}

/** The details of a raw content document. Malformed entries are left out and reported. */
export function parseDetails(raw: Record<string, unknown>, problems: Problem[]): DesignDetails {
  const d = emptyDetails()
  d.licensor = str(raw.licensor)
  d.bomRef = str(raw.bomRef)
  for (const tag of Object.keys((typeof raw.languages === 'object' && raw.languages !== null ? raw.languages : {}) as object).sort()) {
    if (BCP47.test(tag)) d.languages.push(tag)
    else problems.push({ path: `languages.${tag}`, problem: 'not a BCP 47 language tag' })
  }
  d.languages = d.languages.slice(0, MAX_LANGUAGES)
  const readiness = (typeof raw.readiness === 'object' && raw.readiness !== null ? raw.readiness : {}) as Record<string, unknown>
  const trl = str(readiness.technology)
  if ((TECHNOLOGY_READINESS as readonly string[]).includes(trl)) d.readiness.technology = trl as TechnologyReadiness
  else if (trl !== '') problems.push({ path: 'readiness.technology', problem: `not one of ${TECHNOLOGY_READINESS.join(', ')}` })
  const drl = str(readiness.documentation)
  if ((DOCUMENTATION_READINESS as readonly string[]).includes(drl)) d.readiness.documentation = drl as DocumentationReadiness
  else if (drl !== '') problems.push({ path: 'readiness.documentation', problem: `not one of ${DOCUMENTATION_READINESS.join(', ')}` })
  const meta = (typeof raw.meta === 'object' && raw.meta !== null ? raw.meta : {}) as Record<string, unknown>
  for (const [key, value] of Object.entries(meta)) {
    if ((META_KEYS as readonly string[]).includes(key)) d.meta[key as MetaKey] = str(value)
    else problems.push({ path: `meta.${key}`, problem: 'unknown key' })
  }
  d.module = fileLinks(raw.module, 'module', problems)
  for (const [id, p] of objectEntries(raw.parts).slice(0, MAX_PARTS)) {
    d.parts.push({
      id,
      name: str(p.name),
      image: str(p.image),
      material: str(p.material),
      dimensions: str(p.dimensions),
      dimensionsUnit: str(p.dimensionsUnit),
      ...fileLinks(p, `parts.${id}`, problems),
      position: num(p.position),
    })
  }
  for (const [id, s] of objectEntries(raw.software).slice(0, MAX_SOFTWARE)) {
    d.software.push({ id, release: str(s.release), installationGuide: str(s.installationGuide), position: num(s.position) })
  }
  const byPosition = (a: { position: number; id: string }, b: { position: number; id: string }) =>
    a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  d.parts.sort(byPosition)
  d.software.sort(byPosition)
  return d
}

// ---- input: what people (or an importer) give ------------------------------------------------

export interface PartInput {
  name: string
  image?: string
  material?: string
  dimensions?: string
  dimensionsUnit?: string
  tsdc?: string[]
  source?: string[]
  export?: string[]
  auxiliary?: string[]
}

export interface SoftwareInput {
  release: string
  installationGuide?: string
}

/** Details given when creating or editing a design; every field optional. */
export interface DetailsInput {
  licensor?: string
  languages?: string[]
  readiness?: { technology?: string | null; documentation?: string | null }
  bomRef?: string
  meta?: Partial<Record<MetaKey, string>>
  module?: Partial<FileLinks>
  /** Only when creating: parts and software are set once, from an import. */
  parts?: PartInput[]
  software?: SoftwareInput[]
}

function shortText(value: unknown, field: string): string {
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw new InvalidInputError(`${field} must be text`)
  const v = value.trim()
  if (v.length > MAX_FIELD_LENGTH) throw new InvalidInputError(`${field} is longer than ${MAX_FIELD_LENGTH} characters`)
  if (/[\u0000-\u001f]/.test(v)) throw new InvalidInputError(`${field} must be a single line`)
  return v
}

function linkList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw new InvalidInputError(`${field} must be a list`)
  if (value.length > MAX_FILE_LINKS) throw new InvalidInputError(`${field} has more than ${MAX_FILE_LINKS} entries`)
  return value.map((v, i) => shortText(v, `${field}[${i}]`)).filter((v) => v !== '')
}

export function parseLanguage(value: unknown): string {
  const v = shortText(value, 'language')
  if (!BCP47.test(v)) throw new InvalidInputError(`not a BCP 47 language tag: ${JSON.stringify(value)} (for example en, en-GB, de)`)
  return v
}

export function parseReadiness<T extends string>(value: unknown, levels: readonly T[], field: string): T | null {
  if (value === undefined || value === null || value === '') return null
  if (typeof value !== 'string' || !(levels as readonly string[]).includes(value.trim())) {
    throw new InvalidInputError(`${field} must be one of ${levels.join(', ')}, not ${JSON.stringify(value)}`)
  }
  return value.trim() as T
}

/** Validates details input; throws InvalidInputError on the first bad field. */
export function parseDetailsInput(input: DetailsInput): DetailsInput {
  const out: DetailsInput = {}
  if (input.licensor !== undefined) out.licensor = shortText(input.licensor, 'licensor')
  if (input.bomRef !== undefined) out.bomRef = shortText(input.bomRef, 'BOM reference')
  if (input.languages !== undefined) {
    if (input.languages.length > MAX_LANGUAGES) throw new InvalidInputError(`more than ${MAX_LANGUAGES} languages`)
    out.languages = [...new Set(input.languages.map(parseLanguage))]
  }
  if (input.readiness !== undefined) {
    out.readiness = {}
    if (input.readiness.technology !== undefined) {
      out.readiness.technology = parseReadiness(input.readiness.technology, TECHNOLOGY_READINESS, 'technology readiness level')
    }
    if (input.readiness.documentation !== undefined) {
      out.readiness.documentation = parseReadiness(input.readiness.documentation, DOCUMENTATION_READINESS, 'documentation readiness level')
    }
  }
  if (input.meta !== undefined) {
    out.meta = {}
    for (const [k, v] of Object.entries(input.meta)) {
      if (!(META_KEYS as readonly string[]).includes(k)) throw new InvalidInputError(`unknown metadata key ${JSON.stringify(k)} (known: ${META_KEYS.join(', ')})`)
      out.meta[k as MetaKey] = shortText(v, k)
    }
  }
  if (input.module !== undefined) {
    out.module = {}
    for (const k of FILE_LINK_KEYS) if (input.module[k] !== undefined) out.module[k] = linkList(input.module[k], `module ${k}`)
  }
  if (input.parts !== undefined) {
    if (input.parts.length > MAX_PARTS) throw new InvalidInputError(`more than ${MAX_PARTS} parts`)
    out.parts = input.parts.map((p, i) => ({
      name: shortText(p.name, `part ${i + 1} name`),
      image: shortText(p.image, `part ${i + 1} image`),
      material: shortText(p.material, `part ${i + 1} material`),
      dimensions: shortText(p.dimensions, `part ${i + 1} dimensions`),
      dimensionsUnit: shortText(p.dimensionsUnit, `part ${i + 1} dimensions unit`),
      tsdc: linkList(p.tsdc, `part ${i + 1} tsdc`),
      source: linkList(p.source, `part ${i + 1} source`),
      export: linkList(p.export, `part ${i + 1} export`),
      auxiliary: linkList(p.auxiliary, `part ${i + 1} auxiliary`),
    }))
  }
  if (input.software !== undefined) {
    if (input.software.length > MAX_SOFTWARE) throw new InvalidInputError(`more than ${MAX_SOFTWARE} software references`)
    out.software = input.software.map((s, i) => ({
      release: shortText(s.release, `software ${i + 1} release`),
      installationGuide: shortText(s.installationGuide, `software ${i + 1} installation guide`),
    }))
  }
  return out
}

const imm = (s: string | undefined) => new ImmutableString(s ?? '')
const immList = (l: string[] | undefined) => (l ?? []).map((s) => new ImmutableString(s))

/** The document fields for a new design's details (input already parsed). */
export function detailsDoc(input: DetailsInput, newId: () => string): DetailsDoc {
  const meta: Record<string, ImmutableString> = {}
  for (const [k, v] of Object.entries(input.meta ?? {})) if (v !== '') meta[k] = imm(v)
  const parts: Record<string, PartDoc> = {}
  ;(input.parts ?? []).forEach((p, i) => {
    parts[newId()] = {
      name: imm(p.name),
      image: imm(p.image),
      material: imm(p.material),
      dimensions: imm(p.dimensions),
      dimensionsUnit: imm(p.dimensionsUnit),
      tsdc: immList(p.tsdc),
      source: immList(p.source),
      export: immList(p.export),
      auxiliary: immList(p.auxiliary),
      position: i + 1,
    }
  })
  const software: Record<string, SoftwareDoc> = {}
  ;(input.software ?? []).forEach((s, i) => {
    software[newId()] = { release: imm(s.release), installationGuide: imm(s.installationGuide), position: i + 1 }
  })
  const readiness = input.readiness ?? {}
  return {
    licensor: imm(input.licensor),
    languages: Object.fromEntries((input.languages ?? []).map((l) => [l, true])),
    readiness: {
      technology: readiness.technology ? imm(readiness.technology) : null,
      documentation: readiness.documentation ? imm(readiness.documentation) : null,
    },
    bomRef: imm(input.bomRef),
    meta,
    module: {
      tsdc: immList(input.module?.tsdc),
      source: immList(input.module?.source),
      export: immList(input.module?.export),
      auxiliary: immList(input.module?.auxiliary),
    },
    parts,
    software,
  }
}

/** Names of the detail fields a (parsed) patch changes, for the edit record's summary. */
export function detailsPatchFields(input: DetailsInput): string[] {
  return [
    input.licensor !== undefined && 'licensor',
    input.languages !== undefined && 'languages',
    input.readiness !== undefined && 'readiness',
    input.bomRef !== undefined && 'BOM reference',
    input.meta !== undefined && 'metadata',
    input.module !== undefined && 'module files',
  ].filter((x): x is string => typeof x === 'string')
}

/** Applies a (parsed) details patch inside an Automerge change. Parts and software are not edited here. */
export function applyDetailsPatch(doc: DetailsDoc, input: DetailsInput): void {
  const setText = (obj: Record<string, unknown>, key: string, v: string) => {
    if (str(obj[key]) !== v) obj[key] = new ImmutableString(v)
  }
  const root = doc as Record<string, unknown>
  if (input.licensor !== undefined) setText(root, 'licensor', input.licensor)
  if (input.bomRef !== undefined) setText(root, 'bomRef', input.bomRef)
  if (input.languages !== undefined) {
    doc.languages ??= {}
    for (const l of Object.keys(doc.languages)) if (!input.languages.includes(l)) delete doc.languages[l]
    for (const l of input.languages) if (doc.languages[l] !== true) doc.languages[l] = true
  }
  if (input.readiness !== undefined) {
    doc.readiness ??= { technology: null, documentation: null }
    for (const k of ['technology', 'documentation'] as const) {
      const v = input.readiness[k]
      if (v === undefined) continue
      if (v === null) {
        if (doc.readiness[k] !== null) doc.readiness[k] = null
      } else if (str(doc.readiness[k]) !== v) doc.readiness[k] = new ImmutableString(v)
    }
  }
  if (input.meta !== undefined) {
    doc.meta ??= {}
    for (const [k, v] of Object.entries(input.meta)) {
      if (v === '') delete doc.meta[k]
      else setText(doc.meta, k, v)
    }
  }
  if (input.module !== undefined) {
    doc.module ??= { tsdc: [], source: [], export: [], auxiliary: [] }
    for (const k of FILE_LINK_KEYS) {
      const v = input.module[k]
      if (v === undefined) continue
      if (JSON.stringify((doc.module[k] ?? []).map(str)) !== JSON.stringify(v)) doc.module[k] = immList(v)
    }
  }
}
