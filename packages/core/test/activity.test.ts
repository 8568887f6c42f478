/** The activity inbox over real documents: what a maintainer sees of others' work on her design. */
import { describe, expect, it } from 'vitest'
import { emptyReadMarks, markRead, toUrl } from '../src/index.js'
import { designDocs, exchange, person } from './helpers.js'

describe('activity', () => {
  it("lists others' needs, claims, forks, proposals and comments on a followed design, newest first; marked read, only what comes after is new", async () => {
    const [alice, bob, carol] = await Promise.all([person('alice'), person('bob'), person('carol')])
    const design = await alice.commons.createDesign({ title: 'Loom' })
    await alice.commons.addMaintainer(design, carol.me.id)
    for (const p of [bob, carol]) await exchange(alice.repo, p.repo, await designDocs(alice, design))
    const need = await carol.commons.openNeed(design, { title: 'A cheaper hinge' })
    await exchange(carol.repo, bob.repo, await designDocs(carol, design))
    await bob.commons.claimNeed(design, need.id)
    const fork = await bob.commons.fork(design)
    await bob.commons.addBomRow(fork, { name: 'strap', quantity: 2 })
    const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Strap hinges', needs: [need.id] })
    await exchange(bob.repo, alice.repo, [...(await designDocs(bob, design)), ...(await designDocs(bob, fork)), proposal])

    const first = await alice.commons.activity([design, 'automerge:2nEmEzAARm3tHPF2GEc4m4F1G3yv'], emptyReadMarks())
    const unread = first.items.filter((i) => !i.read)
    expect(new Set(unread.map((i) => `${i.kind} ${i.actorName}`))).toEqual(new Set(['need-opened carol', 'need-claimed bob', 'fork bob', 'proposal bob']))
    expect(unread.find((i) => i.kind === 'proposal')).toMatchObject({ design: toUrl(design), subject: toUrl(proposal), summary: 'proposed "Strap hinges" to "Loom", resolving 1 need(s)' })
    // her own acts are no news; a design this store does not hold is reported, not waited for
    expect(first.items.filter((i) => i.read).map((i) => i.kind)).toEqual(['maintainers'])
    expect(first.missing).toEqual([expect.objectContaining({ design: 'automerge:2nEmEzAARm3tHPF2GEc4m4F1G3yv' })])
    expect([...first.items].sort((a, b) => b.time - a.time)).toEqual(first.items)
    expect(first.documents).toEqual(expect.arrayContaining([design, proposal]))

    const marks = markRead(emptyReadMarks(), first)
    await alice.commons.review(proposal, { verdict: 'accept' })
    const afterMerge = await alice.commons.activity([design], marks)
    expect(afterMerge.unread).toBe(0)
    expect(afterMerge.items.filter((i) => i.kind === 'merge' || i.kind === 'need-closed').map((i) => i.read)).toEqual([true, true])

    await exchange(alice.repo, carol.repo, [...(await designDocs(alice, design)), proposal])
    await carol.commons.commentOnDesign(design, 'Thank you, bob!')
    await exchange(carol.repo, alice.repo, await designDocs(carol, design))
    const later = await alice.commons.activity([design], marks)
    expect(later.items.filter((i) => !i.read).map((i) => [i.kind, i.actorName, i.summary])).toEqual([['comment', 'carol', 'commented on "Loom": "Thank you, bob!"']])
  })
})
