/**
 * The SPDX licence list's full names, by id: what reading a licence written as a name needs
 * ("Creative Commons Attribution-ShareAlike 4.0 International" → CC-BY-SA-4.0), and nothing else.
 * A module of its own (some 120 kB) so that checking SPDX ids, which every design page does, does
 * not carry it: licences.ts loads it on demand (`loadLicenceNames`).
 */
import spdxLicenceList from 'spdx-license-list/spdx.json' with { type: 'json' }

export type SpdxLicenceNames = Readonly<Record<string, { readonly name: string }>>

export const SPDX_LICENCE_NAMES: SpdxLicenceNames = spdxLicenceList
