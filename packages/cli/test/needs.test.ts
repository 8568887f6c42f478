/**
 * Needs, discussion and the activity inbox from the command line: the story of a need through a
 * real hub (`cosmo serve`) with three homes, and what each command refuses.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { aliceAndBob, assertBuilt, carry, cosmo, expectFailure, json, ok, person, Scratch } from './helpers.js'
import { Hubs } from './served.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

const hubs = new Hubs()
afterEach(() => hubs.stopAll())
/** Runs a hub on `home` and returns its libp2p TCP address. */
const serve = (home: string): Promise<string> => hubs.start(home)

describe('a need through a hub', () => {
  it('carol opens a need on alice’s design; bob finds it on the hub’s board, claims it, forks and proposes citing it; alice’s inbox lists it all; her accept closes it for all three', async () => {
    const hub = await serve((await person(scratch, 'hub')).home)
    const [alice, bob, carol] = [await person(scratch, 'alice'), await person(scratch, 'bob'), await person(scratch, 'carol')]

    const { design } = await json(alice.home, 'design', 'new', '--title', 'Frame loom')
    const { id: hinge } = await json(alice.home, 'bom', 'add', design, '--name', 'Brass hinge', '--quantity', '2')
    await json(alice.home, 'sync', '--peer', hub)

    await json(carol.home, 'pull', design, '--peer', hub)
    const { need } = await json(carol.home, 'need', 'open', design, '--title', 'Needs a cheaper hinge', '--body', 'Brass is dear here.', '--label', 'hardware', '--label', 'help wanted', '--about', hinge)
    await json(carol.home, 'sync', '--peer', hub)

    // bob has nothing yet: the hub's board shows carol's need, pulled and verified in bob's home
    const board = await json(bob.home, 'needs', '--peer', hub, '--label', 'hardware')
    expect(board).toEqual([
      expect.objectContaining({
        need,
        design,
        title: 'Needs a cheaper hinge',
        author: carol.id,
        authorName: 'carol',
        state: 'open',
        claims: [],
        labels: ['hardware', 'help wanted'],
        about: { id: hinge, section: 'bom', present: true },
        closedBy: null,
      }),
    ])
    expect(await json(bob.home, 'needs', '--peer', hub, '--label', 'nothing-like-it')).toEqual([])
    expect(await json(bob.home, 'need', 'claim', design, need.slice(0, 10))).toEqual({ need, state: 'claimed' })
    const { design: fork } = await json(bob.home, 'fork', design)
    await ok(bob.home, 'bom', 'set', fork, hinge, '--name', 'Leather strap hinge')
    const { proposal } = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Strap hinges', '--need', need)
    await json(bob.home, 'sync', '--peer', hub)

    // alice follows her design by default: her inbox lists carol's need, bob's claim, fork and proposal
    await json(alice.home, 'sync', '--peer', hub)
    const inbox = await json(alice.home, 'inbox', '--mark-read')
    const seen = inbox.map((i: { kind: string; actorName: string }) => `${i.kind} ${i.actorName}`)
    expect(seen).toEqual(expect.arrayContaining(['need-opened carol', 'need-claimed bob', 'fork bob', 'proposal bob']))
    expect(inbox.find((i: { kind: string }) => i.kind === 'proposal')).toMatchObject({ design, actor: bob.id, summary: 'proposed "Strap hinges" to "Frame loom", resolving 1 need(s)', read: false, subject: proposal })
    expect(await json(alice.home, 'inbox')).toEqual([])

    expect(await json(alice.home, 'review', proposal, '--accept')).toEqual({ proposal, status: 'accepted' })
    await json(alice.home, 'sync', '--peer', hub)
    await json(bob.home, 'sync', '--peer', hub)
    await json(carol.home, 'sync', '--peer', hub)

    for (const p of [alice, bob, carol]) {
      const [n] = await json(p.home, 'needs', design, '--state', 'closed')
      expect(n, p.name).toMatchObject({ need, state: 'closed', claims: [], closedBy: { actor: alice.id, actorName: 'alice', by: proposal, merge: { proposal } } })
      expect(await json(p.home, 'needs', design)).toEqual([])
    }
    // bob follows the upstream of his fork by default: he hears of the merge and the close
    const bobs = await json(bob.home, 'inbox')
    expect(bobs.map((i: { kind: string }) => i.kind)).toEqual(expect.arrayContaining(['merge', 'need-closed']))
    expect((await cosmo(bob.home, 'needs', design)).stdout).toBe('no needs\n')
  })
})

describe('needs, comments and the inbox at home', () => {
  it('opens, lists, filters and closes needs, and refuses what would not count', async () => {
    const { alice, bob, design, frame } = await aliceAndBob(scratch)
    const { need } = await json(bob.home, 'need', 'open', design, '--title', 'Untested with 6 mm plywood', '--label', 'testing')
    expect((await ok(bob.home, 'need', 'open', design, '--title', 'Laser cutter in Lyon')).stdout).toMatch(/^[0-9a-f]{64}\n$/)
    expectFailure(await cosmo(bob.home, 'need', 'open', design, '--title', 'x', '--about', 'no-such-row'), 4, /no BOM row, step or file no-such-row/)
    expectFailure(await cosmo(bob.home, 'needs', '--state', 'done'), 2, /--state must be one of open, claimed, closed/)
    expect((await json(bob.home, 'needs')).map((n: { title: string }) => n.title).sort()).toEqual(['Laser cutter in Lyon', 'Untested with 6 mm plywood'])
    const board = await ok(bob.home, 'needs')
    expect(board.stderr).toBe('')
    expect(board.stdout).toMatch(/Untested with 6 mm plywood\s+\[testing\]\s+by bob · …\S{8}\s+open\s+on "Loom"/)
    expect((await json(bob.home, 'needs', '--label', 'TESTING')).map((n: { need: string }) => n.need)).toEqual([need])
    expect((await json(bob.home, 'needs', '--search', 'lyon')).map((n: { title: string }) => n.title)).toEqual(['Laser cutter in Lyon'])

    await carry(scratch, bob, alice, design)
    const carol = await person(scratch, 'carol')
    await carry(scratch, alice, carol, design)
    // carol neither opened it nor maintains the design
    expectFailure(await cosmo(carol.home, 'need', 'close', design, need), 3, /only the need's author or a maintainer/)
    expect(await json(carol.home, 'need', 'claim', design, need)).toEqual({ need, state: 'claimed' })
    expectFailure(await cosmo(carol.home, 'need', 'claim', design, need), 1, /already claim/)
    expect(await json(carol.home, 'need', 'release', design, need)).toEqual({ need, state: 'open' })
    expect(await json(alice.home, 'need', 'close', design, need, '--by', design)).toEqual({ need, state: 'closed' })
    expect(await json(alice.home, 'need', 'reopen', design, need)).toEqual({ need, state: 'open' })
    expectFailure(await cosmo(alice.home, 'need', 'claim', design, 'ffffffffffff'), 4, /no need ffffffffffff/)
    expect(frame).toBeTruthy()
  })

  it('comments on a design (anchored, replying) and on a proposal; lists either discussion', async () => {
    const { alice, bob, design, frame, fork } = await aliceAndBob(scratch)
    const { comment } = await json(bob.home, 'comment', design, '--text', 'Is oak needed?', '--about', frame)
    const reply = await json(bob.home, 'comment', design, '--text', 'Ash works too.', '--reply', comment.slice(0, 12))
    expect(reply).toEqual({ design, comment: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const thread = await json(bob.home, 'comments', design)
    expect(thread).toEqual([
      expect.objectContaining({ comment, authorName: 'bob', text: 'Is oak needed?', replyTo: null, about: { id: frame, section: 'bom', present: true } }),
      expect.objectContaining({ comment: reply.comment, replyTo: comment, about: null }),
    ])
    await ok(bob.home, 'bom', 'add', fork, '--name', 'peg', '--quantity', '4')
    const { proposal } = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Pegs')
    expect(await json(bob.home, 'comment', proposal, '--text', 'Pegs instead of glue')).toEqual({ proposal, comment: expect.any(String) })
    expectFailure(await cosmo(bob.home, 'comment', proposal, '--text', 'x', '--about', frame), 2, /--about anchors a comment in a design's discussion/)
    expect((await json(bob.home, 'comments', proposal)).map((c: { text: string }) => c.text)).toEqual(['Pegs instead of glue'])
    expectFailure(await cosmo(alice.home, 'comment', 'automerge:2nEmEzAARm3tHPF2GEc4m4F1G3yv', '--text', 'x'), 4, /not a design or a proposal in this home/)
  })

  it('follows by default what one maintains and its upstreams; follow starts now; unfollow stops even a default; read state stays in the home', async () => {
    const { alice, bob, design } = await aliceAndBob(scratch)
    const carol = await person(scratch, 'carol')
    expect((await cosmo(carol.home, 'inbox')).stdout).toMatch(/you follow no design yet/)
    await carry(scratch, alice, carol, design)
    await ok(carol.home, 'need', 'open', design, '--title', 'Older need')
    await carry(scratch, carol, bob, design)
    // bob forked alice's design: he follows it by default, and carol's need is news to him
    expect((await json(bob.home, 'inbox')).map((i: { summary: string }) => i.summary)).toEqual(['opened need "Older need" on "Loom"'])
    expect(await json(bob.home, 'unfollow', design)).toEqual({ design, following: false })
    expect(await json(bob.home, 'inbox')).toEqual([])
    // following again starts now: what happened before is read
    expect(await json(bob.home, 'follow', design)).toEqual({ design, following: true })
    expect(await json(bob.home, 'inbox')).toEqual([])
    expect((await json(bob.home, 'inbox', '--all')).map((i: { read: boolean }) => i.read)).toContain(true)
    await ok(carol.home, 'comment', design, '--text', 'Anyone?')
    await carry(scratch, carol, bob, design)
    expect((await json(bob.home, 'inbox')).map((i: { kind: string; actorName: string }) => [i.kind, i.actorName])).toEqual([['comment', 'carol']])
    const file = JSON.parse(await readFile(join(bob.home, 'follows.json'), 'utf8'))
    expect(file).toMatchObject({ version: 1, follow: [expect.any(String)], unfollow: [] })
  })
})
