import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, carry, json, ok, person, Scratch } from './helpers.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

describe('thresholds', () => {
  it('makes a merge canonical only once two of two maintainers accepted it', async () => {
    const [alice, bob, carol] = await Promise.all([person(scratch, 'alice'), person(scratch, 'bob'), person(scratch, 'carol')])
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    await ok(alice.home, 'bom', 'add', design, '--name', 'frame', '--quantity', '4')

    // While the threshold is 1, alice alone adds carol and raises the threshold.
    const added = await json(alice.home, 'maintainers', 'add', design, carol.id)
    expect(added).toEqual({ maintainers: [alice.id, carol.id].sort(), threshold: 1, pending: [] })
    const raised = await json(alice.home, 'maintainers', 'threshold', design, '2')
    expect(raised).toMatchObject({ threshold: 2, pending: [] })
    expect(await json(alice.home, 'maintainers', design)).toEqual([alice.id, carol.id].sort())

    // bob forks and proposes; alice accepts alone.
    await carry(scratch, alice, bob, design)
    const { design: fork } = await json(bob.home, 'fork', design)
    await ok(bob.home, 'bom', 'add', fork, '--name', 'bolt', '--quantity', '8')
    const { proposal } = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Bolts')
    await carry(scratch, bob, alice, proposal)
    expect(await json(alice.home, 'review', proposal, '--accept')).toEqual({ proposal, status: 'open' })

    expect(await json(alice.home, 'proposals', design)).toEqual([
      expect.objectContaining({ proposal, status: 'open', approvals: 1, threshold: 2 }),
    ])
    expect((await ok(alice.home, 'proposals', design)).stdout).toMatch(/accepted by 1 of 2/)
    const names = async (home: string) => (await json(home, 'design', 'show', design)).bom.map((r: { name: string }) => r.name)
    expect(await names(alice.home)).toEqual(['frame'])
    const report = await json(alice.home, 'verify', design)
    expect(report.pending).toEqual([expect.objectContaining({ kind: 'content', signers: [alice.id], needed: 2 })])

    // carol gets everything by bundle and accepts too; alice imports carol's signature.
    await carry(scratch, alice, carol, design)
    expect(await names(carol.home)).toEqual(['frame'])
    expect(await json(carol.home, 'review', proposal, '--accept')).toEqual({ proposal, status: 'accepted' })
    expect(await names(carol.home)).toEqual(['frame', 'bolt'])
    await carry(scratch, carol, alice, design)
    expect(await names(alice.home)).toEqual(['frame', 'bolt'])
    expect(await json(alice.home, 'proposals', design)).toEqual([
      expect.objectContaining({ proposal, status: 'accepted', approvals: 2, threshold: 2 }),
    ])
    const merges = (await json(alice.home, 'log', design)).filter((e: { summary: string }) => /merged/.test(e.summary))
    expect(merges.map((e: { author: string }) => e.author).sort()).toEqual([alice.id, carol.id].sort())
    expect((await json(alice.home, 'verify', design)).pending).toEqual([])
  })
})
