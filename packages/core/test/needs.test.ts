/**
 * Needs and a design's discussion over real documents: the honest client's writes, a proposal
 * citing a need that the merge closes, and the attacks a hostile peer can mount with the raw
 * automerge-repo API (forged closes, closes by non-authors, floods by one key).
 */
import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { InvalidInputError, MAX_NEEDS_PER_AUTHOR, NotFoundError, NotPermittedError, signRecord, StateError, type DesignId, type RecordId } from '../src/index.js'
import { designDocs, exchange, injectRecord, person, type Person } from './helpers.js'

/** alice's design with a BOM row and a step; bob and carol hold it. */
async function setup() {
  const [alice, bob, carol] = await Promise.all([person('alice'), person('bob'), person('carol')])
  const design = await alice.commons.createDesign({ title: 'Loom' })
  const { id: hinge } = await alice.commons.addBomRow(design, { name: 'hinge', quantity: 2 })
  const { id: step } = await alice.commons.addStep(design, { title: 'Cut', body: 'Cut the bars.' })
  for (const p of [bob, carol]) await exchange(alice.repo, p.repo, await designDocs(alice, design))
  /** Carries the design's documents (and the proposals its inbox names) from one person to another. */
  const carry = async (from: Person, to: Person, extra: string[] = []) => {
    const d = await from.commons.design(design)
    const inbox = await from.commons.inbox(d)
    await exchange(from.repo, to.repo, [...(await designDocs(from, design)), ...inbox.proposals.map((p) => p.proposal), ...extra])
  }
  return { alice, bob, carol, design, hinge, step, carry }
}

describe('needs', () => {
  it('anyone opens, claims and releases; the author closes and reopens; every view follows', async () => {
    const { alice, bob, carol, design, hinge, carry } = await setup()
    const opened = await carol.commons.openNeed(design, { title: 'A cheaper hinge', body: 'Brass is dear.', labels: ['hardware', 'hardware', 'help wanted'], about: hinge })
    expect(opened).toMatchObject({ title: 'A cheaper hinge', author: carol.me.id, authorName: 'carol', labels: ['hardware', 'help wanted'], status: 'open', about: { id: hinge, section: 'bom', present: true } })
    await carry(carol, bob)
    const claimed = await bob.commons.claimNeed(design, opened.id.slice(0, 10))
    expect(claimed).toMatchObject({ status: 'claimed', claims: [bob.me.id] })
    await expect(bob.commons.claimNeed(design, opened.id)).rejects.toThrow(StateError)
    await expect(bob.commons.closeNeed(design, opened.id)).rejects.toThrow(NotPermittedError)
    await carry(bob, carol)
    const closed = await carol.commons.closeNeed(design, opened.id)
    expect(closed).toMatchObject({ status: 'closed', claims: [], closed: { actor: carol.me.id, by: null, merge: null } })
    await expect(carol.commons.closeNeed(design, opened.id)).rejects.toThrow(StateError)
    const reopened = await carol.commons.reopenNeed(design, opened.id)
    expect(reopened).toMatchObject({ status: 'open', reopened: 1 })
    await carry(carol, alice)
    // the maintainer may close it too, and sees everyone's records, names included
    const view = await alice.commons.needs(design)
    expect(view.needs.map((n) => [n.title, n.status])).toEqual([['A cheaper hinge', 'open']])
    expect(view.book.get(bob.me.id)).toBe('bob')
    expect(view.summary).toEqual({ open: 1, claimed: 0, closed: 0, labels: ['hardware', 'help wanted'] })
    expect((await alice.commons.closeNeed(design, opened.id)).status).toBe('closed')
    // unchanged documents, the same view
    expect(await alice.commons.needs(design)).toBe(await alice.commons.needs(design))
  })

  it('refuses what would not count: bad labels, an entry the design lacks, a release without a claim', async () => {
    const { bob, design } = await setup()
    await expect(bob.commons.openNeed(design, { title: '' })).rejects.toThrow(InvalidInputError)
    await expect(bob.commons.openNeed(design, { title: 'x', labels: ['a'.repeat(65)] })).rejects.toThrow(/label is longer/)
    await expect(bob.commons.openNeed(design, { title: 'x', about: 'no-such-row' })).rejects.toThrow(NotFoundError)
    const n = await bob.commons.openNeed(design, { title: 'x' })
    await expect(bob.commons.releaseNeed(design, n.id)).rejects.toThrow(/do not claim/)
    await expect(bob.commons.need(design, 'ffffffffff')).rejects.toThrow(NotFoundError)
  })

  it('keeps the anchor of a need whose row was removed, and says it is gone and what it was', async () => {
    const { alice, bob, design, hinge, carry } = await setup()
    const n = await bob.commons.openNeed(design, { title: 'A cheaper hinge', about: hinge })
    await carry(bob, alice)
    await alice.commons.removeBomRow(design, hinge)
    expect((await alice.commons.need(design, n.id)).about).toEqual({ id: hinge, section: 'bom', present: false })
  })

  it('a proposal citing a need closes it when the maintainer accepts it: by the merge, for everyone', async () => {
    const { alice, bob, carol, design, carry } = await setup()
    const n = await carol.commons.openNeed(design, { title: 'Needs a cheaper hinge' })
    await carry(carol, bob)
    await bob.commons.claimNeed(design, n.id)
    const fork = await bob.commons.fork(design)
    await bob.commons.addBomRow(fork, { name: 'leather strap hinge', quantity: 2 })
    await expect(bob.commons.propose({ from: fork, to: design, title: 'Strap hinges', needs: ['0123456789'] })).rejects.toThrow(NotFoundError)
    const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Strap hinges', needs: [n.id] })
    expect((await bob.commons.proposal(proposal)).revisions[0]!.needs).toEqual([n.id])
    await carry(bob, alice, await designDocs(bob, fork))
    expect((await alice.commons.need(design, n.id)).status).toBe('claimed')
    const accepted = await alice.commons.review(proposal, { verdict: 'accept' })
    expect(accepted.status).toBe('accepted')
    // what a page watches to recompute the view: the design's documents and the merged proposal
    expect((await alice.commons.needs(design)).documents).toEqual(expect.arrayContaining([design, proposal]))
    const closed = await alice.commons.need(design, n.id)
    expect(closed).toMatchObject({ status: 'closed', claims: [], closed: { actor: alice.me.id, by: proposal, merge: { proposal, revision: accepted.revisions[0]!.record } } })
    for (const p of [bob, carol]) {
      await carry(alice, p, await designDocs(bob, fork))
      expect((await p.commons.need(design, n.id)).closed?.merge?.proposal).toBe(proposal)
    }
    // a closed need cannot be cited again
    await bob.commons.addBomRow(fork, { name: 'pin', quantity: 2 })
    await expect(bob.commons.propose({ from: fork, to: design, title: 'More', needs: [n.id] })).rejects.toThrow(/already closed/)
  })

  it("a new revision resolves what the one before it said, unless told otherwise", async () => {
    const { bob, design } = await setup()
    const n = await bob.commons.openNeed(design, { title: 'Untested with 6 mm plywood' })
    const fork = await bob.commons.fork(design)
    await bob.commons.addBomRow(fork, { name: 'plywood 6 mm', quantity: 1 })
    const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Plywood', needs: [n.id] })
    await bob.commons.addStep(fork, { title: 'Test', body: 'Tested.' })
    await bob.commons.propose({ from: fork, to: design, title: 'Plywood, tested' })
    expect((await bob.commons.proposal(proposal)).revisions.map((r) => r.needs)).toEqual([[n.id], [n.id]])
  })
})

describe('a design’s discussion', () => {
  it('comments anchored to a row or step, with replies, in causal order', async () => {
    const { alice, bob, design, hinge, step, carry } = await setup()
    const question = await bob.commons.commentOnDesign(design, 'Does brass matter here?', { about: hinge })
    await carry(bob, alice)
    const answer = await alice.commons.commentOnDesign(design, 'Any hinge works.', { replyTo: question.slice(0, 12) })
    await alice.commons.commentOnDesign(design, 'Cut slowly.', { about: step })
    await expect(alice.commons.commentOnDesign(design, 'x', { about: 'nowhere' })).rejects.toThrow(NotFoundError)
    await expect(alice.commons.commentOnDesign(design, 'x', { replyTo: 'f'.repeat(64) })).rejects.toThrow(NotFoundError)
    await expect(alice.commons.commentOnDesign(design, '   ')).rejects.toThrow(/empty/)
    const d = await alice.commons.discussion(design)
    const byText = Object.fromEntries(d.comments.map((c) => [c.text, c]))
    expect(byText['Does brass matter here?']).toMatchObject({ author: bob.me.id, authorName: 'bob', about: { id: hinge, section: 'bom', present: true }, replyTo: null })
    expect(byText['Any hinge works.']).toMatchObject({ record: answer, replyTo: question, about: null })
    expect(byText['Cut slowly.']!.about).toEqual({ id: step, section: 'steps', present: true })
    expect(d.comments.findIndex((c) => c.record === question)).toBeLessThan(d.comments.findIndex((c) => c.record === answer))
  })
})

describe('attacks on needs', () => {
  /** carol's need on alice's design, and mallory holding the documents. */
  async function withNeed() {
    const base = await setup()
    const mallory = await person('mallory')
    const n = await base.carol.commons.openNeed(base.design, { title: 'A cheaper hinge' })
    await base.carry(base.carol, base.alice)
    await base.carry(base.carol, mallory)
    const inboxId = (await base.alice.commons.design(base.design)).inboxId
    const deliver = async () => exchange(mallory.repo, base.alice.repo, [inboxId])
    return { ...base, mallory, n, inboxId, deliver }
  }

  it("a forged close (carol's key named, mallory's signature) is ignored and reported", async () => {
    const { alice, mallory, design, n, inboxId, deliver } = await withNeed()
    const real = await signRecord(mallory.me, { design: design as DesignId, prev: n.heads, payload: { kind: 'need', op: 'close', need: n.id, by: null } })
    const decoded = dagCbor.decode(real.bytes) as { body: Record<string, unknown>; sig: Uint8Array }
    decoded.body.author = (await alice.commons.need(design, n.id)).author
    await injectRecord(mallory.repo, inboxId, dagCbor.encode(decoded), 'entries')
    await deliver()
    const d = await alice.commons.design(design)
    expect((await alice.commons.need(d, n.id)).status).toBe('open')
    expect((await alice.commons.inbox(d)).ignored.map((i) => i.reason)).toContain('signature does not verify')
  })

  it('a close signed by someone who is neither the author nor a maintainer is ignored and reported', async () => {
    const { alice, mallory, design, n, inboxId, deliver } = await withNeed()
    const close = await signRecord(mallory.me, { design: design as DesignId, prev: n.heads, payload: { kind: 'need', op: 'close', need: n.id, by: null } })
    await injectRecord(mallory.repo, inboxId, close.bytes, 'entries')
    await deliver()
    const view = await alice.commons.needs(design)
    expect(view.needs[0]!.status).toBe('open')
    expect(view.ignored).toContainEqual(expect.objectContaining({ id: close.id, author: mallory.me.id, reason: "close by someone who is neither the need's author nor a maintainer" }))
    // and mallory's own client refuses outright
    await expect(mallory.commons.closeNeed(design, n.id)).rejects.toThrow(NotPermittedError)
  })

  it('a close replayed from another design is bound to that design and changes nothing here', async () => {
    const { alice, carol, mallory, design, n, inboxId, deliver } = await withNeed()
    const other = await alice.commons.createDesign({ title: 'Other' })
    const close = await signRecord(carol.me, { design: other as DesignId, prev: n.heads, payload: { kind: 'need', op: 'close', need: n.id, by: null } })
    await injectRecord(mallory.repo, inboxId, close.bytes, 'entries')
    await deliver()
    const d = await alice.commons.design(design)
    expect((await alice.commons.need(d, n.id)).status).toBe('open')
    expect((await alice.commons.inbox(d)).ignored).toContainEqual(expect.objectContaining({ id: close.id, reason: 'record is bound to another design' }))
  })

  it("one key's flood of needs is cut at its own bound; everyone else's stay listed", { timeout: 120_000 }, async () => {
    const { alice, mallory, design, n, inboxId, deliver } = await withNeed()
    for (let i = 0; i < MAX_NEEDS_PER_AUTHOR + 20; i++) {
      const r = await signRecord(mallory.me, { design: design as DesignId, payload: { kind: 'need', op: 'open', title: `junk ${i}`, body: '', labels: ['junk'], about: null } })
      await injectRecord(mallory.repo, inboxId, r.bytes, 'entries')
    }
    await deliver()
    const view = await alice.commons.needs(design)
    expect(view.needs.filter((x) => x.author === mallory.me.id)).toHaveLength(MAX_NEEDS_PER_AUTHOR)
    expect(view.needs.map((x) => x.id)).toContain(n.id)
    expect(view.ignored.filter((i) => i.reason === `more than ${MAX_NEEDS_PER_AUTHOR} needs opened by one author`)).toHaveLength(20)
    expect(view.summary.labels).toEqual(['junk'])
    // mallory's own client refuses to write what would not count
    await expect(mallory.commons.openNeed(design, { title: 'one more' })).rejects.toThrow(/already opened/)
    expect(view.needs.map((x) => x.id as RecordId)).toContain(n.id)
  })
})
