/**
 * Options and help texts several command specs share. Part of the static command table, so it
 * imports nothing: the few lists it shows from other packages are copied here, and a test checks
 * that each copy equals its source (test/command-table.test.ts).
 */
import type { OptionSpec } from '../command.js'

/** core's META_KEYS, for `--meta`'s help. */
export const META_KEY_NAMES: readonly string[] = [
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
]

/** core's FILE_ROLES, for `attach --role`'s help. */
export const FILE_ROLE_NAMES: readonly string[] = ['cad', 'mesh', 'drawing', 'photo', 'document']

/** hub's DEFAULT_HUB_PORT, for `serve --port`'s help. */
export const HUB_PORT = 4747

export const LICENSE_OPTIONS: Record<string, OptionSpec> = {
  'hardware-license': { type: 'string', placeholder: 'SPDX', help: 'hardware licence (SPDX expression, e.g. CERN-OHL-S-2.0)' },
  'docs-license': { type: 'string', placeholder: 'SPDX', help: 'documentation licence (e.g. CC-BY-SA-4.0)' },
  'software-license': { type: 'string', placeholder: 'SPDX', help: 'software licence (e.g. GPL-3.0-or-later)' },
}

/** The Open Know-How details a maintainer can set with `design edit`. */
export const DETAIL_OPTIONS: Record<string, OptionSpec> = {
  licensor: { type: 'string', placeholder: 'NAME', help: 'who licenses the design' },
  language: { type: 'string', multiple: true, placeholder: 'BCP47', help: 'a documentation language, e.g. en-GB (repeat for more; replaces the list)' },
  trl: { type: 'string', placeholder: 'OTRL-N', help: 'technology readiness level, OTRL-1 … OTRL-5 ("" clears)' },
  drl: { type: 'string', placeholder: 'ODRL-N', help: 'documentation readiness level, ODRL-1 … ODRL-4 ("" clears)' },
  'bom-ref': { type: 'string', placeholder: 'PATH|URL', help: 'where the full bill of materials lives' },
  meta: { type: 'string', multiple: true, placeholder: 'KEY=VALUE', help: `a documentation link or identifier (${META_KEY_NAMES.join(', ')}); KEY= clears it` },
}

/** Where a design is adapted for (`design edit`, `fork`). */
export const PLACE_OPTIONS: Record<string, OptionSpec> = {
  place: { type: 'string', placeholder: 'T', help: 'where the design is adapted for, e.g. "Nairobi, Kibera workshop" ("" clears)' },
  'place-code': { type: 'string', placeholder: 'CC', help: 'its ISO 3166 country or region code, e.g. KE or KE-30 ("" clears)' },
}

/** A bill-of-materials row's fields (`bom add`, `bom set`). */
export const ROW_OPTIONS: Record<string, OptionSpec> = {
  name: { type: 'string', placeholder: 'N', help: 'what the part is' },
  quantity: { type: 'string', placeholder: 'Q', help: 'how many (a positive number)' },
  unit: { type: 'string', placeholder: 'U', help: 'unit (default pcs)' },
  material: { type: 'string', placeholder: 'M' },
  notes: { type: 'string', placeholder: 'T' },
}
