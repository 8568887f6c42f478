/**
 * Open Know-How manifests in and out: OKH-LOSH (`okh.toml`) and OKH v1 (`okh.yml`) read into the
 * input for a new design, and a design written out as an OKH-LOSH manifest. Pure functions from
 * text to typed values and back (no filesystem), so the CLI and the web app share them.
 *
 * Real manifests have defects (misspelt keys, values outside the enums, strings where lists
 * belong, non-SPDX licences). The importer keeps what it can and reports each problem as a
 * warning with its path; a file that is not a manifest (empty, binary, unreadable TOML / YAML, not a table
 * of fields, none of a manifest's fields, too large) is refused with one OkhParseError whose
 * message is one sentence for people and whose context says which `reason`. The field mapping is in docs/okh.md.
 */
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml'
import { parseDocument } from 'yaml'
import type { DesignInit } from './commons/editing.js'
import { DOCUMENTATION_READINESS, TECHNOLOGY_READINESS, type DesignMeta, type FileLinks, type MetaKey, type PartInput, type SoftwareInput } from './details.js'
import { OkhParseError } from './errors.js'
import { cleanDisplayName } from './identity.js'
import { mapLicence } from './licences.js'
import { MAX_FIELD_LENGTH, MAX_FILE_LINKS, MAX_LANGUAGES, MAX_OKH_MANIFEST_LENGTH, MAX_OKH_WARNINGS, MAX_PARTS, MAX_SOFTWARE, MAX_README_LENGTH } from './limits.js'
import { parseTag, type DesignContent, type LicenceKind } from './schema.js'

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

type Table = Record<string, unknown>

// ---- reading ---------------------------------------------------------------------------------

/**
 * Reads an OKH manifest. `syntax` comes from the file name when known (.toml → TOML, .yml /
 * .yaml → YAML); otherwise TOML is tried first, then YAML.
 */
export function importOkh(text: string, options: { syntax?: 'toml' | 'yaml' } = {}): OkhImport {
  if (typeof text !== 'string') throw refused('not-text', 'it is not text')
  if (text.length > MAX_OKH_MANIFEST_LENGTH) {
    throw refused('too-large', `it is larger than ${MAX_OKH_MANIFEST_LENGTH} characters, and real manifests are a few kilobytes`, { length: text.length })
  }
  if (text.trim() === '') throw refused('empty', 'the file is empty')
  // Bytes that are not UTF-8 text decode to U+FFFD; NUL never appears in TOML or YAML.
  if (/[\u0000\uFFFD]/.test(text)) throw refused('not-text', 'it is not text (it looks like an image or another binary file)')
  const r = new Reader()
  const { syntax, table } = parseSyntax(text, options.syntax, r)
  const losh = syntax === 'toml' || 'okhv' in table || ('name' in table && !('title' in table))
  if (!looksLikeManifest(table)) {
    throw refused('not-a-manifest', `it has none of a manifest's fields (a manifest gives at least the design's ${losh ? 'name' : 'title'} and its licence or version)`)
  }
  if (losh && syntax === 'yaml') r.warn('', 'OKH-LOSH fields in a YAML file: OKH-LOSH manifests are TOML (okh.toml)')
  const design = losh ? readLosh(table, r) : readV1(table, r)
  return { format: losh ? 'okh-losh' : 'okh-v1', design, warnings: r.done() }
}

/**
 * Why a file is refused, as one sentence for people ("not an Open Know-How manifest: the file is
 * empty"); `reason` says which case, for callers that match on it.
 */
function refused(reason: 'not-text' | 'too-large' | 'empty' | 'syntax' | 'not-a-manifest', why: string, context: Record<string, unknown> = {}): OkhParseError {
  return new OkhParseError(`not an Open Know-How manifest: ${why}.`, { reason, ...context })
}

/**
 * Keys that say a table is an OKH manifest, beside its name or title: OKH's own (a package
 * manifest has a name, a version and a description too, but none of these), and a licence.
 */
const MANIFEST_KEYS = new Set([
  'okhv', 'license', 'licensor', 'repo', 'function', 'bom', 'manifest-author', 'documentation-home', 'project-link', 'made',
  'made-independently', 'documentation-language', 'documentation-readiness-level', 'technology-readiness-level', 'derivative-of',
  'fork-of', 'variant-of', 'making-instructions', 'manufacturing-instructions', 'manufacturing-files', 'design-files', 'schematics',
  'health-safety-notice', 'intended-use', 'indended-use', 'operating-instructions', 'development-stage', 'outer-dimensions', 'tsdc', 'cpc-patent-class',
])

function looksLikeManifest(table: Table): boolean {
  return ('name' in table || 'title' in table) && Object.keys(table).some((k) => MANIFEST_KEYS.has(k))
}

function parseSyntax(text: string, syntax: 'toml' | 'yaml' | undefined, r: Reader): { syntax: 'toml' | 'yaml'; table: Table } {
  let tomlError: Error | null = null
  if (syntax !== 'yaml') {
    try {
      return { syntax: 'toml', table: parseToml(text) as Table }
    } catch (err) {
      tomlError = err as Error
      if (syntax === 'toml') throw refused('syntax', `its TOML cannot be read${nearLine((err as { line?: unknown }).line)}`)
    }
  }
  let doc: ReturnType<typeof parseDocument>
  let value: unknown
  try {
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false })
    value = doc.toJS({ maxAliasCount: 100 })
  } catch {
    throw refused('syntax', syntax === 'yaml' ? 'its YAML cannot be read' : 'it is neither TOML nor YAML that can be read')
  }
  if (!isTable(value)) {
    if (syntax === 'yaml' && doc.errors.length > 0) throw refused('syntax', `its YAML cannot be read${nearLine(doc.errors[0]!.linePos?.[0]?.line)}`)
    throw refused(
      tomlError !== null && syntax === undefined ? 'not-a-manifest' : 'not-a-manifest',
      tomlError !== null && syntax === undefined ? 'it is neither TOML nor a YAML list of fields' : 'it is not a list of fields',
    )
  }
  for (const e of doc.errors) r.warn(yamlPath(e), `YAML error (the rest was read): ${firstLine(e.message)}`)
  for (const e of doc.warnings) if (e.code !== 'BAD_DIRECTIVE') r.warn(yamlPath(e), `YAML: ${firstLine(e.message)}`)
  return { syntax: 'yaml', table: value }
}

const nearLine = (line: unknown) => (typeof line === 'number' && line > 0 ? ` (there is a mistake near line ${line})` : '')

function yamlPath(e: { linePos?: [{ line: number; col: number }, ...unknown[]] }): string {
  const pos = e.linePos?.[0]
  return pos ? `line ${pos.line}` : ''
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '')?.trim() ?? s
}

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)
}

/** Collects warnings (capped) and turns loose manifest values into typed ones. */
class Reader {
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
class Draft {
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
    const mapped = mapLicence(text)
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

function balanced(s: string): boolean {
  const stack: string[] = []
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' }
  for (const c of s) {
    if (c === '(' || c === '[' || c === '{') stack.push(c)
    else if (c in pairs && stack.pop() !== pairs[c]) return false
  }
  return stack.length === 0
}

// ---- OKH-LOSH --------------------------------------------------------------------------------

const LOSH_LINKS: Record<string, MetaKey> = {
  release: 'release',
  readme: 'readmeFile',
  'contribution-guide': 'contributionGuide',
  'user-manual': 'userManual',
  attestation: 'attestation',
}

/** Keys OKH-LOSH defines that a design has no place for: reported, not kept. */
const LOSH_NOT_KEPT = new Set(['standard-compliance', 'mass'])

function readLosh(t: Table, r: Reader): DesignInit {
  const d = new Draft(r)
  const okhv = t.okhv
  if (okhv === undefined) r.warn('okhv', `missing: read as ${OKH_LOSH_VERSION}`)
  else if (okhv !== OKH_LOSH_VERSION) r.warn('okhv', `${JSON.stringify(okhv)} is not ${JSON.stringify(OKH_LOSH_VERSION)}: read as ${OKH_LOSH_VERSION}`)
  for (const [key, v] of Object.entries(t)) {
    switch (key) {
      case 'okhv':
        break
      case 'name':
        d.title = r.text(v, key)
        break
      case 'function':
        d.describe(v, key)
        break
      case 'version':
        d.version = r.text(v, key, { quiet: true })
        break
      case 'repo': {
        const repo = r.link(v, key)
        if (repo !== '' && !/^https?:\/\//i.test(repo)) r.warn(key, `${JSON.stringify(repo)} is not a web URL`)
        d.setMeta('repo', repo)
        break
      }
      case 'license':
        d.licence('hardware', v, key)
        break
      case 'licensor':
        d.licensor = r.text(v, key)
        break
      case 'organisation':
      case 'organization':
        if (key === 'organisation') r.warn(key, 'OKH-LOSH spells it "organization": read as organization')
        d.setMeta('organization', r.text(v, key))
        break
      case 'image':
        d.setMeta('image', r.link(v, key))
        break
      case 'manufacturing-instructions':
        d.setMeta('manufacturingInstructions', r.link(v, key))
        break
      case 'documentation-language':
        d.language(v, key)
        break
      case 'technology-readiness-level':
        d.readiness('technology', v, key)
        break
      case 'documentation-readiness-level':
        d.readiness('documentation', v, key)
        break
      case 'cpc-patent-class': {
        const cpc = r.text(v, key)
        if (cpc !== '' && !/^[A-HY]\d{2}[A-Z]( ?\d{1,4}\/\d{2,6})?$/.test(cpc)) r.warn(key, `${JSON.stringify(cpc)} is not a CPC class id (e.g. D03D 35/00): kept as written`)
        d.setMeta('cpcPatentClass', cpc)
        break
      }
      case 'bom':
        d.bomRef = r.link(v, key)
        break
      case 'tsdc':
        d.module.tsdc = r.list(v, key, 'tsdc', (x, p) => r.text(x, p))
        break
      case 'source':
      case 'export':
      case 'auxiliary':
        d.module[key] = r.links(v, key, key)
        break
      case 'outer-dimensions':
      case 'outer-dimension': {
        if (key === 'outer-dimension') r.once(key, 'older form of outer-dimensions (with outer-dimension-dim): read as outer-dimensions')
        const dim = d.dimensions(v, t['outer-dimension-dim'], key)
        d.setMeta('outerDimensions', dim.openscad)
        d.setMeta('outerDimensionsUnit', dim.unit)
        break
      }
      case 'outer-dimension-dim':
        break
      case 'fork-of':
        // Any URL: a Cosmolocal design's is automerge:…
        d.setMeta('forkOf', r.text(v, key))
        break
      case 'part':
        readParts(d, t.part, r)
        break
      case 'software':
        r.tables(v, key).forEach((s, i) => {
          if (d.software.length >= MAX_SOFTWARE) return r.warn(`software[${i}]`, `more than ${MAX_SOFTWARE} software entries: ignored`)
          const release = r.link(s.release, `software[${i}].release`)
          if (release === '') return r.warn(`software[${i}]`, 'has no release: ignored')
          if (/^v?\d+(\.\d+)*$/.test(release)) {
            r.warn(`software[${i}].release`, `${JSON.stringify(release)} looks like a version number, not a URL or path to the release: kept as written`)
          }
          for (const k of Object.keys(s)) if (k !== 'release' && k !== 'installation-guide') r.warn(`software[${i}].${k}`, 'unknown key: ignored')
          d.software.push({ release, installationGuide: r.link(s['installation-guide'], `software[${i}].installation-guide`) })
        })
        break
      default:
        if (key in LOSH_LINKS) d.setMeta(LOSH_LINKS[key]!, r.link(v, key))
        else if (LOSH_NOT_KEPT.has(key)) r.warn(key, 'not imported: a design has no place for it yet')
        else r.warn(key, 'not an OKH-LOSH key: ignored')
    }
  }
  return d.build()
}

const PART_KEYS = new Set(['name', 'image', 'tsdc', 'tsdc-id', 'source', 'export', 'auxiliary', 'material', 'outer-dimensions', 'outer-dimension', 'outer-dimension-dim'])

function readParts(d: Draft, v: unknown, r: Reader): void {
  const parts = r.tables(v, 'part')
  if (parts.length > MAX_PARTS) r.warn('part', `more than ${MAX_PARTS} parts: the rest are ignored`)
  parts.slice(0, MAX_PARTS).forEach((p, i) => {
    const path = `part[${i}]`
    let name = r.text(p.name, `${path}.name`)
    if (name === '') {
      name = `part ${i + 1}`
      r.warn(`${path}.name`, `missing: named "${name}"`)
    }
    if (p['tsdc-id'] !== undefined) r.warn(`${path}.tsdc-id`, 'OKH-LOSH calls it "tsdc": read as tsdc')
    const hasDims = p['outer-dimensions'] !== undefined || p['outer-dimension'] !== undefined
    if (p['outer-dimension'] !== undefined) r.once(`${path}.outer-dimension`, 'older form of outer-dimensions (with outer-dimension-dim): read as outer-dimensions')
    const dims = hasDims
      ? d.dimensions(p['outer-dimensions'] ?? p['outer-dimension'], p['outer-dimension-dim'], `${path}.${p['outer-dimensions'] !== undefined ? 'outer-dimensions' : 'outer-dimension'}`)
      : { openscad: '', unit: '' }
    const part: PartInput = {
      name,
      image: r.link(p.image, `${path}.image`),
      material: r.text(p.material, `${path}.material`),
      dimensions: dims.openscad,
      dimensionsUnit: dims.unit,
      tsdc: r.list(p.tsdc ?? p['tsdc-id'], `${path}.tsdc`, 'part tsdc', (x, q) => r.text(x, q)),
      source: r.links(p.source, `${path}.source`, 'part source'),
      export: r.links(p.export, `${path}.export`, 'part export'),
      auxiliary: r.links(p.auxiliary, `${path}.auxiliary`, 'part auxiliary'),
    }
    if (part.source!.length + part.export!.length === 0) r.warn(path, 'has neither source nor export files (OKH-LOSH needs one)')
    for (const k of Object.keys(p)) if (!PART_KEYS.has(k)) r.warn(`${path}.${k}`, k === 'mass' ? 'not imported: a part has no place for it yet' : 'not an OKH-LOSH part key: ignored')
    d.parts.push(part)
  })
}

// ---- OKH v1 ----------------------------------------------------------------------------------

/** OKH v1 fields a design has no place for: reported, not kept. */
const V1_NOT_KEPT = new Set([
  'date-created', 'date-updated', 'manifest-author', 'manifest-language', 'manifest_language', 'contact', 'contributors',
  'standards-used', 'sub', 'tool-list', 'risk-assessment', 'tool-settings', 'quality-instructions',
  'maintenance-instructions', 'disposal-instructions', 'okh-manifest-version', 'manifest-is-translation',
  'documentation-is-translation',
])

function readV1(t: Table, r: Reader): DesignInit {
  const d = new Draft(r)
  const docs = (key: string) => r.tables(t[key], key).map((e, i) => ({ path: r.link(e.path, `${key}[${i}].path`), title: r.text(e.title, `${key}[${i}].title`) })).filter((e) => e.path !== '')
  const firstDoc = (key: string, meta: MetaKey) => {
    const list = docs(key)
    if (list.length > 1) r.warn(key, `${list.length} entries: kept the first (${list[0]!.path})`)
    if (list[0]) d.setMeta(meta, list[0].path)
  }
  const made = t['made-independently'] === true ? 'OTRL-5' : t.made === true ? 'OTRL-4' : null
  for (const [key, v] of Object.entries(t)) {
    switch (key) {
      case 'title':
        d.title = r.text(v, key)
        break
      case 'description':
        d.describe(v, key)
        break
      case 'intended-use':
      case 'indended-use':
        if (typeof v === 'string' && v.trim() !== '') d.addReadme(v, key, 'Intended use')
        break
      case 'health-safety-notice':
        if (typeof v === 'string' && v.trim() !== '') d.addReadme(v, key, 'Health and safety')
        break
      case 'keywords':
        for (const k of r.list(v, key, key, (x, p) => r.text(x, p))) {
          try {
            const tag = parseTag(k)
            if (!d.tags.includes(tag)) d.tags.push(tag)
          } catch {
            r.warn(key, `${JSON.stringify(k)} is not a usable tag: ignored`)
          }
        }
        break
      case 'version':
        d.version = r.text(v, key, { quiet: true })
        break
      case 'license': {
        if (typeof v === 'string') {
          r.warn(key, 'a single licence where OKH v1 has hardware / documentation / software: read as the hardware licence')
          d.licence('hardware', v, key)
          break
        }
        const table = r.table(v, key)
        for (const kind of ['hardware', 'documentation', 'software'] as const) if (table?.[kind] !== undefined) d.licence(kind, table[kind], `${key}.${kind}`)
        for (const k of Object.keys(table ?? {})) if (!['hardware', 'documentation', 'software'].includes(k)) r.warn(`${key}.${k}`, 'unknown key: ignored')
        break
      }
      case 'licensor': {
        if (typeof v === 'string') {
          d.licensor = r.text(v, key)
          break
        }
        const table = r.table(v, key)
        if (table === null) break
        const name = r.text(table.name, `${key}.name`)
        const email = r.text(table.email, `${key}.email`)
        d.licensor = email === '' ? name : `${name} <${email}>`.trim()
        d.setMeta('organization', r.text(table.affiliation, `${key}.affiliation`))
        break
      }
      case 'documentation-home':
        d.setMeta('repo', r.link(v, key))
        break
      case 'project-link':
        if (t['documentation-home'] === undefined) d.setMeta('repo', r.link(v, key))
        else r.warn(key, 'not imported: documentation-home is kept as the repository')
        break
      case 'archive-download':
        d.setMeta('release', r.link(v, key))
        break
      case 'image':
        d.setMeta('image', r.link(v, key))
        break
      case 'bom':
        d.bomRef = r.link(v, key)
        break
      case 'documentation-language':
      case 'documentation_language':
        d.language(v, key)
        break
      case 'development-stage':
        if (made === null && r.text(v, key).toLowerCase() === 'prototype') d.technology = 'OTRL-4'
        else if (made === null) r.warn(key, `${JSON.stringify(r.text(v, key))} has no OTRL equivalent: technology readiness left unset`)
        break
      case 'made':
      case 'made-independently':
        if (typeof v !== 'boolean') r.warn(key, 'not true or false: ignored')
        else if (made !== null) d.technology = made
        break
      case 'derivative-of':
      case 'variant-of': {
        const table = r.table(v, key)
        if (table === null) break
        const origin = r.link(table.web, `${key}.web`) || r.link(table.manifest, `${key}.manifest`) || r.text(table.title ?? table.name, `${key}.title`)
        if (d.meta.forkOf !== undefined) r.warn(key, 'a second origin: ignored')
        else d.setMeta('forkOf', origin)
        break
      }
      case 'design-files':
      case 'schematics':
      case 'manufacturing-files':
        for (const e of docs(key)) {
          if (d.parts.length >= MAX_PARTS) {
            r.warn(key, `more than ${MAX_PARTS} parts: the rest are ignored`)
            break
          }
          const name = e.title || e.path.split('/').filter(Boolean).pop() || e.path
          d.parts.push(key === 'manufacturing-files' ? { name, export: [e.path] } : { name, source: [e.path] })
        }
        break
      case 'making-instructions':
        firstDoc(key, 'manufacturingInstructions')
        break
      case 'operating-instructions':
        firstDoc(key, 'userManual')
        break
      case 'software':
        for (const e of docs(key).slice(0, MAX_SOFTWARE)) d.software.push({ release: e.path })
        break
      default:
        if (V1_NOT_KEPT.has(key)) r.warn(key, 'not imported: a design has no place for it')
        else r.warn(key, 'not an OKH v1 key: ignored')
    }
  }
  return d.build()
}

// ---- writing ---------------------------------------------------------------------------------

export interface OkhExportInput {
  content: DesignContent
  /** The design's own URL. */
  url: string
  /** The design it was forked from, if any: written as `fork-of`. */
  forkedFrom: string | null
  /**
   * Who contributed (from `Commons.contributions`). OKH-LOSH has no key for contributors (its
   * `licensor` is the rights holder, a legal statement, not a credit list), so they are written as
   * comment lines at the top of the manifest; the ValueFlows export carries them as data.
   */
  contributors?: readonly { id: string; name: string | null }[]
}

export interface OkhExport {
  /** The manifest: OKH-LOSH TOML. */
  text: string
  /** What the manifest lacks or leaves out (required fields the design does not have, licences OKH-LOSH has no key for). */
  warnings: OkhWarning[]
}

/** Writes a design as an OKH-LOSH manifest (`okh.toml`). */
export function exportOkh(input: OkhExportInput): OkhExport {
  const c = input.content
  const warnings: OkhWarning[] = []
  const out: Table = { okhv: OKH_LOSH_VERSION, name: c.title }
  const put = (key: string, v: string | string[] | null | undefined) => {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return
    out[key] = v
  }
  const required = (key: string, v: string, hint: string) => {
    if (v === '') warnings.push({ path: key, problem: `required by OKH-LOSH but the design has none: ${hint}` })
    put(key, v)
  }
  required('repo', c.meta.repo, 'set it with `cosmo design edit URL --meta repo=https://…`')
  required('version', c.version, 'set it with `cosmo design edit URL --version V`')
  put('release', c.meta.release)
  const licence = c.licenses.hardware ?? c.licenses.documentation ?? c.licenses.software
  required('license', licence ?? '', 'set one with `cosmo design edit URL --hardware-license SPDX`')
  for (const kind of ['documentation', 'software'] as const) {
    const l = c.licenses[kind]
    if (l !== null && l !== licence) warnings.push({ path: 'license', problem: `OKH-LOSH has one licence: the ${kind} licence ${l} is not in the manifest` })
  }
  required('licensor', c.licensor, 'set it with `cosmo design edit URL --licensor NAME`')
  if (c.place !== '' || c.placeCode !== null) {
    // Neither the OKH-LOSH schema nor its ontology has a field for where a design is adapted for.
    const where = [c.place, c.placeCode ?? ''].filter((x) => x !== '').join(', ')
    warnings.push({ path: 'place', problem: `OKH-LOSH has no field for where a design is adapted for: "${where}" is not in the manifest` })
  }
  put('organization', c.meta.organization)
  put('readme', c.meta.readmeFile)
  put('contribution-guide', c.meta.contributionGuide)
  put('image', c.meta.image)
  put('documentation-language', c.languages.length === 1 ? c.languages[0] : c.languages)
  put('technology-readiness-level', c.readiness.technology)
  put('documentation-readiness-level', c.readiness.documentation)
  put('attestation', c.meta.attestation)
  required('function', c.summary || c.title, '')
  put('cpc-patent-class', c.meta.cpcPatentClass)
  put('tsdc', c.module.tsdc)
  put('bom', c.bomRef)
  put('manufacturing-instructions', c.meta.manufacturingInstructions)
  put('user-manual', c.meta.userManual)
  if (c.meta.outerDimensions !== '') out['outer-dimensions'] = { openSCAD: c.meta.outerDimensions, unit: c.meta.outerDimensionsUnit || 'mm' }
  put('source', c.module.source)
  put('export', c.module.export)
  put('auxiliary', c.module.auxiliary)
  // okh:forkOf (OKH-LOSH ontology): this design's lineage, else what an import recorded.
  put('fork-of', input.forkedFrom ?? c.meta.forkOf)
  if (c.parts.length > 0) {
    out.part = c.parts.map((p, i) => {
      const part: Table = { name: p.name }
      const set = (k: string, v: string | string[]) => {
        if (v !== '' && !(Array.isArray(v) && v.length === 0)) part[k] = v
      }
      set('image', p.image)
      set('tsdc', p.tsdc)
      set('source', p.source)
      set('export', p.export)
      set('auxiliary', p.auxiliary)
      set('material', p.material)
      if (p.dimensions !== '') part['outer-dimensions'] = { openSCAD: p.dimensions, unit: p.dimensionsUnit || 'mm' }
      if (p.source.length + p.export.length === 0) warnings.push({ path: `part[${i}]`, problem: `part "${p.name}" has neither source nor export files (OKH-LOSH needs one)` })
      return part
    })
  }
  if (c.software.length > 0) {
    out.software = c.software.map((s) => (s.installationGuide === '' ? { release: s.release } : { release: s.release, 'installation-guide': s.installationGuide }))
  }
  const credits = (input.contributors ?? []).map((p) => {
    const name = p.name === null ? null : cleanDisplayName(p.name)
    return `#   ${name === null ? '' : `${name} `}(${p.id.replace(/[^A-Za-z0-9]/g, '')})\n`
  })
  const header = `# OKH-LOSH manifest of ${input.url}, written by Cosmolocal.\n${credits.length === 0 ? '' : `# Contributors (from its signed records; see its ValueFlows export):\n${credits.join('')}`}`
  return { text: header + stringifyToml(out) + '\n', warnings }
}
