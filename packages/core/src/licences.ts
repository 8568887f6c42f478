/**
 * Licences: SPDX expressions validated against the SPDX licence list, free-form licence names
 * (as real OKH manifests carry them) mapped to SPDX where the mapping is unambiguous, and the
 * share-alike check that warns when a fork or proposal relicenses in a way the original licence
 * does not allow. Nothing here blocks a change: the checks produce warnings for people to weigh.
 *
 * Checking an expression needs only the SPDX ids. Reading a licence written as a *name* needs the
 * list's full names too (licence-names.ts, some 120 kB): those are loaded on demand
 * (`loadLicenceNames`), so that what checks ids (every page that shows a design) does not carry
 * them.
 */
import { distance } from 'fastest-levenshtein'
import parseSpdx from 'spdx-expression-parse'
import spdxLicenceIds from 'spdx-license-ids/index.json' with { type: 'json' }
import deprecatedIds from 'spdx-license-ids/deprecated.json' with { type: 'json' }
import exceptionIds from 'spdx-exceptions/index.json' with { type: 'json' }
import type { SpdxLicenceNames } from './licence-names.js'
import { MAX_FIELD_LENGTH, MAX_LICENSE_OPTIONS } from './limits.js'

/** What a design licenses separately: its hardware, its documentation, its software. */
export type LicenceKind = 'hardware' | 'documentation' | 'software'
export const LICENCE_KINDS: readonly LicenceKind[] = ['hardware', 'documentation', 'software']
/** A design's licences: an SPDX expression per kind, or null. */
export type Licences = Record<LicenceKind, string | null>

/**
 * The Peer Production License as Cosmolocal spells it: a `LicenseRef-` reference, valid SPDX
 * whatever list a reader has. Newer SPDX lists also carry it as `PPL`; both are the same licence.
 */
export const PPL_REF = 'LicenseRef-PPL'
const PPL_IDS = [PPL_REF, 'PPL']

const CURRENT = new Set<string>(spdxLicenceIds)
const DEPRECATED = new Set<string>(deprecatedIds)
/** Lower-cased id → canonical spelling, so that `mit` or `cern-ohl-s-2.0` are accepted as typed. */
const CANONICAL = new Map<string, string>([...spdxLicenceIds, ...deprecatedIds, ...exceptionIds, PPL_REF].map((id) => [id.toLowerCase(), id]))

export type SpdxCheck =
  | { ok: true; expression: string; deprecated: string[] }
  | { ok: false; problem: string }

/**
 * Validates an SPDX licence expression (ids from the SPDX list, `LicenseRef-…`, joined by AND /
 * OR / WITH, parentheses). Ids match case-insensitively, as the SPDX spec says; the result is
 * spelt canonically.
 */
export function checkSpdx(value: string): SpdxCheck {
  const source = value.trim()
  if (source === '') return { ok: false, problem: 'empty licence expression' }
  if (source.length > MAX_FIELD_LENGTH) return { ok: false, problem: `longer than ${MAX_FIELD_LENGTH} characters` }
  const expression = source
    .replace(/\s+/g, ' ')
    .replace(/[A-Za-z0-9.+-]+/g, (token) => {
      const upper = token.toUpperCase()
      if (upper === 'AND' || upper === 'OR' || upper === 'WITH') return upper
      const plus = token.endsWith('+') ? '+' : ''
      const id = plus ? token.slice(0, -1) : token
      return (CANONICAL.get(id.toLowerCase()) ?? id) + plus
    })
  let tree: parseSpdx.Info
  try {
    tree = parseSpdx(expression)
  } catch (err) {
    return { ok: false, problem: (err as Error).message }
  }
  const deprecated = leaves(tree)
    .map((l) => l.license)
    .filter((id) => DEPRECATED.has(id) && !CURRENT.has(id))
  return { ok: true, expression, deprecated: [...new Set(deprecated)] }
}

function leaves(tree: parseSpdx.Info): parseSpdx.LicenseInfo[] {
  return 'conjunction' in tree ? [...leaves(tree.left), ...leaves(tree.right)] : [tree]
}

// ---- free-form licence names ---------------------------------------------------------------

/** The GNU family, whose bare deprecated ids SPDX documents as the `-only` variants. */
const GNU_DEPRECATED = /^(AGPL|GPL|LGPL|GFDL)-(\d\.\d)(\+)?$/

/** Normalises a licence name or id for matching: case, punctuation, "licence"/"version"/"v" noise, trailing ".0". */
function nameKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/licen[cs]e/g, ' ')
    .replace(/\b(the|version|international)\b/g, ' ')
    .replace(/\bv(?=\d)/g, ' ')
    .replace(/(\d+(?:\.\d+)*)/g, (v) => v.replace(/(\.0)+$/, ''))
    .replace(/[^a-z0-9]+/g, '')
}

export type LicenceMapping =
  | { ok: true; expression: string; /** Set when the text was not already a current SPDX expression. */ note: string | null }
  | { ok: false; problem: string }

/**
 * What reading licences written as names needs: every current SPDX id and full name, by key (a
 * key naming two or more licences is ambiguous). Get it with `loadLicenceNames` (a chunk of its
 * own in a browser), or `licenceNamesOf` where the list is already imported.
 */
export class LicenceNames {
  readonly #byKey = new Map<string, Set<string>>()

  constructor(list: SpdxLicenceNames) {
    const add = (key: string, id: string) => {
      if (key === '') return
      const set = this.#byKey.get(key) ?? new Set<string>()
      set.add(id)
      this.#byKey.set(key, set)
    }
    for (const id of CURRENT) add(nameKey(id), id)
    for (const [id, info] of Object.entries(list)) if (CURRENT.has(id)) add(nameKey(info.name), id)
  }

  /**
   * Reads a licence as manifests write it. In order:
   * 1. a valid SPDX expression of current ids is kept as it is;
   * 2. a bare deprecated GNU id (`GPL-3.0`, `LGPL-2.1+`) becomes the id SPDX documents as its
   *    replacement (`GPL-3.0-only`, `LGPL-2.1-or-later`);
   * 3. other text is matched against SPDX ids and full names, ignoring case, punctuation, the
   *    words licence / version / international, a `v` before the version and a trailing `.0`.
   *    It maps only when exactly one current SPDX licence matches ("CERN OHL v1.2" →
   *    CERN-OHL-1.2); otherwise it is not mapped ("GPLv3": -only or -or-later? "BSD": which?).
   */
  map(text: string): LicenceMapping {
    const trimmed = text.trim()
    const spdx = checkSpdx(trimmed)
    if (spdx.ok && spdx.deprecated.length === 0) {
      return { ok: true, expression: spdx.expression, note: spdx.expression === trimmed ? null : `read as ${spdx.expression}` }
    }
    const gnu = GNU_DEPRECATED.exec(spdx.ok ? spdx.expression : trimmed)
    if (gnu) {
      const id = `${gnu[1]}-${gnu[2]}-${gnu[3] ? 'or-later' : 'only'}`
      if (CURRENT.has(id)) return { ok: true, expression: id, note: `deprecated SPDX id ${trimmed}, read as ${id} as SPDX documents` }
    }
    if (spdx.ok) {
      return { ok: true, expression: spdx.expression, note: `uses deprecated SPDX id(s) ${spdx.deprecated.join(', ')}` }
    }
    const matches = this.#byKey.get(nameKey(trimmed))
    if (matches?.size === 1) {
      const id = [...matches][0]!
      return { ok: true, expression: id, note: `not an SPDX id; read as ${id}` }
    }
    if (matches !== undefined && matches.size > 1) {
      return { ok: false, problem: `ambiguous licence ${JSON.stringify(trimmed)}: could be ${[...matches].sort().join(' or ')}` }
    }
    return { ok: false, problem: `not an SPDX licence and no unambiguous SPDX match for ${JSON.stringify(trimmed)}` }
  }

  /**
   * The SPDX ids a mistyped licence most probably means, closest first, for "did you mean …?":
   * what `map` reads it as when that is unambiguous (alone); else its ambiguous matches, then the
   * current ids within a few edits of it, ignoring case ("CERN-OHL-S-2.1", "CC-BY-SA4").
   */
  suggest(text: string, max = 3): string[] {
    const typed = text.trim()
    if (typed === '' || typed.length > MAX_FIELD_LENGTH) return []
    const out: string[] = []
    const mapped = this.map(typed)
    // An unambiguous reading is what the person meant: offer it alone.
    if (mapped.ok) return mapped.expression === typed ? [] : [mapped.expression]
    for (const id of [...(this.#byKey.get(nameKey(typed)) ?? [])].sort()) if (!out.includes(id)) out.push(id)
    const t = typed.toLowerCase().replace(/\s+/g, '-')
    const limit = Math.max(1, Math.min(3, Math.floor(t.length / 4)))
    const near = [...CURRENT]
      .map((id) => ({ id, d: distance(t, id.toLowerCase()) }))
      .filter((x) => x.d <= limit && x.id !== typed)
      .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    for (const { id } of near) if (!out.includes(id)) out.push(id)
    // A beginning of ids ("GPL 3" → GPL-3.0-only, GPL-3.0-or-later).
    if (t.length >= 3) {
      const started = [...CURRENT].filter((id) => id.toLowerCase().startsWith(t.replace(/-?$/, ''))).sort((a, b) => a.length - b.length || a.localeCompare(b))
      for (const id of started) if (!out.includes(id)) out.push(id)
    }
    return out.slice(0, max)
  }
}

/** The one table of this process (built once: it normalises some 1,400 ids and names, 10 to 20 ms in a browser). */
let table: LicenceNames | undefined
let loading: Promise<LicenceNames> | undefined

/** The names table, from the SPDX list a module already imported (okh/read.ts: reading a manifest is synchronous). */
export function licenceNamesOf(list: SpdxLicenceNames): LicenceNames {
  return (table ??= new LicenceNames(list))
}

/** The names table, its list loaded on first use (a failed load, say a chunk that did not arrive, is tried again next time). */
export function loadLicenceNames(): Promise<LicenceNames> {
  if (table !== undefined) return Promise.resolve(table)
  loading ??= import('./licence-names.js').then(
    (m) => licenceNamesOf(m.SPDX_LICENCE_NAMES),
    (err: unknown) => {
      loading = undefined
      throw err
    },
  )
  return loading
}

/** `LicenceNames.map`, with the names loaded first. */
export async function mapLicence(text: string): Promise<LicenceMapping> {
  return (await loadLicenceNames()).map(text)
}

/** `LicenceNames.suggest`, with the names loaded first. */
export async function suggestLicences(text: string, max = 3): Promise<string[]> {
  return (await loadLicenceNames()).suggest(text, max)
}

// ---- share-alike ---------------------------------------------------------------------------

/**
 * Licences that bind what a derivative may be licensed under, each with the licences that
 * satisfy it (itself first). Deliberately conservative: when the licence texts do not clearly
 * allow a move, it is not listed, and the change gets a warning for a person to check.
 */
const BINDING: Record<string, readonly string[]> = (() => {
  const t: Record<string, string[]> = {}
  const gpl3 = ['GPL-3.0-only', 'GPL-3.0-or-later']
  t['GPL-2.0-only'] = ['GPL-2.0-only']
  t['GPL-2.0-or-later'] = ['GPL-2.0-or-later', 'GPL-2.0-only', ...gpl3]
  t['GPL-3.0-only'] = ['GPL-3.0-only']
  t['GPL-3.0-or-later'] = [...gpl3]
  t['AGPL-3.0-only'] = ['AGPL-3.0-only']
  t['AGPL-3.0-or-later'] = ['AGPL-3.0-or-later', 'AGPL-3.0-only']
  // LGPL §3 (2.1) and §2 (3.0) let a copy be conveyed under the GPL instead.
  t['LGPL-2.1-only'] = ['LGPL-2.1-only', 'GPL-2.0-only', 'GPL-2.0-or-later', ...gpl3]
  t['LGPL-2.1-or-later'] = ['LGPL-2.1-or-later', 'LGPL-2.1-only', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'GPL-2.0-only', 'GPL-2.0-or-later', ...gpl3]
  t['LGPL-3.0-only'] = ['LGPL-3.0-only', ...gpl3]
  t['LGPL-3.0-or-later'] = ['LGPL-3.0-or-later', 'LGPL-3.0-only', ...gpl3]
  // MPL-2.0 §3.3: GPL-2.0+, LGPL-2.1+, AGPL-3.0+ are its "secondary licenses".
  t['MPL-2.0'] = ['MPL-2.0', 'GPL-2.0-or-later', 'GPL-2.0-only', ...gpl3, 'LGPL-2.1-or-later', 'LGPL-2.1-only', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'AGPL-3.0-only', 'AGPL-3.0-or-later']
  t['MPL-2.0-no-copyleft-exception'] = ['MPL-2.0-no-copyleft-exception']
  t['MPL-1.1'] = ['MPL-1.1']
  t['EPL-1.0'] = ['EPL-1.0']
  t['EPL-2.0'] = ['EPL-2.0']
  t['EUPL-1.1'] = ['EUPL-1.1']
  t['EUPL-1.2'] = ['EUPL-1.2', 'GPL-2.0-only', 'GPL-3.0-only', 'AGPL-3.0-only', 'LGPL-2.1-only', 'LGPL-3.0-only', 'MPL-2.0', 'EPL-1.0', 'OSL-3.0', 'CECILL-2.0', 'CECILL-2.1']
  t['OSL-3.0'] = ['OSL-3.0']
  t['CDDL-1.0'] = ['CDDL-1.0']
  t['OFL-1.1'] = ['OFL-1.1']
  t['ODbL-1.0'] = ['ODbL-1.0']
  t['CECILL-2.1'] = ['CECILL-2.1']
  // Open hardware licences.
  t['CERN-OHL-S-2.0'] = ['CERN-OHL-S-2.0']
  t['CERN-OHL-W-2.0'] = ['CERN-OHL-W-2.0']
  t['CERN-OHL-1.1'] = ['CERN-OHL-1.1']
  t['CERN-OHL-1.2'] = ['CERN-OHL-1.2']
  t['TAPR-OHL-1.0'] = ['TAPR-OHL-1.0']
  // Copyfair: the Peer Production License is share-alike ("under the terms of this licence").
  for (const id of PPL_IDS) t[id] = [...PPL_IDS]
  // Creative Commons share-alike: same licence or a later version (3.0 and 4.0 allow it);
  // BY-SA 4.0 → GPL-3.0 is on Creative Commons' compatible-licences list.
  t['CC-BY-SA-1.0'] = ['CC-BY-SA-1.0']
  t['CC-BY-SA-2.0'] = ['CC-BY-SA-2.0', 'CC-BY-SA-2.5', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0']
  t['CC-BY-SA-2.5'] = ['CC-BY-SA-2.5', 'CC-BY-SA-3.0', 'CC-BY-SA-4.0']
  t['CC-BY-SA-3.0'] = ['CC-BY-SA-3.0', 'CC-BY-SA-4.0']
  t['CC-BY-SA-4.0'] = ['CC-BY-SA-4.0', ...gpl3]
  for (const v of ['1.1', '1.2', '1.3']) {
    t[`GFDL-${v}-only`] = [`GFDL-${v}-only`]
    t[`GFDL-${v}-or-later`] = [`GFDL-${v}-or-later`, `GFDL-${v}-only`, ...['1.2', '1.3'].filter((w) => w > v).flatMap((w) => [`GFDL-${w}-only`, `GFDL-${w}-or-later`])]
  }
  return t
})()

/** Non-commercial and no-derivatives terms bind like share-alike: a derivative may not drop them. */
const RESTRICTIVE = /^CC-BY-(NC|ND|NC-ND|NC-SA)-/

/** Licences that let a derivative be licensed under other terms (attribution may still be owed). */
const PERMISSIVE = new Set([
  '0BSD', 'MIT', 'MIT-0', 'ISC', 'BSD-1-Clause', 'BSD-2-Clause', 'BSD-3-Clause', 'BSD-3-Clause-Clear', 'Apache-1.1', 'Apache-2.0',
  'Zlib', 'Unlicense', 'CC0-1.0', 'CC-BY-1.0', 'CC-BY-2.0', 'CC-BY-2.5', 'CC-BY-3.0', 'CC-BY-4.0', 'CERN-OHL-P-2.0',
  'SHL-0.5', 'SHL-0.51', 'BSL-1.0', 'PSF-2.0', 'Python-2.0', 'X11', 'WTFPL', 'UPL-1.0', 'NCSA', 'PDDL-1.0', 'ODC-By-1.0',
  'BlueOak-1.0.0', 'HPND', 'Artistic-2.0', 'libpng-2.0', 'curl', 'MIT-CMU', 'BSD-2-Clause-Patent', 'Solderpad-1.0',
])

type Term = { id: string; plus: boolean }

/** A licence expression as alternatives (OR), each a set of licences that all apply (AND). */
function options(tree: parseSpdx.Info): Term[][] | null {
  if (!('conjunction' in tree)) return [[{ id: tree.license, plus: tree.plus === true }]]
  const left = options(tree.left)
  const right = options(tree.right)
  if (left === null || right === null) return null
  const out = tree.conjunction === 'or' ? [...left, ...right] : left.flatMap((l) => right.map((r) => [...l, ...r]))
  return out.length > MAX_LICENSE_OPTIONS ? null : out
}

/** A term's id with `+` and deprecated GNU ids spelt as today's -only / -or-later ids. */
function canonicalTerm(term: Term): string {
  const gnu = GNU_DEPRECATED.exec(term.id + (term.plus ? '+' : ''))
  if (gnu) return `${gnu[1]}-${gnu[2]}-${gnu[3] ? 'or-later' : 'only'}`
  const later = term.id.replace(/-only$/, '-or-later')
  return term.plus && BINDING[later] ? later : term.id
}

/** What a licence asks of a derivative: nothing, one of a set of licences, or unknown. */
function binding(term: Term): { kind: 'free' } | { kind: 'bound'; allowed: readonly string[] } | { kind: 'unknown' } {
  const id = canonicalTerm(term)
  if (BINDING[id]) return { kind: 'bound', allowed: BINDING[id]! }
  if (RESTRICTIVE.test(id)) return { kind: 'bound', allowed: [id] }
  if (PERMISSIVE.has(id)) return { kind: 'free' }
  return { kind: 'unknown' }
}

export type LicenceProblem = 'share-alike' | 'unknown-licence' | 'removed'

/** A licence change that the licence it replaces may not allow. Warned about, never blocked. */
export interface LicenceWarning {
  /** Which of the design's licences: hardware, documentation or software. */
  field: LicenceKind
  before: string | null
  after: string | null
  problem: LicenceProblem
  /** The licences whose terms the change may break (share-alike), or that could not be assessed (unknown). */
  licences: string[]
  message: string
}

/** The warnings for moving a design's licences from `before` to `after` (empty when nothing binds the change). */
export function licenceWarnings(before: Licences, after: Licences): LicenceWarning[] {
  const out: LicenceWarning[] = []
  for (const field of ['hardware', 'documentation', 'software'] as const) {
    const w = licenceChange(field, before[field], after[field])
    if (w !== null) out.push(w)
  }
  return out
}

/** The warning, if any, for one licence slot changing from `before` to `after`. */
export function licenceChange(field: LicenceKind, before: string | null, after: string | null): LicenceWarning | null {
  if (before === null || before === after) return null
  const warn = (problem: LicenceProblem, licences: string[], message: string): LicenceWarning => ({
    field,
    before,
    after,
    problem,
    licences,
    message,
  })
  const b = checkSpdx(before)
  const beforeOptions = b.ok ? options(parseSpdx(b.expression)) : null
  if (beforeOptions === null) return warn('unknown-licence', [before], `cannot tell whether ${field} licence ${before} allows relicensing: check by hand`)
  // Any alternative the original offers that binds nothing: the licensee may take that one.
  const assessed = beforeOptions.map((terms) => terms.map((t) => ({ t, b: binding(t) })))
  if (assessed.some((terms) => terms.every((x) => x.b.kind === 'free'))) return null
  if (after === null) {
    const bound = [...new Set(assessed.flatMap((terms) => terms.filter((x) => x.b.kind !== 'free').map((x) => x.t.id)))]
    return warn('removed', bound, `removing the ${field} licence ${before}: its terms still apply to this design and its derivatives`)
  }
  const a = checkSpdx(after)
  const afterOptions = a.ok ? options(parseSpdx(a.expression)) : null
  if (afterOptions === null) return warn('unknown-licence', [after], `cannot tell whether ${after} satisfies ${before}: check by hand`)
  let unknown: string[] | null = null
  let broken: string[] | null = null
  for (const terms of assessed) {
    for (const target of afterOptions) {
      const ids = new Set(target.map(canonicalTerm))
      const unknowns = terms.filter((x) => x.b.kind === 'unknown').map((x) => x.t.id)
      const breaks = terms.filter((x) => x.b.kind === 'bound' && !x.b.allowed.some((id) => ids.has(id))).map((x) => x.t.id)
      if (breaks.length === 0 && unknowns.length === 0) return null
      if (breaks.length === 0) unknown ??= unknowns
      else broken ??= breaks
    }
  }
  if (unknown !== null) {
    return warn('unknown-licence', [...new Set(unknown)], `cannot tell whether ${[...new Set(unknown)].join(', ')} allows relicensing as ${after}: check by hand`)
  }
  const ids = [...new Set(broken ?? [])]
  return warn('share-alike', ids, `${ids.join(', ')} is share-alike: a derivative must stay under ${ids.length === 1 ? 'it' : 'them'} (or a licence ${ids.length === 1 ? 'it allows' : 'they allow'}), not ${after}`)
}

// ---- licence classes -------------------------------------------------------------------------

/**
 * What a licence asks of those who share a derivative or use it commercially, as one word:
 * - `permissive`: a derivative may be licensed otherwise (attribution may still be owed);
 * - `share-alike`: a derivative stays under the licence (or one it names as compatible);
 * - `copyfair`: share-alike, and commercial use is reserved to commons-based and cooperative
 *   enterprises (the Peer Production License);
 * - `non-commercial`: no commercial use at all, and a derivative keeps that (CC BY-NC, BY-NC-SA);
 * - `no-derivatives`: derivatives may not be shared;
 * - `unknown`: not in the table: check by hand.
 */
export type LicenceClass = 'permissive' | 'share-alike' | 'copyfair' | 'non-commercial' | 'no-derivatives' | 'unknown'

/** Each class's rule, in the words shown beside a licence. */
export const LICENCE_RULES: Readonly<Record<LicenceClass, string>> = {
  permissive: 'a derivative may be licensed under other terms; credit the authors as the licence asks',
  'share-alike': 'a derivative must stay under this licence (or one it names as compatible)',
  copyfair:
    'share-alike, and commercial use is reserved to commons-based and cooperative enterprises (worker-owned, with what they earn shared among the workers); a derivative must stay under the same licence',
  'non-commercial': 'no commercial use; a derivative must keep these terms',
  'no-derivatives': 'no derivatives may be shared',
  unknown: 'not a licence Cosmolocal classifies: check its terms by hand',
}

export interface LicenceTerm {
  /** The licence id as written in the expression. */
  id: string
  class: LicenceClass
  rule: string
  /** For share-alike, copyfair and non-commercial licences: the licences a derivative may be under. */
  allows: readonly string[]
}

/** The class of one licence id (an SPDX id or a `LicenseRef-`). */
export function licenceClass(id: string): LicenceClass {
  const canonical = canonicalTerm({ id: id.replace(/\+$/, ''), plus: id.endsWith('+') })
  if (PPL_IDS.includes(canonical)) return 'copyfair'
  if (/^CC-BY-(NC-)?ND-/.test(canonical)) return 'no-derivatives'
  if (/^CC-BY-NC-/.test(canonical)) return 'non-commercial'
  const b = binding({ id: canonical, plus: false })
  return b.kind === 'free' ? 'permissive' : b.kind === 'bound' ? 'share-alike' : 'unknown'
}

/** Every licence an expression names, with its class and rule (empty for an invalid expression). */
export function licenceTerms(expression: string): LicenceTerm[] {
  const check = checkSpdx(expression)
  if (!check.ok) return []
  const seen = new Set<string>()
  const out: LicenceTerm[] = []
  for (const leaf of leaves(parseSpdx(check.expression))) {
    const id = leaf.license + (leaf.plus === true ? '+' : '')
    if (seen.has(id)) continue
    seen.add(id)
    const cls = licenceClass(id)
    const b = binding({ id: leaf.license, plus: leaf.plus === true })
    out.push({ id, class: cls, rule: LICENCE_RULES[cls], allows: b.kind === 'bound' ? b.allowed : [] })
  }
  return out
}
