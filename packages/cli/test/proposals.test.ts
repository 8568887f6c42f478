import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aliceAndBob, assertBuilt, carry, cosmo, json, ok, Scratch } from './helpers.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

describe('proposals between homes, carried by bundles', () => {
  it('merges a fork\'s BOM row and step once the maintainer accepts, and logs her signed merge', async () => {
    const { alice, bob, design, fork } = await aliceAndBob(scratch)
    const { id: bolt } = await json(bob.home, 'bom', 'add', fork, '--name', 'bolt', '--quantity', '8', '--material', 'steel')
    const proposed = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Bolts', '--description', 'stronger frame')
    expect(proposed.revision).toBe(1)
    // More edits on the same fork, proposed again: a second revision of the same proposal.
    const { id: step } = await json(bob.home, 'step', 'add', fork, '--title', 'Assemble', '--body', 'bolt the frame together')
    expect(await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Bolts')).toEqual({ proposal: proposed.proposal, revision: 2 })
    await carry(scratch, bob, alice, proposed.proposal)

    const listed = await json(alice.home, 'proposals', design)
    expect(listed).toEqual([
      expect.objectContaining({ proposal: proposed.proposal, title: 'Bolts', author: bob.id, authorName: 'bob', status: 'open', revisions: 2, approvals: 0, threshold: 1 }),
    ])
    // Bob's name came in his signed records; the end of his id stays beside it.
    expect((await ok(alice.home, 'proposals', design)).stdout).toContain(`Bolts  by bob · …${bob.id.slice(-8)}`)
    const first = await json(alice.home, 'diff', proposed.proposal, '--revision', '1')
    expect(first.revision).toBe(1)
    expect(first.bom.added.map((r: { id: string }) => r.id)).toEqual([bolt])
    expect(first.steps.added).toEqual([])
    const diff = await json(alice.home, 'diff', proposed.proposal)
    expect(diff.revision).toBe(2)
    expect(diff.bom.added.map((r: { id: string }) => r.id)).toEqual([bolt])
    expect(diff.steps.added.map((s: { id: string }) => s.id)).toEqual([step])
    expect(diff.bom.removed).toEqual([])
    expect(diff.conflicts).toEqual([])
    const human = await ok(alice.home, 'diff', proposed.proposal)
    expect(human.stdout).toMatch(/\+ "bolt" 8 pcs \(steel\)/)
    expect(human.stdout).toMatch(/\+ "Assemble"/)

    expect(await json(alice.home, 'review', proposed.proposal, '--accept', '--comment', 'thanks')).toEqual({ proposal: proposed.proposal, status: 'accepted' })
    const shown = await json(alice.home, 'design', 'show', design)
    expect(shown.bom.map((r: { name: string }) => r.name)).toEqual(['frame', 'bolt'])
    expect(shown.steps).toEqual([{ id: step, title: 'Assemble', body: 'bolt the frame together' }])
    expect(shown.maintainers).toEqual([alice.id])

    const log = await json(alice.home, 'log', design)
    const merge = log.at(-1)
    expect(merge).toMatchObject({ kind: 'content', author: alice.id, authorName: 'alice' })
    expect(merge.summary).toMatch(/merged/)
    expect(new Date(merge.time).toISOString()).toBe(merge.time)
    expect(merge.heads).toEqual(shown.heads)
    const humanLog = await ok(alice.home, 'log', design)
    expect(humanLog.stdout.trim().split('\n').at(-1)).toMatch(/merged "Bolts"/)
    expect(humanLog.stdout.trim().split('\n').at(-1)).toContain(`alice · …${alice.id.slice(-8)}`)
    expect(shown.names).toEqual({ [alice.id]: 'alice' })
    expect((await ok(alice.home, 'design', 'show', design)).stdout).toContain(`maintainers: alice · …${alice.id.slice(-8)} (threshold 1)`)
    // Bob became known here through his proposal: once a maintainer, he is listed with his name.
    await ok(alice.home, 'maintainers', 'add', design, bob.id)
    const maintainers = (await ok(alice.home, 'maintainers', design)).stdout
    expect(maintainers).toContain(`  ${alice.id}  alice`)
    expect(maintainers).toContain(`  ${bob.id}  bob`)
  })

  it('keeps a rejected proposal\'s changes out of the design and lists it as rejected', async () => {
    const { alice, bob, design, fork } = await aliceAndBob(scratch)
    await ok(bob.home, 'bom', 'add', fork, '--name', 'bolt', '--quantity', '8')
    const first = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Bolts')
    await carry(scratch, bob, alice, first.proposal)
    await ok(alice.home, 'review', first.proposal, '--accept')
    const before = await json(alice.home, 'design', 'show', design)

    // bob catches up with alice (so he sees his first proposal accepted) and edits again:
    // since the first proposal was accepted, proposing again opens a new one.
    await carry(scratch, alice, bob, design)
    expect((await json(bob.home, 'proposals', design))[0].status).toBe('accepted')
    await ok(bob.home, 'bom', 'add', fork, '--name', 'glitter', '--quantity', '1000')
    await ok(bob.home, 'design', 'edit', fork, '--summary', 'a sparkly loom')
    const second = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Sparkle')
    expect(second.proposal).not.toBe(first.proposal)
    expect(second.revision).toBe(1)
    await carry(scratch, bob, alice, second.proposal)
    const diff = await json(alice.home, 'diff', second.proposal)
    expect(diff.bom.added.map((r: { name: string }) => r.name)).toEqual(['glitter'])

    expect(await json(alice.home, 'review', second.proposal, '--reject', '--comment', 'no glitter')).toEqual({
      proposal: second.proposal,
      status: 'rejected',
    })
    const after = await json(alice.home, 'design', 'show', design)
    expect(after).toEqual(before)
    expect(after.bom.map((r: { name: string }) => r.name)).not.toContain('glitter')
    expect(after.summary).toBe('a table loom')
    const statuses = Object.fromEntries((await json(alice.home, 'proposals', design)).map((p: { proposal: string; status: string }) => [p.proposal, p.status]))
    expect(statuses).toEqual({ [first.proposal]: 'accepted', [second.proposal]: 'rejected' })
    expect((await ok(alice.home, 'proposals', design)).stdout).toMatch(/rejected\s+Sparkle/)
  })

  it('shows concurrent edits of the same BOM row as a conflict in the diff', async () => {
    const { alice, bob, design, frame, fork } = await aliceAndBob(scratch)
    await ok(alice.home, 'bom', 'set', design, frame, '--quantity', '5')
    await ok(bob.home, 'bom', 'set', fork, frame, '--quantity', '6')
    const { proposal } = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Six sides')
    await carry(scratch, bob, alice, proposal)

    const diff = await json(alice.home, 'diff', proposal)
    expect(diff.conflicts.length).toBeGreaterThan(0)
    const conflict = diff.conflicts.find((c: { path: string[] }) => c.path.includes(frame) && c.path.includes('quantity'))
    expect(conflict).toBeDefined()
    expect([...conflict.values].sort()).toEqual([5, 6])
    expect(conflict.values).toContain(conflict.winner)

    const human = (await ok(alice.home, 'diff', proposal)).stdout
    const section = human.slice(human.indexOf('CONFLICTS'))
    expect(human).toContain('CONFLICTS (1)')
    expect(section).toContain(`bom/${frame}/quantity`)
    expect(section).toMatch(/values: 5, 6; the merge shows [56]/)
  })
})
