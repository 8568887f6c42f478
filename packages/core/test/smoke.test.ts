import { describe, expect, it } from 'vitest'
import { person } from './helpers.js'

describe('smoke', () => {
  it('creates, edits, forks, proposes, diffs, accepts', async () => {
    const alice = await person('alice')
    const design = await alice.commons.createDesign({ title: 'Loom', summary: 'a loom', licenses: { hardware: 'CERN-OHL-S-2.0' } })
    const { id: row } = await alice.commons.addBomRow(design, { name: 'frame', quantity: 4, unit: 'pcs', material: 'oak' })
    await alice.commons.addStep(design, { title: 'Cut', body: 'cut the wood' })
    let d = await alice.commons.design(design)
    expect(d.content.bom.map((r) => r.name)).toEqual(['frame'])
    expect(d.state.maintainers).toEqual([alice.me.id])
    // bob in the same repo (simplest)
    const bob = { ...(await person('bob', alice.repo)) }
    const fork = await bob.commons.fork(design)
    await bob.commons.addBomRow(fork, { name: 'bolt', quantity: 8 })
    await bob.commons.setBomRow(fork, row, { quantity: 6 })
    await alice.commons.setBomRow(design, row, { quantity: 5 })
    const p = await bob.commons.propose({ from: fork, to: design, title: 'bolts' })
    const diff = await alice.commons.diff(p.proposal)
    expect(diff.bom.added.map((r) => r.name)).toEqual(['bolt'])
    expect(diff.conflicts.length).toBe(1)
    await expect(bob.commons.review(p.proposal, { verdict: 'accept' })).rejects.toThrow(/only maintainers/)
    const reviewed = await alice.commons.review(p.proposal, { verdict: 'accept' })
    expect(reviewed.status).toBe('accepted')
    d = await alice.commons.design(design)
    expect(d.content.bom.map((r) => r.name).sort()).toEqual(['bolt', 'frame'])
    const log = await alice.commons.log(design)
    expect(log.at(-1)?.summary).toMatch(/merged/)
  })
})
