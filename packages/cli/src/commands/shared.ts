/** Pieces several command groups share: licence options, design and governance views. */
import { describeAction, parseDesignId, toUrl, type DesignState, type LicenseKind, type VerifiedDesign } from '@cosmolocal/core'
import { stringOption } from '../args.js'
import type { OptionSpec, OptionValues } from '../command.js'

export const LICENSE_OPTIONS: Record<string, OptionSpec> = {
  'hardware-license': { type: 'string', placeholder: 'SPDX', help: 'hardware licence (SPDX expression, e.g. CERN-OHL-S-2.0)' },
  'docs-license': { type: 'string', placeholder: 'SPDX', help: 'documentation licence (e.g. CC-BY-SA-4.0)' },
  'software-license': { type: 'string', placeholder: 'SPDX', help: 'software licence (e.g. GPL-3.0-or-later)' },
}

const LICENSE_FLAGS: Record<string, LicenseKind> = {
  'hardware-license': 'hardware',
  'docs-license': 'documentation',
  'software-license': 'software',
}

/** The licences given on the command line (an empty string clears one). */
export function licensesFrom(values: OptionValues): Partial<Record<LicenseKind, string | null>> | undefined {
  const out: Partial<Record<LicenseKind, string | null>> = {}
  for (const [flag, kind] of Object.entries(LICENSE_FLAGS)) {
    const v = stringOption(values, flag)
    if (v !== undefined) out[kind] = v === '' ? null : v
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** The canonical design as `cosmo design show --json` prints it. */
export function designJson(d: VerifiedDesign) {
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
    maintainers: d.state.maintainers,
    threshold: d.state.threshold,
    forkedFrom: d.forkedFrom?.url ?? null,
    heads: d.state.canonicalHeads,
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
