/**
 * Where a design is adapted for: a free-text place ("Nairobi, Kibera workshop") and an optional
 * ISO 3166 code, a country (`KE`) or a region of one (`KE-30`, ISO 3166-2).
 *
 * In content, signed like any field, but kept per design: the content document holds each
 * design's place under keys naming that design, and a design reads only its own. Content
 * travels between related designs (proposals, updates): a flat field would make Lyon's fork,
 * merged into Nairobi's, claim Lyon (or conflict with Nairobi's place), and every accepted proposal
 * would move the upstream to wherever its fork is. Keyed by design, each design's place travels
 * harmlessly with the rest and never changes another design's.
 *
 * Same style as details.ts: short fields are ImmutableStrings, all optional in the document, so
 * designs made before places existed parse unchanged.
 */
import { ImmutableString } from '@automerge/automerge'
import { InvalidInputError } from './errors.js'
import type { DesignId } from './ids.js'
import { MAX_FIELD_LENGTH } from './limits.js'

/** The parsed place of a design: '' and null when it says none. */
export interface DesignPlace {
  place: string
  placeCode: string | null
}

/**
 * What Automerge stores: two root keys per design, `place:<design id>` and `placeCode:<design id>`,
 * each an ImmutableString (a last-writer-wins register). Root keys, not a nested map: a map that
 * two designs' maintainers each create concurrently would keep only one of them.
 */
export type PlacesDoc = { [key: `place:${string}` | `placeCode:${string}`]: ImmutableString | undefined }

export const placeKey = (design: DesignId) => `place:${design}` as const
export const placeCodeKey = (design: DesignId) => `placeCode:${design}` as const

/** A place as people give it: undefined leaves it, '' (or null) clears it. */
export interface PlaceInput {
  place?: string | null
  placeCode?: string | null
}

/** ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision suffix. */
const PLACE_CODE = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/

export function emptyPlace(): DesignPlace {
  return { place: '', placeCode: null }
}

function str(v: unknown): string {
  if (v instanceof ImmutableString) return v.val
  if (typeof v === 'string') return v
  return ''
}

/**
 * The place `design` gives itself in a raw content document. Only the design's own entry is read
 * (the others belong to related designs); a malformed one is reported and read as none. Checks
 * only the code's form, never a country list: verification must read the same everywhere,
 * whatever country data a platform has.
 */
export function parsePlace(raw: Record<string, unknown>, design: DesignId | undefined, problems: { path: string; problem: string }[]): DesignPlace {
  const out = emptyPlace()
  if (design === undefined) return out
  const name = str(raw[placeKey(design)])
  const code = str(raw[placeCodeKey(design)])
  if (name.length > MAX_FIELD_LENGTH || /[\u0000-\u001f]/.test(name)) problems.push({ path: placeKey(design), problem: `not one line of at most ${MAX_FIELD_LENGTH} characters` })
  else out.place = name
  if (code !== '') {
    if (PLACE_CODE.test(code)) out.placeCode = code
    else problems.push({ path: placeCodeKey(design), problem: 'not an ISO 3166 country or region code' })
  }
  return out
}

// Made at first use: building it loads the platform's region names (about 20 ms in a browser),
// which every start-up would pay for a field most designs leave empty.
let regionNames: Intl.DisplayNames | undefined
const regions = () => (regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }))

/**
 * A place code as people type it: an ISO 3166-1 alpha-2 country (`ke` → `KE`), or a region of
 * one (`FR-69`). The country must be one the platform's region names know; the region part is
 * checked for its form only (ISO 3166-2 has thousands of them).
 */
export function parsePlaceCode(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null
  if (typeof value !== 'string') throw new InvalidInputError('place code must be text')
  const v = value.trim().toUpperCase()
  if (!PLACE_CODE.test(v)) {
    throw new InvalidInputError(`place code must be an ISO 3166 country code (KE) or region code (KE-30), not ${JSON.stringify(value)}`, { field: 'placeCode' })
  }
  const country = v.slice(0, 2)
  if (country === 'ZZ' || regions().of(country) === undefined) {
    throw new InvalidInputError(`place code ${JSON.stringify(value)}: ${country} is not an ISO 3166 country code`, { field: 'placeCode' })
  }
  return v
}

/** The country (or region) name of a code, for display ("KE" → "Kenya"); the code itself when unknown. */
export function placeCodeName(code: string): string {
  return regions().of(code.slice(0, 2)) ?? code
}

/**
 * True when a design's place answers `query` (what a maker near somewhere types): an ISO 3166 code
 * matches the design's code or a region of it (`KE` matches `KE-30`); otherwise every word of the
 * query must appear in the place or its code, case and accents ignored ("nairobi" matches
 * "Nairobi, Kibera"). An empty query matches everything. For catalogues and lineage filters.
 */
export function matchesPlace(p: DesignPlace, query: string): boolean {
  const q = query.trim()
  if (q === '') return true
  const code = p.placeCode ?? ''
  const upper = q.toUpperCase()
  if (PLACE_CODE.test(upper) && code !== '' && (code === upper || code.startsWith(`${upper}-`))) return true
  const fold = (t: string) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
  const haystack = fold(`${p.place} ${code}`)
  return fold(q)
    .split(/[\s,]+/)
    .filter((w) => w !== '')
    .every((w) => haystack.includes(w))
}

/** Validates place input; throws InvalidInputError on a bad field. */
export function parsePlaceInput(input: PlaceInput): PlaceInput {
  const out: PlaceInput = {}
  if (input.place !== undefined) {
    const v = input.place ?? ''
    if (typeof v !== 'string') throw new InvalidInputError('place must be text')
    const t = v.trim()
    if (t.length > MAX_FIELD_LENGTH) throw new InvalidInputError(`place is longer than ${MAX_FIELD_LENGTH} characters`, { field: 'place' })
    if (/[\u0000-\u001f]/.test(t)) throw new InvalidInputError('place must be a single line', { field: 'place' })
    out.place = t
  }
  if (input.placeCode !== undefined) out.placeCode = parsePlaceCode(input.placeCode)
  return out
}

/** Names of the place fields a (parsed) patch changes, for the edit record's summary. */
export function placePatchFields(input: PlaceInput): string[] {
  return [input.place !== undefined && 'place', input.placeCode !== undefined && 'place code'].filter((x): x is string => typeof x === 'string')
}

/** Applies a (parsed) place patch for `design` inside an Automerge change ('' and null clear). */
export function applyPlacePatch(doc: PlacesDoc, design: DesignId, input: PlaceInput): void {
  const set = (key: `place:${string}` | `placeCode:${string}`, v: string) => {
    if (v === '') {
      if (key in doc) delete doc[key]
    } else if (str(doc[key]) !== v) doc[key] = new ImmutableString(v)
  }
  if (input.place !== undefined) set(placeKey(design), input.place ?? '')
  if (input.placeCode !== undefined) set(placeCodeKey(design), input.placeCode ?? '')
}
