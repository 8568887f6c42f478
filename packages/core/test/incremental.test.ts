/**
 * Verified state costs what changed: a read after one new edit decodes only the new changes and
 * checks only the new signature; a listing verifies its design once; state cached beside the
 * store lets the next process start where this one stopped, and a cache that is damaged, edited
 * or missing is rebuilt from history, never believed.
 */
import { Repo } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import { keyCounters } from '../src/identity.js'
import { Commons, MemoryCacheBackend } from '../src/index.js'
import { designDocs, exchange, person } from './helpers.js'

async function designWithEdits(n: number) {
  const alice = await person('alice')
  const design = await alice.commons.createDesign({ title: 'Loom' })
  const { id } = await alice.commons.addBomRow(design, { name: 'frame', quantity: 1 })
  for (let i = 2; i <= n; i++) await alice.commons.setBomRow(design, id, { quantity: i })
  return { alice, design, row: id }
}

describe('incremental verification', () => {
  it('a read after one new edit decodes only the new changes and checks one new signature', { timeout: 60_000 }, async () => {
    const { alice, design, row } = await designWithEdits(60)
    await alice.commons.design(design)
    const before = { ...alice.commons.counters }
    await alice.commons.setBomRow(design, row, { quantity: 1000 })
    const after = await alice.commons.design(design)
    expect(after.content.bom[0]!.quantity).toBe(1000)
    const spent = alice.commons.counters
    // one new change in the governance document (its record); the content document is never scanned
    expect(spent.changesDecoded - before.changesDecoded).toBe(1)
    expect(spent.signaturesVerified - before.signaturesVerified).toBe(1)
    // a read with nothing new does no work at all
    const quiet = { ...alice.commons.counters }
    await alice.commons.design(design)
    expect(alice.commons.counters).toEqual(quiet)
  })

  it("a cold read checks every signature but parses the maintainer's key at most once", { timeout: 60_000 }, async () => {
    const { alice, design } = await designWithEdits(30)
    const cold = new Commons(alice.repo, null)
    const parsed = keyCounters.parsed
    const d = await cold.design(design)
    expect(d.content.bom[0]!.quantity).toBe(30)
    expect(cold.counters.signaturesVerified).toBe(d.state.records.valid)
    expect(keyCounters.parsed - parsed).toBeLessThanOrEqual(1)
  })

  it('a second process on the same store starts from the cached state: nothing decoded, nothing verified', async () => {
    const cache = new MemoryCacheBackend()
    const repo = new Repo({ network: [] })
    const first = new Commons(repo, (await person('alice')).me, null, { cache })
    const design = await first.createDesign({ title: 'Loom' })
    await first.addBomRow(design, { name: 'frame', quantity: 2 })
    const seen = await first.design(design)
    await first.settled()
    const second = new Commons(repo, null, null, { cache })
    const again = await second.design(design)
    expect(again.content).toEqual(seen.content)
    expect(again.state).toEqual(seen.state)
    expect(second.counters).toMatchObject({ changesDecoded: 0, signaturesVerified: 0, designFolds: 0 })
    expect(second.cacheCounters.hits).toBeGreaterThan(0)
  })

  it('a cache entry that was tampered with is detected, rebuilt from history, and gives the same design', async () => {
    const cache = new MemoryCacheBackend()
    const repo = new Repo({ network: [] })
    const first = new Commons(repo, (await person('alice')).me, null, { cache })
    const design = await first.createDesign({ title: 'Loom' })
    await first.addBomRow(design, { name: 'frame', quantity: 2 })
    const seen = await first.design(design)
    await first.settled()
    for (const [key, value] of cache.entries) {
      if (key === 'secret') continue
      const edited = value.slice()
      edited[Math.floor(edited.length / 2)]! ^= 0xff
      cache.entries.set(key, edited)
    }
    const second = new Commons(repo, null, null, { cache })
    const again = await second.design(design)
    expect(again.content).toEqual(seen.content)
    expect(again.state).toEqual(seen.state)
    expect(second.cacheCounters.rejected).toBeGreaterThan(0)
    expect(second.counters.designFolds).toBe(1)
  })

  it('an entry sealed by another store (another secret) is not believed', async () => {
    const repo = new Repo({ network: [] })
    const alice = (await person('alice')).me
    const mine = new MemoryCacheBackend()
    const first = new Commons(repo, alice, null, { cache: mine })
    const design = await first.createDesign({ title: 'Loom' })
    await first.design(design)
    await first.settled()
    const foreign = new MemoryCacheBackend()
    for (const [key, value] of mine.entries) if (key !== 'secret') foreign.entries.set(key, value)
    const second = new Commons(repo, null, null, { cache: foreign })
    expect((await second.design(design)).content.title).toBe('Loom')
    expect(second.cacheCounters.rejected).toBeGreaterThan(0)
    expect(second.cacheCounters.hits).toBe(0)
  })

  it('a deleted cache is rebuilt from history and gives the same canonical view', async () => {
    const cache = new MemoryCacheBackend()
    const repo = new Repo({ network: [] })
    const first = new Commons(repo, (await person('alice')).me, null, { cache })
    const design = await first.createDesign({ title: 'Loom' })
    await first.addBomRow(design, { name: 'frame', quantity: 2 })
    const seen = await first.design(design)
    await first.settled()
    cache.entries.clear()
    const second = new Commons(repo, null, null, { cache })
    const again = await second.design(design)
    expect(again.state.canonicalHeads).toEqual(seen.state.canonicalHeads)
    expect(again.content).toEqual(seen.content)
  })

  it('listing 50 proposals on one design verifies the design once', { timeout: 120_000 }, async () => {
    const alice = await person('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    const bob = await person('bob')
    await exchange(alice.repo, bob.repo, await designDocs(alice, design))
    const proposals: string[] = []
    for (let i = 0; i < 50; i++) {
      const fork = await bob.commons.fork(design)
      await bob.commons.addBomRow(fork, { name: `part ${i}`, quantity: 1 })
      proposals.push((await bob.commons.propose({ from: fork, to: design, title: `Part ${i}` })).proposal)
    }
    const viewer = new Commons(bob.repo, null)
    const list = await viewer.proposals(design)
    expect(list).toHaveLength(50)
    expect(list.every((p) => p.status === 'open')).toBe(true)
    // the target once, and each proposal's source once: 51 design folds, not 100
    expect(viewer.counters.designFolds).toBe(51)
    expect(viewer.counters.proposalFolds).toBe(50)
  })
})
