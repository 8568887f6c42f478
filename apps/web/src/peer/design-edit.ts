/**
 * The design's own fields as people edit them in place (title, summary, readme, version, tags,
 * licences, the place it is adapted for): the form's text, checked the way core will check it, turned into the smallest
 * `DesignPatch` (only what changed). Licences are SPDX expressions; on a fork, a licence change
 * that the upstream's licence may not allow is a warning, never a block.
 */
import {
  checkSpdx,
  licenceWarnings,
  parsePlaceCode,
  MAX_FIELD_LENGTH,
  MAX_README_LENGTH,
  type DesignContent,
  type DesignPatch,
  type LicenceNames,
  type LicenceWarning,
  type LicenceKind,
  type Licences,
} from '@cosmolocal/core'

export interface DetailsDraft {
  title: string
  summary: string
  readme: string
  version: string
  /** Comma separated, as typed. */
  tags: string
  hardware: string
  documentation: string
  software: string
  /** Where the design is adapted for (free text), and its ISO 3166 code. */
  place: string
  placeCode: string
}

export type DetailsErrors = Partial<Record<keyof DetailsDraft, string>>

export type DetailsCheck =
  | { ok: true; patch: DesignPatch | null; warnings: LicenceWarning[] }
  | { ok: false; errors: DetailsErrors; warnings: LicenceWarning[] }

export const LICENCE_KINDS: LicenceKind[] = ['hardware', 'documentation', 'software']

export function draftFromContent(c: DesignContent): DetailsDraft {
  return {
    title: c.title,
    summary: c.summary,
    readme: c.readme,
    version: c.version,
    tags: c.tags.join(', '),
    hardware: c.licenses.hardware ?? '',
    documentation: c.licenses.documentation ?? '',
    software: c.licenses.software ?? '',
    // Designs read before places existed (and test fixtures) carry none.
    place: c.place ?? '',
    placeCode: c.placeCode ?? '',
  }
}

export function splitTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))]
}

const TAG = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u

export function lineProblem(value: string, label: string, required: boolean): string | undefined {
  const v = value.trim()
  if (required && v === '') return `Give the design a ${label}.`
  if (v.length > MAX_FIELD_LENGTH) return `The ${label} is longer than ${MAX_FIELD_LENGTH} characters.`
  if (/[\u0000-\u001f]/.test(v)) return `The ${label} must be a single line.`
  return undefined
}

/**
 * One licence field: null when empty, the canonical SPDX expression, or the reason it is refused.
 * `names` (the SPDX names, loaded on demand: peer/licence-names.ts) gives a refusal its "did you
 * mean"; without them it says what to use instead.
 */
export function checkLicence(value: string, names: LicenceNames | null): { ok: true; expression: string | null; note?: string } | { ok: false; problem: string } {
  if (value.trim() === '') return { ok: true, expression: null }
  const check = checkSpdx(value)
  if (check.ok) {
    const note = check.deprecated.length > 0 ? `${check.deprecated.join(', ')} is deprecated in the SPDX list.` : undefined
    return note === undefined ? { ok: true, expression: check.expression } : { ok: true, expression: check.expression, note }
  }
  const near = names?.suggest(value) ?? []
  const hint = near.length === 0 ? ' Use an id from the SPDX list, such as CERN-OHL-S-2.0 or CC-BY-SA-4.0.' : ` Did you mean ${near.join(' or ')}?`
  return { ok: false, problem: `“${value.trim()}” is not an SPDX licence id.${hint}` }
}

/**
 * Checks a draft against the design's current content. `upstream` is the licences of the design
 * this one was forked from (null for an original design): licence changes are weighed against it.
 */
export function checkDetails(draft: DetailsDraft, current: DesignContent, upstream: Licences | null, names: LicenceNames | null): DetailsCheck {
  const errors: DetailsErrors = {}
  const title = lineProblem(draft.title, 'title', true)
  if (title) errors.title = title
  const summary = lineProblem(draft.summary, 'summary', false)
  if (summary) errors.summary = summary
  const version = lineProblem(draft.version, 'version', false)
  if (version) errors.version = version
  if (draft.readme.length > MAX_README_LENGTH) errors.readme = `The readme is ${draft.readme.length.toLocaleString('en')} characters; it can be at most ${MAX_README_LENGTH.toLocaleString('en')}. Put a longer manual in an attached file.`
  const tags = splitTags(draft.tags)
  const badTags = tags.filter((t) => t.length > MAX_FIELD_LENGTH || !TAG.test(t))
  if (badTags.length > 0) errors.tags = `Not a tag: ${badTags.map((t) => JSON.stringify(t)).join(', ')}. Tags are words, numbers, spaces, dots, dashes.`
  const place = lineProblem(draft.place ?? '', 'place', false)
  if (place) errors.place = place
  let placeCode: string | null = null
  try {
    placeCode = (draft.placeCode ?? '').trim() === '' ? null : parsePlaceCode(draft.placeCode)
  } catch (err) {
    errors.placeCode = (err as Error).message
  }
  const licences: Licences = { ...current.licenses }
  for (const kind of LICENCE_KINDS) {
    const checked = checkLicence(draft[kind], names)
    if (checked.ok) licences[kind] = checked.expression
    else errors[kind] = checked.problem
  }
  const changedLicences = LICENCE_KINDS.filter((k) => licences[k] !== current.licenses[k])
  // Only the fields this edit changes are weighed: a licence that stays as it was is not news.
  const warnings = upstream === null ? [] : licenceWarnings(upstream, licences).filter((w) => changedLicences.includes(w.field))
  if (Object.keys(errors).length > 0) return { ok: false, errors, warnings }

  const patch: DesignPatch = {}
  if (draft.title.trim() !== current.title) patch.title = draft.title.trim()
  if (draft.summary.trim() !== current.summary) patch.summary = draft.summary.trim()
  if (draft.readme !== current.readme) patch.readme = draft.readme
  if (draft.version.trim() !== current.version) patch.version = draft.version.trim()
  if (tags.length !== current.tags.length || tags.some((t) => !current.tags.includes(t))) patch.tags = tags
  if ((draft.place ?? '').trim() !== (current.place ?? '')) patch.place = (draft.place ?? '').trim()
  if (placeCode !== (current.placeCode ?? null)) patch.placeCode = placeCode
  if (changedLicences.length > 0) patch.licenses = Object.fromEntries(changedLicences.map((k) => [k, licences[k]]))
  return { ok: true, patch: Object.keys(patch).length === 0 ? null : patch, warnings }
}
