/**
 * The licence notice every viewer of a derivative sees: when a design's licences may break the
 * share-alike or copyfair terms of the design its content was taken from (its upstream at the
 * heads it was forked at, or a design whose content it took in later), the notice names that
 * design and its licences. Not only maintainers and reviewers: whoever builds, forks or sells a
 * derivative needs to know which terms still bind it (the remix-button licence laundering
 * complaints are about exactly this).
 *
 * The rule is the share-alike check (licences.ts `licenceWarnings`): the licences the content was
 * taken under are the "before", the design's canonical licences the "after". The same rule
 * decides what a fork may be relicensed to without a warning. Pure: the caller reads the licences
 * at the lineage heads from the design's own content document (a fork holds its upstream's
 * history up to those heads, so the upstream itself need not be here).
 */
import { toUrl, type AutomergeUrl, type ChangeHash, type DesignId } from './ids.js'
import { licenceTerms, licenceWarnings, type LicenceTerm, type LicenceWarning, type LicenceKind, type Licences } from './licences.js'
import { text } from './schema.js'

/** Where a design's content came from: its upstream at the fork, or a design it took content in from. */
export interface LineageSource {
  design: DesignId
  heads: ChangeHash[]
  /** The licences of the content at those heads (null when this store cannot read them yet). */
  licenses: Licences | null
}

export interface LicenceNotice {
  /** One paragraph, for everyone who views the design. */
  message: string
  sources: {
    design: AutomergeUrl
    heads: ChangeHash[]
    /** The licences the content was taken under. */
    licenses: Licences
    /** What those licences ask of a derivative (class and rule of each). */
    terms: LicenceTerm[]
    warnings: LicenceWarning[]
  }[]
}

/** The notice for a design under `licenses` whose content came from `lineage`; null when nothing may be broken. */
export function licenceNotice(licenses: Licences, lineage: readonly LineageSource[]): LicenceNotice | null {
  const sources: LicenceNotice['sources'] = []
  for (const src of lineage) {
    if (src.licenses === null) continue
    const warnings = licenceWarnings(src.licenses, licenses)
    if (warnings.length === 0) continue
    const terms = [...new Set(warnings.map((w) => w.before).filter((b): b is string => b !== null))].flatMap(licenceTerms)
    sources.push({ design: toUrl(src.design), heads: src.heads, licenses: src.licenses, terms, warnings })
  }
  if (sources.length === 0) return null
  const parts = sources.map((s) => {
    const held = s.warnings.map((w) => `${w.field} ${w.before}${w.after === null ? ' (licence removed here)' : ` (here: ${w.after})`}`).join(', ')
    return `content taken from ${s.design} under ${held}`
  })
  return {
    message: `This design's licences may not respect the terms of the design it derives from: ${parts.join('; ')}. Those terms still apply to this design and to anything made from it.`,
    sources,
  }
}

/** The licences of raw content (a view at some heads), as the content parser reads them. */
export function licencesAt(raw: unknown): Licences {
  const doc = (typeof raw === 'object' && raw !== null ? raw : {}) as { licenses?: unknown }
  const l = (typeof doc.licenses === 'object' && doc.licenses !== null ? doc.licenses : {}) as Record<string, unknown>
  const one = (kind: LicenceKind) => {
    const v = text(l[kind])
    return v === '' ? null : v
  }
  return { hardware: one('hardware'), documentation: one('documentation'), software: one('software') }
}
