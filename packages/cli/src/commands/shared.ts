/** Pieces several command groups share: licence options, design and governance views. */
import { describeAction, parseDesignId, toUrl, type DesignPatch, type DesignState, type LicenceWarning, type LicenceKind, type MetaKey, type VerifiedDesign } from '@cosmolocal/core'
import { listOption, stringOption } from '../args.js'
import type { OptionValues } from '../command.js'
import { UsageError } from '../errors.js'

const LICENCE_FLAGS: Record<string, LicenceKind> = {
  'hardware-license': 'hardware',
  'docs-license': 'documentation',
  'software-license': 'software',
}

/** The licences given on the command line (an empty string clears one). */
export function licencesFrom(values: OptionValues): Partial<Record<LicenceKind, string | null>> | undefined {
  const out: Partial<Record<LicenceKind, string | null>> = {}
  for (const [flag, kind] of Object.entries(LICENCE_FLAGS)) {
    const v = stringOption(values, flag)
    if (v !== undefined) out[kind] = v === '' ? null : v
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** The details given on the command line, as a design patch. */
export function detailsFrom(values: OptionValues, command: string): Partial<DesignPatch> {
  const out: Partial<DesignPatch> = {}
  const licensor = stringOption(values, 'licensor')
  if (licensor !== undefined) out.licensor = licensor
  const languages = listOption(values, 'language')
  if (languages !== undefined) out.languages = languages.filter((l) => l !== '')
  const trl = stringOption(values, 'trl')
  const drl = stringOption(values, 'drl')
  if (trl !== undefined || drl !== undefined) {
    out.readiness = {}
    if (trl !== undefined) out.readiness.technology = trl === '' ? null : trl
    if (drl !== undefined) out.readiness.documentation = drl === '' ? null : drl
  }
  const bomRef = stringOption(values, 'bom-ref')
  if (bomRef !== undefined) out.bomRef = bomRef
  const meta = listOption(values, 'meta')
  if (meta !== undefined) {
    out.meta = {}
    for (const pair of meta) {
      const eq = pair.indexOf('=')
      if (eq <= 0) throw new UsageError(`--meta takes KEY=VALUE, not ${JSON.stringify(pair)}`, command)
      out.meta[pair.slice(0, eq) as MetaKey] = pair.slice(eq + 1)
    }
  }
  return out
}

/** The place given on the command line (`--place`, `--place-code`; '' clears). */
export function placeFrom(values: OptionValues): { place?: string; placeCode?: string | null } {
  const place = stringOption(values, 'place')
  const code = stringOption(values, 'place-code')
  return { ...(place === undefined ? {} : { place }), ...(code === undefined ? {} : { placeCode: code === '' ? null : code }) }
}

/** The canonical design as `cosmo design show --json` prints it (`makes`: build reports, null when its inbox is not here). */
export function designJson(d: VerifiedDesign, makes: number | null = null) {
  const c = d.content
  return {
    design: d.url,
    title: c.title,
    summary: c.summary,
    readme: c.readme,
    version: c.version,
    tags: c.tags,
    licenses: { hardware: c.licenses.hardware, documentation: c.licenses.documentation, software: c.licenses.software },
    bom: c.bom.map((r) => ({ id: r.id, name: r.name, quantity: r.quantity, unit: r.unit, material: r.material, notes: r.notes })),
    steps: c.steps.map((s) => ({ id: s.id, title: s.title, body: s.body })),
    licensor: c.licensor,
    languages: c.languages,
    readiness: c.readiness,
    bomRef: c.bomRef,
    place: c.place,
    placeCode: c.placeCode,
    meta: c.meta,
    module: c.module,
    parts: c.parts.map(({ position: _, ...p }) => p),
    software: c.software.map(({ position: _, ...s }) => s),
    maintainers: d.state.maintainers,
    /** Display names the design's records carry, by id (self-asserted: the id is the identity). */
    names: d.names.toJSON(),
    threshold: d.state.threshold,
    forkedFrom: d.forkedFrom?.url ?? null,
    heads: d.state.canonicalHeads,
    makes,
    /** Set when the licences may break those of the design the content came from: shown to every viewer. */
    licenceNotice: d.licenceNotice,
  }
}

/** Governance actions signed by some maintainers but still short of the threshold. */
export function pendingJson(state: DesignState) {
  return state.pending.map((p) => ({ summary: describeAction(p.action), signers: p.signers, needed: p.needed }))
}

export function governanceJson(state: DesignState) {
  return { maintainers: state.maintainers, threshold: state.threshold, pending: pendingJson(state) }
}

/** A design reference (URL or bare id) as a URL. */
export function designUrl(ref: string): string {
  return toUrl(parseDesignId(ref))
}

/**
 * A licence change's warnings, with those of the design's licence notice (the licences its content
 * was taken under): the same rule decides what a fork may be relicensed to without a warning, so a
 * fork that moved CERN-OHL-S → MIT earlier is still warned when it moves MIT → Apache-2.0.
 */
export function withNotice(warnings: readonly LicenceWarning[], d: VerifiedDesign): LicenceWarning[] {
  const out = [...warnings]
  for (const w of d.licenceNotice?.sources.flatMap((s) => s.warnings) ?? []) if (!out.some((x) => x.field === w.field)) out.push(w)
  return out
}
