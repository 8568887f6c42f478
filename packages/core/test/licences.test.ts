import { describe, expect, it } from 'vitest'
import { checkSpdx, LICENCE_RULES, licenceChange, licenceClass, licenceTerms, licenceWarnings, loadLicenceNames, mapLicence, parseLicence, PPL_REF, suggestLicences } from '../src/index.js'

const change = (before: string | null, after: string | null) => licenceChange('hardware', before, after)

describe('SPDX validation', () => {
  it('accepts expressions of listed ids, spelt canonically', () => {
    expect(checkSpdx('mit or apache-2.0')).toEqual({ ok: true, expression: 'MIT OR Apache-2.0', deprecated: [] })
    expect(checkSpdx('(GPL-2.0-or-later WITH Classpath-exception-2.0) AND CC-BY-4.0').ok).toBe(true)
    expect(checkSpdx('LicenseRef-my-own').ok).toBe(true)
  })

  it('refuses unknown ids, unknown exceptions and broken syntax', async () => {
    expect(checkSpdx('Not-A-Licence').ok).toBe(false)
    expect(checkSpdx('MIT WITH No-Such-exception').ok).toBe(false)
    expect(checkSpdx('MIT OR').ok).toBe(false)
    await expect(parseLicence('CERN OHL S v2', 'hardware')).rejects.toThrow(/did you mean CERN-OHL-S-2\.0/)
  })
})

describe('licence names from manifests', () => {
  it('maps names that match exactly one SPDX licence', async () => {
    expect(await mapLicence('CERN OHL S v2')).toMatchObject({ ok: true, expression: 'CERN-OHL-S-2.0' })
    expect(await mapLicence('CERN OHL v1.2')).toMatchObject({ ok: true, expression: 'CERN-OHL-1.2' })
    expect(await mapLicence('Creative Commons Attribution-ShareAlike 4.0 International License')).toMatchObject({ ok: true, expression: 'CC-BY-SA-4.0' })
    expect(await mapLicence('GPL-3.0')).toMatchObject({ ok: true, expression: 'GPL-3.0-only' })
    expect(await mapLicence('GPL-2.0+')).toMatchObject({ ok: true, expression: 'GPL-2.0-or-later' })
    expect(await mapLicence('MIT')).toEqual({ ok: true, expression: 'MIT', note: null })
  })

  it('reads names from one table, loaded once', async () => {
    const names = await loadLicenceNames()
    expect(await loadLicenceNames()).toBe(names)
    expect(names.map('CERN OHL v1.2')).toEqual(await mapLicence('CERN OHL v1.2'))
    expect(names.suggest('GPL 3')).toEqual(['GPL-3.0-only', 'GPL-3.0-or-later'])
  })

  it('flags names that could mean several licences, or none', async () => {
    expect((await mapLicence('GPLv3')).ok).toBe(false)
    expect((await mapLicence('BSD')).ok).toBe(false)
    expect((await mapLicence('open source')).ok).toBe(false)
  })
})

describe('share-alike licence changes', () => {
  it('warns when a share-alike licence becomes a permissive one', () => {
    expect(change('CERN-OHL-S-2.0', 'CERN-OHL-P-2.0')).toMatchObject({ problem: 'share-alike', licences: ['CERN-OHL-S-2.0'] })
    expect(change('CC-BY-SA-4.0', 'MIT')).toMatchObject({ problem: 'share-alike', licences: ['CC-BY-SA-4.0'] })
    expect(change('GPL-3.0-or-later', 'Apache-2.0')).toMatchObject({ problem: 'share-alike' })
  })

  it('warns when a share-alike licence becomes a different copyleft one', () => {
    expect(change('CERN-OHL-S-2.0', 'GPL-3.0-only')).toMatchObject({ problem: 'share-alike' })
    expect(change('GPL-2.0-only', 'GPL-3.0-only')).toMatchObject({ problem: 'share-alike' })
  })

  it('allows what the licence itself allows', () => {
    expect(change('MIT', 'CERN-OHL-S-2.0')).toBeNull()
    expect(change('CC-BY-4.0', 'CC0-1.0')).toBeNull()
    expect(change('GPL-2.0-or-later', 'GPL-3.0-only')).toBeNull()
    expect(change('CC-BY-SA-3.0', 'CC-BY-SA-4.0')).toBeNull()
    expect(change('CC-BY-SA-4.0', 'GPL-3.0-or-later')).toBeNull()
    expect(change('LGPL-2.1-only', 'GPL-2.0-only')).toBeNull()
  })

  it('reads OR as a choice, AND as both, WITH as the licence it qualifies', () => {
    expect(change('MIT OR CERN-OHL-S-2.0', 'Apache-2.0')).toBeNull()
    expect(change('CERN-OHL-S-2.0 OR CC-BY-SA-4.0', 'GPL-3.0-only')).toBeNull()
    expect(change('MIT AND CERN-OHL-S-2.0', 'MIT')).toMatchObject({ problem: 'share-alike', licences: ['CERN-OHL-S-2.0'] })
    expect(change('CERN-OHL-S-2.0', 'CERN-OHL-S-2.0 AND MIT')).toBeNull()
    expect(change('GPL-2.0-or-later WITH Classpath-exception-2.0', 'MIT')).toMatchObject({ problem: 'share-alike' })
    expect(change('GPL-3.0-only', 'GPL-3.0-only WITH GCC-exception-3.1')).toBeNull()
  })

  it('says when it cannot tell, and when a binding licence is removed', () => {
    expect(change('LicenseRef-house-licence', 'MIT')).toMatchObject({ problem: 'unknown-licence', licences: ['LicenseRef-house-licence'] })
    expect(change('Sleepycat', 'MIT')).toMatchObject({ problem: 'unknown-licence' })
    expect(change('CERN-OHL-S-2.0', 'LicenseRef-x')).toMatchObject({ problem: 'share-alike' })
    expect(change('CERN-OHL-S-2.0', null)).toMatchObject({ problem: 'removed' })
    expect(change('MIT', null)).toBeNull()
  })

  it('checks each licence of a design', () => {
    const before = { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0', software: 'GPL-3.0-only' }
    const after = { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-4.0', software: 'MIT' }
    expect(licenceWarnings(before, after).map((w) => w.field)).toEqual(['documentation', 'software'])
  })
})

describe('licence suggestions', () => {
  it('offer the one id a near miss unambiguously means, else the closest ids and the ids it begins', async () => {
    expect(await suggestLicences('CERN OHL S v2')).toEqual(['CERN-OHL-S-2.0'])
    expect(await suggestLicences('CC-BY-SA4')).toEqual(['CC-BY-SA-4.0'])
    expect((await suggestLicences('CERN-OHL-S-2.1'))[0]).toBe('CERN-OHL-S-2.0')
    expect(await suggestLicences('GPL 3')).toEqual(['GPL-3.0-only', 'GPL-3.0-or-later'])
    expect(await suggestLicences('CERN-OHL-S-2.0')).toEqual([])
    expect(await suggestLicences('xyzzy')).toEqual([])
    expect(await suggestLicences('')).toEqual([])
  })
})

describe('copyfair: the Peer Production License', () => {
  it('is valid as LicenseRef-PPL (any case) and as the SPDX id PPL', async () => {
    expect(checkSpdx('LicenseRef-PPL')).toEqual({ ok: true, expression: 'LicenseRef-PPL', deprecated: [] })
    expect(checkSpdx('licenseref-ppl')).toMatchObject({ ok: true, expression: 'LicenseRef-PPL' })
    expect(checkSpdx('PPL')).toMatchObject({ ok: true, expression: 'PPL' })
    expect(await parseLicence('LicenseRef-PPL', 'hardware')).toBe(PPL_REF)
  })

  it('is classed copyfair, with its rule written down; CC BY-NC-SA is non-commercial; CERN-OHL-S share-alike', () => {
    expect(licenceClass('LicenseRef-PPL')).toBe('copyfair')
    expect(licenceClass('PPL')).toBe('copyfair')
    expect(LICENCE_RULES.copyfair).toMatch(/commons-based and cooperative enterprises/)
    expect(licenceClass('CC-BY-NC-SA-4.0')).toBe('non-commercial')
    expect(licenceClass('CC-BY-ND-4.0')).toBe('no-derivatives')
    expect(licenceClass('CERN-OHL-S-2.0')).toBe('share-alike')
    expect(licenceClass('CERN-OHL-P-2.0')).toBe('permissive')
    expect(licenceClass('LicenseRef-house')).toBe('unknown')
    expect(licenceTerms('LicenseRef-PPL AND CERN-OHL-S-2.0')).toEqual([
      { id: 'LicenseRef-PPL', class: 'copyfair', rule: LICENCE_RULES.copyfair, allows: ['LicenseRef-PPL', 'PPL'] },
      { id: 'CERN-OHL-S-2.0', class: 'share-alike', rule: LICENCE_RULES['share-alike'], allows: ['CERN-OHL-S-2.0'] },
    ])
  })

  it('binds a derivative like share-alike: relicensing a PPL or CERN-OHL-S design to a permissive licence warns', () => {
    expect(change('LicenseRef-PPL', 'MIT')).toMatchObject({ problem: 'share-alike', licences: ['LicenseRef-PPL'] })
    expect(change('LicenseRef-PPL', 'CC-BY-SA-4.0')).toMatchObject({ problem: 'share-alike' })
    expect(change('CERN-OHL-S-2.0', 'CERN-OHL-P-2.0')).toMatchObject({ problem: 'share-alike' })
    expect(change('CC-BY-NC-SA-4.0', 'LicenseRef-PPL')).toMatchObject({ problem: 'share-alike' })
  })

  it('allows staying under it, under either spelling, and moving to it from a permissive licence', () => {
    expect(change('LicenseRef-PPL', 'PPL')).toBeNull()
    expect(change('PPL', 'LicenseRef-PPL')).toBeNull()
    expect(change('MIT', 'LicenseRef-PPL')).toBeNull()
  })
})
