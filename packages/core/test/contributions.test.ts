/**
 * Contribution accounting, build reports and the licence notice over a real Repo: merged work is
 * credited to who wrote it, reviews to reviewers, hostile writes to nobody; makes are signed and
 * bounded; the notice reaches viewers with no identity.
 */
import * as A from '@automerge/automerge'
import { Repo } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import {
  Commons,
  contentFacts,
  createIdentity,
  MemoryBlobStore,
  signRecord,
  type ChangeHash,
  type ContributionsView,
} from '../src/index.js'
import { injectContent, injectRecord, junkRow } from './helpers.js'

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9])

async function world() {
  const repo = new Repo({ network: [] })
  const blobs = new MemoryBlobStore()
  const make = async (name: string) => new Commons(repo, await createIdentity(name), blobs)
  return { repo, blobs, alice: await make('Alice'), bob: await make('Bob'), carol: await make('Carol'), eve: await make('Eve'), viewer: new Commons(repo, null, blobs) }
}

const who = (v: ContributionsView, c: Commons) => v.contributors.find((p) => p.id === c.identity!.id)

/** alice's loom (one row); bob's fork, which carol co-maintains; both edit; bob proposes; alice merges. */
async function mergedWorld() {
  const w = await world()
  const loom = await w.alice.createDesign({ title: 'Loom', licenses: { hardware: 'CERN-OHL-S-2.0' } })
  const frame = await w.alice.addBomRow(loom, { name: 'Frame', quantity: 4 })
  const fork = await w.bob.fork(loom)
  await w.bob.addMaintainer(fork, w.carol.identity!.id)
  const bolt = await w.carol.addBomRow(fork, { name: 'Bolt M6', quantity: 8 })
  const step = await w.bob.addStep(fork, { title: 'Assemble', body: 'Bolt it.' })
  await w.bob.setBomRow(fork, frame.id, { quantity: 2 })
  const { proposal } = await w.bob.propose({ from: fork, to: loom, title: 'Bolted frame' })
  await w.alice.review(proposal, { verdict: 'accept' })
  return { ...w, loom, fork, frame, bolt, step, proposal }
}

describe('contributions', () => {
  it('a merged proposal credits its author and the fork’s content authors, each for what they wrote; the maintainer for the review and the merge', async () => {
    const w = await mergedWorld()
    const v = await w.viewer.contributions(w.loom)
    expect(who(v, w.bob)).toMatchObject({ name: 'Bob', merged: 1, steps: 1, rows: 0, reviews: 0, merges: 0 })
    expect(who(v, w.carol)).toMatchObject({ name: 'Carol', merged: 1, rows: 1, steps: 0 })
    expect(who(v, w.alice)).toMatchObject({ name: 'Alice', merged: 0, rows: 1, reviews: 1, merges: 1, maintainer: [{ since: expect.any(Number), until: null }] })
    expect(v.contributors[0]!.id).toBe(w.alice.identity!.id)
    const row = v.events.find((e) => e.kind === 'row' && e.detail === w.bolt.id)
    expect(row).toMatchObject({ person: w.carol.identity!.id, design: v.design })
    expect(v.missing).toEqual([])
  })

  it('the fork cites the upstream’s authors and credits its own', async () => {
    const w = await mergedWorld()
    const v = await w.viewer.contributions(w.fork)
    expect(who(v, w.alice)).toMatchObject({ cited: 1, rows: 0 })
    expect(who(v, w.carol)).toMatchObject({ rows: 1, maintainer: [{ until: null }] })
    expect(who(v, w.bob)).toMatchObject({ steps: 1, merged: 0 })
    expect(v.events.find((e) => e.kind === 'cited')!.design).toBe((await w.viewer.design(w.loom)).url)
  })

  it('a rejected proposal credits only its review', async () => {
    const w = await mergedWorld()
    await w.carol.addStep(w.fork, { title: 'Oil', body: 'Oil it.' })
    const { proposal } = await w.carol.propose({ from: w.fork, to: w.loom, title: 'Oil it' })
    const before = await w.viewer.contributions(w.loom)
    await w.alice.review(proposal, { verdict: 'reject', comment: 'not yet' })
    const v = await w.viewer.contributions(w.loom)
    expect(who(v, w.alice)!.reviews).toBe(who(before, w.alice)!.reviews + 1)
    expect(who(v, w.carol)).toMatchObject({ merged: 1, steps: 0 })
    expect(v.events.filter((e) => e.kind === 'step').map((e) => e.person)).toEqual([w.bob.identity!.id])
  })

  it('a fork of the fork, merged into the fork and then upstream, credits its author upstream', async () => {
    const w = await mergedWorld()
    const dan = new Commons(w.repo, await createIdentity('Dan'), w.blobs)
    const deep = await dan.fork(w.fork)
    const strap = await dan.addBomRow(deep, { name: 'Strap', quantity: 1 })
    const toFork = await dan.propose({ from: deep, to: w.fork, title: 'A strap' })
    await w.bob.review(toFork.proposal, { verdict: 'accept' })
    const up = await w.bob.propose({ from: w.fork, to: w.loom, title: 'Strap too' })
    await w.alice.review(up.proposal, { verdict: 'accept' })
    const v = await w.viewer.contributions(w.loom)
    expect(who(v, dan)).toMatchObject({ name: 'Dan', merged: 1, rows: 1 })
    expect(v.events.find((e) => e.kind === 'row' && e.detail === strap.id)!.person).toBe(dan.identity!.id)
    expect(who(v, w.bob)!.merged).toBe(2)
    // bob's merge in his fork is a merge there, not here
    expect(who(v, w.bob)!.merges).toBe(0)
  })

  it('hostile writes credit nobody: a stranger’s signed content record, junk bytes, unsigned content, a stranger’s verdict', async () => {
    const w = await mergedWorld()
    const before = await w.viewer.contributions(w.loom)
    const d = await w.viewer.design(w.loom)
    const eve = w.eve.identity!
    await injectContent(w.repo, d.contentId, (doc) => {
      doc.bom['deadbeef0000'] = junkRow('Eve row') as never
    })
    const content = await signRecord(eve, { design: d.id, prev: d.state.recordHeads, base: d.state.canonicalHeads, heads: d.state.canonicalHeads, payload: { kind: 'content', reason: 'edit', summary: 'mine', proposal: null } })
    await injectRecord(w.repo, w.loom, content.bytes)
    await injectRecord(w.repo, w.loom, new Uint8Array([1, 2, 3]))
    const p = await w.viewer.proposal(w.proposal)
    const verdict = await signRecord(eve, { design: d.id, prev: [p.revisions[0]!.record], payload: { kind: 'verdict', proposal: p.id, revision: p.revisions[0]!.record, verdict: 'accept', comment: '' } })
    await injectRecord(w.repo, w.proposal, verdict.bytes)
    const fake = await signRecord(eve, { design: d.id, payload: { kind: 'comment', subject: 'somewhere-else', text: 'x' } })
    await injectRecord(w.repo, d.inboxId, fake.bytes, 'entries')
    const v = await w.viewer.contributions(w.loom)
    expect(v.contributors.map((c) => c.id)).not.toContain(eve.id)
    expect(v.contributors).toEqual(before.contributors)
  })

  it('counts needs opened and the design’s discussion from signed inbox records', async () => {
    const w = await mergedWorld()
    const d = await w.viewer.design(w.loom)
    const need = await signRecord(w.carol.identity!, { design: d.id, payload: { kind: 'need', op: 'open', title: 'A heddle', body: '', labels: [], about: null } })
    const talk = await signRecord(w.eve.identity!, { design: d.id, payload: { kind: 'comment', subject: d.id, text: 'lovely' } })
    await injectRecord(w.repo, d.inboxId, need.bytes, 'entries')
    await injectRecord(w.repo, d.inboxId, talk.bytes, 'entries')
    const v = await w.viewer.contributions(w.loom)
    expect(who(v, w.carol)!.needs).toBe(1)
    expect(who(v, w.eve)).toMatchObject({ comments: 1, merged: 0, rows: 0 })
  })
})

describe('contributions through updates', () => {
  it('a fork that takes in its upstream’s later work cites its authors again and credits the update to its maintainer', async () => {
    const w = await world()
    const loom = await w.alice.createDesign({ title: 'Loom' })
    const fork = await w.bob.fork(loom)
    const heddle = await w.alice.addBomRow(loom, { name: 'Heddle', quantity: 1 })
    await w.bob.update(fork)
    const v = await w.viewer.contributions(fork)
    expect(who(v, w.alice)).toMatchObject({ cited: 2, rows: 0 })
    expect(who(v, w.bob)).toMatchObject({ merges: 1, rows: 0 })
    expect(v.events.filter((e) => e.kind === 'cited').every((e) => e.design === v.events.find((x) => x.kind === 'cited')!.design)).toBe(true)
    expect((await w.viewer.design(fork)).content.bom.map((r) => r.id)).toContain(heddle.id)
  })
})

describe('makes', () => {
  it('anyone reports a build of the canonical version, with photos by hash; it is listed and counted', async () => {
    const w = await mergedWorld()
    const d = await w.viewer.design(w.loom)
    const { make } = await w.eve.reportMake(w.loom, { place: 'Nairobi, KE', result: 'issues', changes: 'grevillea', notes: 'wobbly', photos: [{ name: 'built.png', data: PNG }] })
    const view = await w.viewer.makes(w.loom)
    expect(view.makes).toEqual([
      expect.objectContaining({ make, author: w.eve.identity!.id, authorName: 'Eve', place: 'Nairobi, KE', result: 'issues', changes: 'grevillea', heads: d.state.canonicalHeads }),
    ])
    const photo = view.makes[0]!.photos[0]!
    expect(photo).toMatchObject({ name: 'built.png', mediaType: 'image/png', size: PNG.length })
    expect(await w.blobs.has(photo.hash as never)).toBe(true)
    expect(who(await w.viewer.contributions(w.loom), w.eve)!.makes).toBe(1)
  })

  it('refuses what is not a build report: a non-image photo, an unknown result', async () => {
    const w = await world()
    const id = await w.alice.createDesign({ title: 'Kiln' })
    await expect(w.bob.reportMake(id, { photos: [{ name: 'notes.pdf', data: PNG }] })).rejects.toMatchObject({ name: 'InvalidInputError' })
    await expect(w.bob.reportMake(id, { result: 'great' })).rejects.toMatchObject({ name: 'InvalidInputError' })
    expect((await w.viewer.makes(id)).makes).toEqual([])
  })

  it('ignores a report that names heads the maintainers never signed', async () => {
    const w = await world()
    const id = await w.alice.createDesign({ title: 'Kiln' })
    const d = await w.viewer.design(id)
    await injectContent(w.repo, d.contentId, (doc) => {
      doc.bom['0123456789ab'] = junkRow('junk') as never
    })
    const heads = (await w.viewer.documentHeads(d.contentId))!
    const fake = await signRecord(w.eve.identity!, { design: d.id, heads, base: heads, payload: { kind: 'make', place: '', result: 'works', changes: '', notes: '', photos: [] } })
    await injectRecord(w.repo, d.inboxId, fake.bytes, 'entries')
    const view = await w.viewer.makes(id)
    expect(view.makes).toEqual([])
    expect(view.ignored.map((i) => i.reason)).toEqual(["names heads the design's maintainers never signed"])
  })
})

describe('the log', () => {
  it('names the proposer on every merge', async () => {
    const w = await mergedWorld()
    const log = await w.viewer.log(w.loom)
    const merge = log.find((e) => e.merged !== undefined)!
    expect(merge.merged).toMatchObject({ title: 'Bolted frame', author: w.bob.identity!.id, authorName: 'Bob' })
    expect(log.filter((e) => e.kind === 'content' && e.merged === undefined).length).toBeGreaterThan(0)
  })
})

describe('the licence notice', () => {
  it('a fork relicensed from a share-alike licence to a permissive one shows the upstream’s licence to every viewer', async () => {
    const w = await world()
    const loom = await w.alice.createDesign({ title: 'Loom', licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'LicenseRef-PPL' } })
    const fork = await w.bob.fork(loom)
    expect((await w.viewer.design(fork)).licenceNotice).toBeNull()
    await w.bob.editDesign(fork, { licenses: { hardware: 'CERN-OHL-P-2.0', documentation: 'CC-BY-4.0' } })
    const notice = (await w.viewer.design(fork)).licenceNotice
    expect(notice).not.toBeNull()
    expect(notice!.sources).toEqual([
      expect.objectContaining({
        design: (await w.viewer.design(loom)).url,
        licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'LicenseRef-PPL', software: null },
        warnings: [expect.objectContaining({ field: 'hardware', problem: 'share-alike' }), expect.objectContaining({ field: 'documentation', problem: 'share-alike' })],
      }),
    ])
    expect(notice!.sources[0]!.terms.map((t) => [t.id, t.class])).toEqual([
      ['CERN-OHL-S-2.0', 'share-alike'],
      ['LicenseRef-PPL', 'copyfair'],
    ])
    expect(notice!.message).toMatch(/CERN-OHL-S-2.0/)
    // the upstream keeps its own licences: no notice there
    expect((await w.viewer.design(loom)).licenceNotice).toBeNull()
  })

  it('relicensing back to the upstream’s licence clears the notice', async () => {
    const w = await world()
    const loom = await w.alice.createDesign({ title: 'Loom', licenses: { hardware: 'CERN-OHL-S-2.0' } })
    const fork = await w.bob.fork(loom)
    await w.bob.editDesign(fork, { licenses: { hardware: 'MIT' } })
    expect((await w.viewer.design(fork)).licenceNotice).not.toBeNull()
    await w.bob.editDesign(fork, { licenses: { hardware: 'CERN-OHL-S-2.0' } })
    expect((await w.viewer.design(fork)).licenceNotice).toBeNull()
  })
})


describe('content facts', () => {
  it('what a change created is read between its signed base and heads only, across branches and merges', () => {
    const heads = (d: A.Doc<unknown>) => A.getHeads(d) as ChangeHash[]
    let base = A.from<Record<string, Record<string, unknown>>>({ bom: {}, steps: {}, files: {} })
    base = A.change(base, (d) => {
      d.bom!['old'] = { name: 'old' }
    })
    const b = heads(base)
    const left = A.change(A.clone(base), (d) => {
      d.bom!['r1'] = { name: 'one' }
    })
    const right = A.change(A.clone(base), (d) => {
      d.steps!['s2'] = { title: 'two' }
      ;(d.bom!['old'] as { name: string }).name = 'renamed'
    })
    let merged = A.merge(A.clone(left), right)
    merged = A.change(merged, (d) => {
      d.files!['f3'] = { name: 'three' }
    })
    const facts = contentFacts(merged)
    expect(facts.introduced(b, heads(left))).toEqual({ bom: ['r1'], steps: [], files: [] })
    expect(facts.introduced(heads(left), heads(merged))).toEqual({ bom: [], steps: ['s2'], files: ['f3'] })
    expect(facts.introduced([...heads(left), ...heads(right)].sort() as ChangeHash[], heads(merged))).toEqual({ bom: [], steps: [], files: ['f3'] })
    expect(facts.introduced([], b)).toEqual({ bom: ['old'], steps: [], files: [] })
    expect(facts.covers(heads(merged), heads(left))).toBe(true)
    expect(facts.covers(heads(left), heads(right))).toBe(false)
    expect(facts.covers(heads(left), ['f'.repeat(64) as ChangeHash])).toBeNull()
  })
})
