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
import { parse as parseToml } from 'smol-toml'
import { parseDocument } from 'yaml'
import { OkhParseError } from '../errors.js'
import { MAX_OKH_MANIFEST_LENGTH } from '../limits.js'
import { type OkhImport, Reader, type Table, firstLine, isTable, nearLine, yamlPath } from './read.js'
import { readLosh } from './losh.js'
import { readV1 } from './v1.js'

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
    // logLevel 'error': a key that is a list or a map (some real manifests have them) is stringified
    // and then unknown, as any unknown field; the library would also print a process warning.
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, logLevel: 'error' })
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
