import * as A from '@automerge/automerge'
import type { DocumentId } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import { Commons, InvalidInputError, NoIdentityError, NotFoundError, NotPermittedError, StateError, type ContentDoc } from '../src/index.js'
import { designDocs, exchange, person } from './helpers.js'

async function withDesign() {
  const alice = await person('alice')
  const design = await alice.commons.createDesign({
    title: 'Loom',
    summary: 'A frame loom',
    licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
    tags: ['weaving'],
  })
  const { id: frame } = await alice.commons.addBomRow(design, { name: 'frame', quantity: 4, unit: 'pcs', material: 'oak' })
  return { alice, design, frame }
}

async function withFork() {
  const base = await withDesign()
  const bob = await person('bob')
  await exchange(base.alice.repo, bob.repo, await designDocs(base.alice, base.design))
  const fork = await bob.commons.fork(base.design)
  const sync = async () => {
    const ids = [...(await designDocs(bob, fork)), ...(await designDocs(bob, base.design))]
    await exchange(bob.repo, base.alice.repo, ids)
    const inbox = await bob.commons.inbox(await bob.commons.design(base.design))
    await exchange(bob.repo, base.alice.repo, inbox.proposals.map((p) => p.proposal))
  }
  return { ...base, bob, fork, sync }
}

describe('creating and editing a design', () => {
  it('creates a design whose creator is its only maintainer, at threshold 1', async () => {
    const { alice, design } = await withDesign()
    const d = await alice.commons.design(design)
    expect(d.state.maintainers).toEqual([alice.me.id])
    expect(d.state.threshold).toBe(1)
    expect(d.content).toMatchObject({ title: 'Loom', summary: 'A frame loom', tags: ['weaving'] })
    expect(d.content.licenses).toEqual({ hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0', software: null })
    expect(d.forkedFrom).toBeNull()
  })

  it('edits BOM rows and steps, keeping row order and signing each edit', async () => {
    const { alice, design, frame } = await withDesign()
    const { id: bolt } = await alice.commons.addBomRow(design, { name: 'bolt', quantity: '8', unit: 'pcs' })
    const { id: first } = await alice.commons.addBomRow(design, { name: 'base', quantity: 1 }, { before: frame })
    await alice.commons.setBomRow(design, bolt, { quantity: 10, material: 'steel' })
    await alice.commons.moveBomRow(design, bolt, first)
    const { id: step } = await alice.commons.addStep(design, { title: 'Cut', body: 'Cut the frame' })
    await alice.commons.setStep(design, step, { body: 'Cut the frame to length' })
    await alice.commons.editDesign(design, { title: 'Frame loom', readme: '# Frame loom' })
    const d = await alice.commons.design(design)
    expect(d.content.bom.map((r) => [r.name, r.quantity])).toEqual([['bolt', 10], ['base', 1], ['frame', 4]])
    expect(d.content.steps).toEqual([expect.objectContaining({ title: 'Cut', body: 'Cut the frame to length' })])
    expect(d.content.title).toBe('Frame loom')
    const log = await alice.commons.log(design)
    expect(log.map((e) => e.kind)).toEqual(['genesis', ...Array(8).fill('content')])
    await alice.commons.removeBomRow(design, first)
    await alice.commons.removeStep(design, step)
    const after = await alice.commons.design(design)
    expect(after.content.bom.map((r) => r.name)).toEqual(['bolt', 'frame'])
    expect(after.content.steps).toEqual([])
  })

  it('reorders steps: a moved step goes before the one named, or to the end; unknown steps are refused', async () => {
    const { alice, design } = await withDesign()
    const { id: cut } = await alice.commons.addStep(design, { title: 'Cut' })
    const { id: drill } = await alice.commons.addStep(design, { title: 'Drill' })
    const { id: glue } = await alice.commons.addStep(design, { title: 'Glue' })
    const order = async () => (await alice.commons.design(design)).content.steps.map((s) => s.title)
    await alice.commons.moveStep(design, glue, cut)
    expect(await order()).toEqual(['Glue', 'Cut', 'Drill'])
    await alice.commons.moveStep(design, glue, null)
    expect(await order()).toEqual(['Cut', 'Drill', 'Glue'])
    await alice.commons.moveStep(design, drill, cut)
    expect(await order()).toEqual(['Drill', 'Cut', 'Glue'])
    const log = await alice.commons.log(design)
    expect(log.at(-1)!.summary).toBe('moved step "Drill"')
    await expect(alice.commons.moveStep(design, 'nope', null)).rejects.toBeInstanceOf(NotFoundError)
    await expect(alice.commons.moveStep(design, cut, 'nope')).rejects.toBeInstanceOf(NotFoundError)
    expect(await order()).toEqual(['Drill', 'Cut', 'Glue'])
    const bob = await person('bob')
    await exchange(alice.repo, bob.repo, await designDocs(alice, design))
    await expect(bob.commons.moveStep(design, cut, null)).rejects.toBeInstanceOf(NotPermittedError)
  })

  it('an edit that changes nothing signs nothing', async () => {
    const { alice, design } = await withDesign()
    const before = await alice.commons.log(design)
    await alice.commons.editDesign(design, { title: 'Loom' })
    expect(await alice.commons.log(design)).toHaveLength(before.length)
  })

  it('a non-maintainer cannot change the design by any operation, and is told to fork', async () => {
    const { alice, design, frame } = await withDesign()
    const bob = await person('bob')
    await exchange(alice.repo, bob.repo, await designDocs(alice, design))
    const attempts = [
      () => bob.commons.editDesign(design, { title: 'Mine' }),
      () => bob.commons.addBomRow(design, { name: 'x', quantity: 1 }),
      () => bob.commons.setBomRow(design, frame, { quantity: 9 }),
      () => bob.commons.removeBomRow(design, frame),
      () => bob.commons.moveBomRow(design, frame, null),
      () => bob.commons.addStep(design, { title: 'x' }),
      () => bob.commons.addMaintainer(design, bob.me.id),
      () => bob.commons.removeMaintainer(design, alice.me.id),
      () => bob.commons.setThreshold(design, 1),
      () => bob.commons.approve(design),
    ]
    const before = await bob.commons.design(design)
    for (const attempt of attempts) {
      const err = await attempt().then(() => null, (e: unknown) => e)
      expect(err).toBeInstanceOf(NotPermittedError)
      expect((err as Error).message).toMatch(/fork/)
    }
    const after = await bob.commons.design(design)
    expect(after.content).toEqual(before.content)
    expect(after.state.records.valid).toBe(before.state.records.valid)
    const contentDoc = (await bob.repo.find<ContentDoc>(after.contentId as DocumentId)).doc()
    expect(A.getHeads(contentDoc)).toEqual(before.state.canonicalHeads)
  })

  it('rejects bad input with a clear error and changes nothing', async () => {
    const { alice, design, frame } = await withDesign()
    const before = await alice.commons.log(design)
    await expect(alice.commons.addBomRow(design, { name: 'x', quantity: -2 })).rejects.toThrow(/positive number/)
    await expect(alice.commons.addBomRow(design, { quantity: 1 })).rejects.toThrow(/name is required/)
    await expect(alice.commons.setBomRow(design, 'nope', { quantity: 1 })).rejects.toBeInstanceOf(NotFoundError)
    await expect(alice.commons.setBomRow(design, frame, {})).rejects.toThrow(/nothing to change/)
    await expect(alice.commons.editDesign(design, {})).rejects.toThrow(/nothing to edit/)
    await expect(alice.commons.editDesign(design, { licenses: { hardware: 'no such thing!' } })).rejects.toThrow(/SPDX/)
    await expect(alice.commons.createDesign({ title: '' })).rejects.toBeInstanceOf(InvalidInputError)
    expect(await alice.commons.log(design)).toHaveLength(before.length)
  })

  it('reports designs that are not in the store, and operations without an identity', async () => {
    const { alice } = await withDesign()
    const other = await person('other')
    const elsewhere = await other.commons.createDesign({ title: 'Elsewhere' })
    await expect(alice.commons.design(elsewhere)).rejects.toBeInstanceOf(NotFoundError)
    await expect(alice.commons.design('not a url')).rejects.toBeInstanceOf(InvalidInputError)
    const anonymous = new Commons(alice.repo, null)
    await expect(anonymous.createDesign({ title: 'x' })).rejects.toBeInstanceOf(NoIdentityError)
  })
})

describe('governance operations', () => {
  it('adds and removes maintainers and refuses impossible states', async () => {
    const { alice, design } = await withDesign()
    const bob = await person('bob')
    await alice.commons.addMaintainer(design, bob.me.id)
    await expect(alice.commons.addMaintainer(design, bob.me.id)).rejects.toBeInstanceOf(StateError)
    await expect(alice.commons.addMaintainer(design, 'nobody')).rejects.toBeInstanceOf(InvalidInputError)
    await expect(alice.commons.setThreshold(design, 3)).rejects.toThrow(/larger than the number of maintainers/)
    await expect(alice.commons.setThreshold(design, 0)).rejects.toBeInstanceOf(InvalidInputError)
    await alice.commons.setThreshold(design, 2)
    let state = (await alice.commons.design(design)).state
    expect(state.threshold).toBe(2)
    await expect(alice.commons.removeMaintainer(design, bob.me.id)).rejects.toThrow(/below the threshold/)
    await alice.commons.setThreshold(design, 1) // needs bob's signature too
    state = (await alice.commons.design(design)).state
    expect(state.threshold).toBe(2)
    expect(state.pending.map((p) => p.action)).toEqual([{ op: 'threshold', k: 1 }])
    await expect(alice.commons.setThreshold(design, 1)).rejects.toThrow(/already signed/)
    await exchange(alice.repo, bob.repo, await designDocs(alice, design))
    await bob.commons.approve(design)
    await exchange(bob.repo, alice.repo, [design])
    expect((await alice.commons.design(design)).state.threshold).toBe(1)
    await alice.commons.removeMaintainer(design, bob.me.id)
    expect((await alice.commons.design(design)).state.maintainers).toEqual([alice.me.id])
    await expect(alice.commons.removeMaintainer(design, bob.me.id)).rejects.toBeInstanceOf(NotFoundError)
    await expect(alice.commons.approve(design)).rejects.toThrow(/nothing awaits/)
  })
})

describe('forks and proposals', () => {
  it('a fork shares history, names its upstream, and has the forker as maintainer', async () => {
    const { alice, design, bob, fork } = await withFork()
    const f = await bob.commons.design(fork)
    const up = await bob.commons.design(design)
    expect(f.state.maintainers).toEqual([bob.me.id])
    expect(f.forkedFrom).toEqual({ design: up.id, url: up.url, heads: up.state.canonicalHeads })
    expect(f.content).toEqual(up.content)
    const forkDoc = (await bob.repo.find<ContentDoc>(f.contentId as DocumentId)).doc()
    expect(A.hasHeads(forkDoc, up.state.canonicalHeads)).toBe(true)
    const inbox = await bob.commons.inbox(up)
    expect(inbox.forks).toEqual([expect.objectContaining({ design: f.url, author: bob.me.id })])
    expect(alice).toBeDefined()
  })

  it('propose, diff, accept: the canonical design gains the changes and the log the signed merge', async () => {
    const { alice, design, bob, fork, sync } = await withFork()
    await bob.commons.addBomRow(fork, { name: 'bolt', quantity: 8 })
    await bob.commons.addStep(fork, { title: 'Assemble', body: 'Bolt it together' })
    const { proposal, revision, created } = await bob.commons.propose({ from: fork, to: design, title: 'Bolts', description: 'Sturdier' })
    expect([revision, created]).toEqual([1, true])
    await sync()
    const list = await alice.commons.proposals(design)
    expect(list).toEqual([expect.objectContaining({ title: 'Bolts', author: bob.me.id, status: 'open', revisions: 1 })])
    const diff = await alice.commons.diff(proposal)
    expect(diff.bom.added.map((r) => r.name)).toEqual(['bolt'])
    expect(diff.steps.added.map((s) => s.title)).toEqual(['Assemble'])
    expect(diff.conflicts).toEqual([])
    const p = await alice.commons.review(proposal, { verdict: 'accept', comment: 'thanks' })
    expect(p.status).toBe('accepted')
    expect(p.verdicts).toEqual([expect.objectContaining({ verdict: 'accept', comment: 'thanks', author: alice.me.id })])
    const d = await alice.commons.design(design)
    expect(d.content.bom.map((r) => r.name)).toEqual(['frame', 'bolt'])
    const last = (await alice.commons.log(design)).at(-1)!
    expect(last).toMatchObject({ kind: 'content', author: alice.me.id })
    expect(last.summary).toMatch(/merged "Bolts"/)
    await expect(alice.commons.review(proposal, { verdict: 'reject' })).rejects.toThrow(/already accepted/)
    // a merged proposal keeps showing what it proposed, against the design its reviewer saw
    const after = await alice.commons.diff(proposal)
    expect(after.bom.added.map((r) => r.name)).toEqual(['bolt'])
    expect(after.steps.added.map((s) => s.title)).toEqual(['Assemble'])
    expect(after.empty).toBe(false)
  })

  it('reject: a signed verdict, and nothing enters the canonical content; a new revision reopens it', async () => {
    const { alice, design, bob, fork, sync } = await withFork()
    await bob.commons.addBomRow(fork, { name: 'glitter', quantity: 1 })
    const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Sparkle' })
    await sync()
    const before = await alice.commons.design(design)
    const p = await alice.commons.review(proposal, { verdict: 'reject', comment: 'no' })
    expect(p.status).toBe('rejected')
    const after = await alice.commons.design(design)
    expect(after.content).toEqual(before.content)
    expect(after.state.canonicalHeads).toEqual(before.state.canonicalHeads)
    await exchange(alice.repo, bob.repo, [proposal])
    await bob.commons.addBomRow(fork, { name: 'less glitter', quantity: 1 })
    const again = await bob.commons.propose({ from: fork, to: design, title: 'Sparkle, toned down' })
    expect(again).toEqual({ proposal, revision: 2, created: false, licenceWarnings: [] })
    await sync()
    const reopened = await alice.commons.proposal(proposal)
    expect(reopened.status).toBe('open')
    expect(reopened.revisions).toHaveLength(2)
  })

  it('refuses proposals that make no sense', async () => {
    const { alice, design, bob, fork } = await withFork()
    await expect(bob.commons.propose({ from: fork, to: design, title: 'Nothing' })).rejects.toThrow(/nothing to propose/)
    const other = await alice.commons.createDesign({ title: 'Other' })
    await exchange(alice.repo, bob.repo, await designDocs(alice, other))
    await expect(bob.commons.propose({ from: fork, to: other, title: 'x' })).rejects.toThrow(/shares no content history/)
    await bob.commons.addBomRow(fork, { name: 'x', quantity: 1 })
    await exchange(bob.repo, alice.repo, await designDocs(bob, fork))
    await expect(alice.commons.propose({ from: fork, to: design, title: 'x' })).rejects.toBeInstanceOf(NotPermittedError)
    await bob.commons.propose({ from: fork, to: design, title: 'x' })
    await expect(bob.commons.propose({ from: fork, to: design, title: 'x' })).rejects.toThrow(/already has these changes/)
  })

  it('concurrent edits to the same BOM row by upstream and fork show as a conflict in the diff', async () => {
    const { alice, design, frame, bob, fork, sync } = await withFork()
    await alice.commons.setBomRow(design, frame, { quantity: 5 })
    await bob.commons.setBomRow(fork, frame, { quantity: 6 })
    const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Six frames' })
    await sync()
    const diff = await alice.commons.diff(proposal)
    expect(diff.conflicts).toEqual([
      expect.objectContaining({ path: ['bom', frame, 'quantity'], values: [5, 6], label: 'BOM row "frame" quantity' }),
    ])
  })

  it('only target maintainers can review; anyone can comment', async () => {
    const { alice, design, bob, fork, sync } = await withFork()
    await bob.commons.addBomRow(fork, { name: 'bolt', quantity: 8 })
    const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Bolts' })
    await expect(bob.commons.review(proposal, { verdict: 'accept' })).rejects.toBeInstanceOf(NotPermittedError)
    await bob.commons.commentOnProposal(proposal, 'please have a look')
    await sync()
    const p = await alice.commons.proposal(proposal)
    expect(p.comments.map((c) => c.text)).toEqual(['please have a look'])
    expect(p.status).toBe('open')
  })

  it("a fork's own name does not travel upstream with its proposals", async () => {
    const { alice, design, bob, sync } = await withFork()
    const named = await bob.commons.fork(design, { title: 'Kenyan loom' })
    expect((await bob.commons.design(named)).content.title).toBe('Kenyan loom')
    await bob.commons.addBomRow(named, { name: 'sisal cord', quantity: 3, unit: 'm' })
    const { proposal } = await bob.commons.propose({ from: named, to: design, title: 'Sisal' })
    await exchange(bob.repo, alice.repo, [...(await designDocs(bob, named)), proposal])
    await sync()
    const diff = await alice.commons.diff(proposal)
    expect(diff.fields).toEqual([])
    await alice.commons.review(proposal, { verdict: 'accept' })
    expect((await alice.commons.design(design)).content.title).toBe('Loom')
    // once a maintainer of the fork edits the title in its content, that title shows
    await bob.commons.editDesign(named, { title: 'Sisal loom' })
    expect((await bob.commons.design(named)).content.title).toBe('Sisal loom')
  })

  it('a revision added by a stale home after acceptance is a new open revision; the merged one stays accepted', async () => {
    const { alice, design, bob, fork, sync } = await withFork()
    await bob.commons.addBomRow(fork, { name: 'bolt', quantity: 8 })
    const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Bolts' })
    await sync()
    await alice.commons.review(proposal, { verdict: 'accept' })
    // bob has not seen the acceptance: his next proposal becomes revision 2 of the same proposal
    await bob.commons.addBomRow(fork, { name: 'nut', quantity: 8 })
    expect(await bob.commons.propose({ from: fork, to: design, title: 'Nuts' })).toMatchObject({ proposal, revision: 2 })
    await sync()
    let p = await alice.commons.proposal(proposal)
    expect(p.revisions.map((r) => r.status)).toEqual(['accepted', 'open'])
    expect(p.status).toBe('open')
    p = await alice.commons.review(proposal, { verdict: 'reject' })
    expect(p.revisions.map((r) => r.status)).toEqual(['accepted', 'rejected'])
    expect((await alice.commons.design(design)).content.bom.map((r) => r.name)).toEqual(['frame', 'bolt'])
  })

  it('lists a proposal it cannot read as unavailable instead of hiding it', async () => {
    const { alice, design, bob, fork } = await withFork()
    await bob.commons.addBomRow(fork, { name: 'bolt', quantity: 8 })
    const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Bolts' })
    // alice receives the inbox pointer, but not the proposal
    await exchange(bob.repo, alice.repo, [(await bob.commons.design(design)).inboxId])
    const list = await alice.commons.proposals(design)
    expect(list).toEqual([expect.objectContaining({ status: 'unavailable', reason: expect.stringMatching(/not in this store/) })])
    // then the proposal, but not the fork it comes from: readable, and it says its source is missing
    await exchange(bob.repo, alice.repo, [proposal])
    expect(await alice.commons.proposals(design)).toEqual([
      expect.objectContaining({ status: 'open', title: 'Bolts', sourceAvailable: false, reason: expect.stringMatching(/not in this store/) }),
    ])
    await expect(alice.commons.diff(proposal)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('refuses to insert a BOM row before a row that does not exist', async () => {
    const { alice, design } = await withDesign()
    await expect(alice.commons.addBomRow(design, { name: 'x', quantity: 1 }, { before: 'nope' })).rejects.toBeInstanceOf(NotFoundError)
  })
})

