import { loadLicenceNames, type LicenceNames } from '@cosmolocal/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkDetails, checkLicence, draftFromContent, splitTags } from '../src/peer/design-edit.js'
import { content } from './fixtures.js'

describe('design details as edited in place', () => {
  const current = content()
  const draft = (extra: Partial<ReturnType<typeof draftFromContent>> = {}) => ({ ...draftFromContent(current), ...extra })
  let names: LicenceNames
  beforeAll(async () => {
    names = await loadLicenceNames()
  })

  it('an unchanged draft is no edit at all', () => {
    expect(checkDetails(draft(), current, null, names)).toEqual({ ok: true, patch: null, warnings: [] })
  })

  it('patches only the fields that changed, trimmed, tags lower-cased and de-duplicated', () => {
    const c = checkDetails(draft({ title: '  Bolted loom ', readme: '# New', tags: 'Weaving, oak,  weaving', hardware: 'cern-ohl-s-2.0' }), current, null, names)
    expect(c).toEqual({ ok: true, patch: { title: 'Bolted loom', readme: '# New', tags: ['weaving', 'oak'] }, warnings: [] })
  })

  it('refuses an empty title and a bad tag, saying why, field by field', () => {
    const c = checkDetails(draft({ title: ' ', tags: 'ok, #bad' }), current, null, names)
    expect(c.ok).toBe(false)
    if (c.ok) return
    expect(c.errors.title).toBe('Give the design a title.')
    expect(c.errors.tags).toMatch(/Not a tag: "#bad"/)
  })

  it('validates licences as SPDX expressions: canonical spelling, empty is none, a near miss gets a hint', () => {
    expect(checkLicence('mit', names)).toEqual({ ok: true, expression: 'MIT' })
    expect(checkLicence('  ', names)).toEqual({ ok: true, expression: null })
    const near = checkLicence('CERN OHL S v2', names)
    expect(near.ok).toBe(false)
    if (!near.ok) expect(near.problem).toBe("“CERN OHL S v2” is not an SPDX licence id. Did you mean CERN-OHL-S-2.0?")
    const c = checkDetails(draft({ software: 'GPLv3', documentation: 'CC-BY-SA-4.0', hardware: '' }), current, null, names)
    expect(c.ok).toBe(false)
    if (!c.ok) expect(Object.keys(c.errors)).toEqual(['software'])
  })

  it('explains a refused licence without a hint while the SPDX names are not loaded, and checks it the same', () => {
    expect(checkLicence('mit', null)).toEqual({ ok: true, expression: 'MIT' })
    expect(checkLicence('CERN OHL S v2', null)).toEqual({
      ok: false,
      problem: '“CERN OHL S v2” is not an SPDX licence id. Use an id from the SPDX list, such as CERN-OHL-S-2.0 or CC-BY-SA-4.0.',
    })
  })

  it('sends a licence change, and removal, as the licences patch', () => {
    const c = checkDetails(draft({ hardware: '', documentation: 'cc-by-sa-4.0' }), current, null, names)
    expect(c).toEqual({ ok: true, patch: { licenses: { hardware: null, documentation: 'CC-BY-SA-4.0' } }, warnings: [] })
  })

  it("on a fork, warns (without blocking) when a licence change breaks the upstream's share-alike licence", () => {
    const upstream = current.licenses
    const c = checkDetails(draft({ hardware: 'MIT' }), current, upstream, names)
    expect(c.ok).toBe(true)
    if (!c.ok) return
    expect(c.patch).toEqual({ licenses: { hardware: 'MIT' } })
    expect(c.warnings).toEqual([expect.objectContaining({ field: 'hardware', problem: 'share-alike', after: 'MIT' })])
    // An original design's maintainers relicense their own work: nothing to warn about.
    expect(checkDetails(draft({ hardware: 'MIT' }), current, null, names)).toMatchObject({ ok: true, warnings: [] })
    // Only what this edit changes is weighed.
    expect(checkDetails(draft({ title: 'Other' }), content({ licenses: { hardware: 'MIT', documentation: null, software: null } }), upstream, names).warnings).toEqual([])
  })

  it('splits tags on commas', () => {
    expect(splitTags(' a, B ,, c ')).toEqual(['a', 'b', 'c'])
  })
})
