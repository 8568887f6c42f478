/**
 * What reading an OKH manifest shares: the result and warning types, the Reader that collects
 * warnings with their paths, and the Draft that turns checked values into a new design's input.
 */
import type { DesignInit } from '../commons/editing.js'
import { DOCUMENTATION_READINESS, TECHNOLOGY_READINESS, type DesignMeta, type FileLinks, type MetaKey, type PartInput, type SoftwareInput } from '../details.js'
import { SPDX_LICENCE_NAMES } from '../licence-names.js'
import { licenceNamesOf } from '../licences.js'
import { MAX_FIELD_LENGTH, MAX_FILE_LINKS, MAX_LANGUAGES, MAX_OKH_WARNINGS, MAX_README_LENGTH } from '../limits.js'
import { type LicenceKind } from '../schema.js'

/** The `okhv` value of the OKH-LOSH version this module reads and writes. */
export const OKH_LOSH_VERSION = 'OKH-LOSHv1.0'

export type OkhFormat = 'okh-losh' | 'okh-v1'

/** One problem in a manifest: where (a dotted path into it) and what. */
export interface OkhWarning {
  path: string
  problem: string
}

export interface OkhImport {
  format: OkhFormat
  /** What to create the design from (`Commons.createDesign`). */
  design: DesignInit
  warnings: OkhWarning[]
}

export type Table = Record<string, unknown>


export const nearLine = (line: unknown) => (typeof line === 'number' && line > 0 ? ` (there is a mistake near line ${line})` : '')

export function yamlPath(e: { linePos?: [{ line: number; col: number }, ...unknown[]] }): string {
  const pos = e.linePos?.[0]
  return pos ? `line ${pos.line}` : ''
}

export function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '')?.trim() ?? s
}

export function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)
}

/** Collects warnings (capped) and turns loose manifest values into typed ones. */
export class Reader {
  private readonly warnings: OkhWarning[] = []
  private dropped = 0
  /** Keys seen as a single string and as a list, for the mixed-forms warning. */
  private readonly forms = new Map<string, { single: string[]; list: boolean }>()

  private readonly repeats = new Map<string, { first: OkhWarning; more: number }>()

  /** A problem that may recur across entries: reported once, with how many more places have it. */
  once(path: string, problem: string): void {
    const seen = this.repeats.get(problem)
    if (seen) seen.more++
    else this.repeats.set(problem, { first: { path, problem }, more: 0 })
  }

  warn(path: string, problem: string): void {
    if (this.warnings.length < MAX_OKH_WARNINGS) this.warnings.push({ path, problem })
    else this.dropped++
  }

  done(): OkhWarning[] {
    for (const [key, f] of this.forms) {
      if (f.list) for (const path of f.single) this.warn(path, `a single string where this manifest elsewhere gives ${key} as a list; read as a one-item list`)
    }
    for (const { first, more } of this.repeats.values()) {
      this.warn(first.path, more === 0 ? first.problem : `${first.problem} (and in ${more} more place${more === 1 ? '' : 's'})`)
    }
    if (this.dropped > 0) this.warnings.push({ path: '', problem: `${this.dropped} more warnings not listed` })
    return this.warnings
  }

  /** A single-line text value; numbers and booleans are read as text. */
  text(v: unknown, path: string, { quiet = false } = {}): string {
    if (v === undefined || v === null) return ''
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
      if (!quiet) this.warn(path, `a ${typeof v}, not text: read as "${String(v)}"`)
      return String(v)
    }
    if (v instanceof Date) return isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10)
    if (Array.isArray(v)) {
      const first = v.find((x) => typeof x === 'string')
      if (v.length > 1 || first === undefined) this.warn(path, v.length === 0 || first === undefined ? 'an empty or non-text list where text belongs: ignored' : 'a list where one value belongs: kept the first')
      return first === undefined ? '' : this.text(first, path)
    }
    if (typeof v !== 'string') {
      this.warn(path, `a ${typeof v === 'object' ? 'table' : typeof v} where text belongs: ignored`)
      return ''
    }
    let s = v.trim()
    if (/[\u0000-\u001f]/.test(s)) {
      this.warn(path, 'spans several lines: joined into one')
      s = s.replace(/[\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ')
    }
    if (s.length > MAX_FIELD_LENGTH) {
      this.warn(path, `longer than ${MAX_FIELD_LENGTH} characters: cut`)
      s = `${s.slice(0, MAX_FIELD_LENGTH - 1)}…`
    }
    return s
  }

  /** A path or URL into the design's documentation: repo-relative paths and http(s) URLs only. */
  link(v: unknown, path: string): string {
    const s = this.text(v, path)
    if (s === '') return ''
    if (/^[a-z][a-z0-9+.-]*:/i.test(s) && !/^https?:\/\//i.test(s)) {
      this.warn(path, `${JSON.stringify(s)} is neither a repository path nor an http(s) URL: ignored`)
      return ''
    }
    if (s.startsWith('//') || /(^|\/)\.\.(\/|$)/.test(s)) {
      this.warn(path, `${JSON.stringify(s)} points outside the repository: ignored`)
      return ''
    }
    return s
  }

  /** A list of text (or links); a single string is read as a one-item list. */
  list(v: unknown, path: string, key: string, item: (x: unknown, p: string) => string): string[] {
    if (v === undefined || v === null) return []
    const form = this.forms.get(key) ?? { single: [], list: false }
    this.forms.set(key, form)
    if (typeof v === 'string') {
      form.single.push(path)
      const s = item(v, path)
      return s === '' ? [] : [s]
    }
    if (!Array.isArray(v)) {
      this.warn(path, `a ${typeof v === 'object' ? 'table' : typeof v} where a list belongs: ignored`)
      return []
    }
    form.list = true
    if (v.length > MAX_FILE_LINKS) this.warn(path, `more than ${MAX_FILE_LINKS} entries: the rest are ignored`)
    const out: string[] = []
    v.slice(0, MAX_FILE_LINKS).forEach((x, i) => {
      const s = item(x, `${path}[${i}]`)
      if (s !== '' && !out.includes(s)) out.push(s)
    })
    return out
  }

  links(v: unknown, path: string, key: string): string[] {
    return this.list(v, path, key, (x, p) => this.link(x, p))
  }

  table(v: unknown, path: string): Table | null {
    if (v === undefined || v === null) return null
    if (isTable(v)) return v
    this.warn(path, 'not a table of fields: ignored')
    return null
  }

  tables(v: unknown, path: string): Table[] {
    if (v === undefined || v === null) return []
    if (isTable(v)) {
      this.warn(path, 'a single table where a list of tables belongs: read as a list of one')
      return [v]
    }
    if (!Array.isArray(v)) {
      this.warn(path, 'not a list of tables: ignored')
      return []
    }
    return v.filter((t, i) => {
      if (isTable(t)) return true
      this.warn(`${path}[${i}]`, 'not a table of fields: ignored')
      return false
    })
  }
}

/** What both formats build up: the design input, filled field by field. */
export class Draft {
  title = ''
  summary = ''
  readme = ''
  version = ''
  tags: string[] = []
  licenses: Partial<Record<LicenceKind, string | null>> = {}
  licensor = ''
  languages: string[] = []
  technology: string | null = null
  documentation: string | null = null
  bomRef = ''
  meta: Partial<DesignMeta> = {}
  module: FileLinks = { tsdc: [], source: [], export: [], auxiliary: [] }
  parts: PartInput[] = []
  software: SoftwareInput[] = []

  constructor(private readonly r: Reader) {}

  setMeta(key: MetaKey, value: string): void {
    if (value !== '') this.meta[key] = value
  }

  licence(kind: LicenceKind, v: unknown, path: string): void {
    const text = this.r.text(v, path)
    if (text === '') return
    // Reading a manifest is synchronous, so this module carries the SPDX names itself.
    const mapped = licenceNamesOf(SPDX_LICENCE_NAMES).map(text)
    if (!mapped.ok) {
      this.r.warn(path, `${mapped.problem}: the ${kind} licence is left unset`)
      return
    }
    if (mapped.note !== null) this.r.warn(path, mapped.note)
    this.licenses[kind] = mapped.expression
  }

  language(v: unknown, path: string): void {
    for (const tag of this.r.list(v, path, 'documentation-language', (x, p) => this.r.text(x, p))) {
      if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag)) this.r.warn(path, `${JSON.stringify(tag)} is not a BCP 47 language tag (e.g. en, en-GB): ignored`)
      else if (this.languages.length >= MAX_LANGUAGES) this.r.warn(path, `more than ${MAX_LANGUAGES} languages: the rest are ignored`)
      else if (!this.languages.includes(tag)) this.languages.push(tag)
    }
  }

  /** `function` / `description`: the summary is one line; longer text also goes into the readme. */
  describe(v: unknown, path: string): void {
    if (typeof v !== 'string') {
      this.summary = this.r.text(v, path)
      return
    }
    const full = v.trim()
    const firstLine = full.split('\n')[0]!.trim()
    if (full.includes('\n') || full.length > MAX_FIELD_LENGTH) {
      this.summary = (firstLine.length > MAX_FIELD_LENGTH ? `${firstLine.slice(0, MAX_FIELD_LENGTH - 1)}…` : firstLine).replace(/[\u0000-\u001f]+/g, ' ')
      this.addReadme(full, path)
    } else {
      this.summary = this.r.text(full, path)
    }
  }

  addReadme(text: string, path: string, heading?: string): void {
    const block = heading === undefined ? text.trim() : `## ${heading}\n\n${text.trim()}`
    const next = this.readme === '' ? block : `${this.readme}\n\n${block}`
    if (next.length > MAX_README_LENGTH) this.r.warn(path, `too long for the readme (over ${MAX_README_LENGTH} characters): left out`)
    else this.readme = next
  }

  readiness(kind: 'technology' | 'documentation', v: unknown, path: string): void {
    const raw = this.r.text(v, path)
    if (raw === '') return
    const levels: readonly string[] = kind === 'technology' ? TECHNOLOGY_READINESS : DOCUMENTATION_READINESS
    const prefix = kind === 'technology' ? 'OTRL' : 'ODRL'
    const swapped = kind === 'technology' ? 'OTLR' : 'ODLR'
    let value = raw.toUpperCase().replace(/\s+/g, '')
    if (value.startsWith(`${swapped}-`)) value = `${prefix}-${value.slice(swapped.length + 1)}`
    if (!levels.includes(value)) {
      this.r.warn(path, `${JSON.stringify(raw)} is not one of ${levels.join(', ')}: left unset`)
      return
    }
    if (value !== raw) this.r.warn(path, `${JSON.stringify(raw)} is misspelt: read as ${value}`)
    if (value === 'ODRL-3*') this.r.warn(path, 'ODRL-3* (audited) is a star variant that not every OKH tool accepts: kept as it is')
    if (kind === 'technology') this.technology = value
    else this.documentation = value
  }

  dimensions(v: unknown, unit: unknown, path: string): { openscad: string; unit: string } {
    const table = isTable(v) ? v : null
    const openscad = this.r.text(table ? table.openSCAD ?? table.openscad : v, table ? `${path}.openSCAD` : path)
    const u = this.r.text(table ? table.unit : unit, table ? `${path}.unit` : `${path}-dim`)
    if (openscad !== '') {
      if (!balanced(openscad)) this.r.warn(path, `${JSON.stringify(openscad)} has unbalanced brackets: kept as written, fix it at the source`)
      else if (!/^(cube|cylinder|sphere)\s*\(/.test(openscad)) this.r.warn(path, `${JSON.stringify(openscad)} is not an OpenSCAD cube, cylinder or sphere: kept as written`)
      if (u !== '' && !['mm', 'cm', 'm'].includes(u)) this.r.warn(path, `unit ${JSON.stringify(u)} is not mm, cm or m`)
    }
    return { openscad, unit: u }
  }

  build(): DesignInit {
    if (this.title === '') {
      this.r.warn('name', 'the manifest names no design: titled "Untitled OKH import"')
      this.title = 'Untitled OKH import'
    }
    return {
      title: this.title,
      summary: this.summary,
      readme: this.readme,
      version: this.version,
      tags: this.tags,
      licenses: this.licenses,
      licensor: this.licensor,
      languages: this.languages,
      readiness: { technology: this.technology, documentation: this.documentation },
      bomRef: this.bomRef,
      meta: this.meta,
      module: this.module,
      parts: this.parts,
      software: this.software,
    }
  }
}

export function balanced(s: string): boolean {
  const stack: string[] = []
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' }
  for (const c of s) {
    if (c === '(' || c === '[' || c === '{') stack.push(c)
    else if (c in pairs && stack.pop() !== pairs[c]) return false
  }
  return stack.length === 0
}
