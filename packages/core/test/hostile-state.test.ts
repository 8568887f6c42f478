/**
 * Attacks on documents' current state and floods: anyone can write anything into any document
 * with the raw automerge-repo API, without holding any key. Nothing such a writer does may freeze,
 * hide or hijack a design or a proposal, and a flood costs the flooder, not the design.
 */
import * as A from '@automerge/automerge'
import { interpretAsDocumentId, type BinaryDocumentId, type DocumentId } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import {
  collectBundle,
  encodeBundle,
  importBundle,
  MAX_POINTERS_PER_AUTHOR,
  signRecord,
  type DesignId,
  type SignedRecord,
} from '../src/index.js'
import { designDocs, exchange, person, type Person } from './helpers.js'

async function withProposal() {
  const alice = await person('alice')
  const design = await alice.commons.createDesign({ title: 'Loom' })
  await alice.commons.addBomRow(design, { name: 'frame', quantity: 4 })
  const bob = await person('bob')
  await exchange(alice.repo, bob.repo, await designDocs(alice, design))
  const fork = await bob.commons.fork(design)
  await bob.commons.addBomRow(fork, { name: 'bolt', quantity: 8 })
  const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Bolts' })
  const everything = async (p: Person) => [...(await designDocs(p, design)), ...(await designDocs(p, fork)), proposal]
  await exchange(bob.repo, alice.repo, await everything(bob))
  return { alice, bob, design, fork, proposal, everything }
}

/** Replaces a document's whole state through the raw API: what a keyless writer can do. */
async function rewrite(p: Person, id: string, fn: (doc: Record<string, unknown>) => void) {
  const h = await p.repo.find<Record<string, unknown>>(id as DocumentId)
  h.change(fn)
}

const wipes: [string, (doc: Record<string, unknown>) => void][] = [
  ['every top-level field deleted', (d) => { for (const k of Object.keys(d)) delete d[k] }],
  ['schema retyped and records emptied', (d) => { d.schema = 'something/else@9'; d.records = []; d.entries = [] }],
  ['records replaced by a string', (d) => { d.records = 'nothing here'; d.entries = 'nothing here' }],
  ['records replaced by a map', (d) => { d.records = { a: 1 }; d.entries = { a: 1 } }],
]

describe('keyless writes to current state', () => {
  for (const [what, wipe] of wipes) {
    it(`a governance document with ${what} still verifies for a late joiner, stays editable and exports`, async () => {
      const alice = await person('alice')
      const design = await alice.commons.createDesign({ title: 'Loom' })
      await alice.commons.addBomRow(design, { name: 'frame', quantity: 4 })
      const before = await alice.commons.design(design)
      const mallory = await person('mallory')
      await exchange(alice.repo, mallory.repo, await designDocs(alice, design))
      await rewrite(mallory, design, wipe)
      await rewrite(mallory, before.inboxId, wipe)
      await rewrite(mallory, before.contentId, wipe)
      await exchange(mallory.repo, alice.repo, await designDocs(alice, design))
      // the maintainer: same design, and her next edit works (the append recreates what it needs)
      expect((await alice.commons.design(design)).content).toEqual(before.content)
      await alice.commons.addBomRow(design, { name: 'bolt', quantity: 8 })
      // a late joiner gets everything from mallory's copy plus alice's edit
      const carol = await person('carol')
      await exchange(mallory.repo, carol.repo, await designDocs(alice, design))
      await exchange(alice.repo, carol.repo, await designDocs(alice, design))
      const seen = await carol.commons.design(design)
      expect(seen.content.bom.map((r) => r.name)).toEqual(['frame', 'bolt'])
      expect(seen.state.maintainers).toEqual([alice.me.id])
      // and it still travels in a bundle, recognised as a design by its signed history
      expect(await carol.commons.kind(design)).toBe('design')
      const dave = await person('dave')
      const bundle = await encodeBundle(carol.me, [design as DocumentId], await collectBundle(carol.commons, [design]))
      const imported = await importBundle(dave.commons, bundle)
      expect(imported.designs).toEqual([seen.url])
      expect((await dave.commons.design(design)).content.bom.map((r) => r.name)).toEqual(['frame', 'bolt'])
    })
  }

  it('a wiped inbox and proposal document: the proposal is still listed, readable and reviewable', async () => {
    const { alice, design, proposal } = await withProposal()
    const d = await alice.commons.design(design)
    const mallory = await person('mallory')
    await exchange(alice.repo, mallory.repo, [d.inboxId, proposal])
    for (const id of [d.inboxId, proposal]) await rewrite(mallory, id, wipes[0]![1])
    await exchange(mallory.repo, alice.repo, [d.inboxId, proposal])
    const list = await alice.commons.proposals(design)
    expect(list).toEqual([expect.objectContaining({ title: 'Bolts', status: 'open' })])
    expect(await alice.commons.kind(proposal)).toBe('proposal')
    expect((await alice.commons.diff(proposal)).bom.added.map((r) => r.name)).toEqual(['bolt'])
    const reviewed = await alice.commons.review(proposal, { verdict: 'accept' })
    expect(reviewed.status).toBe('accepted')
    expect((await alice.commons.design(design)).content.bom.map((r) => r.name)).toEqual(['frame', 'bolt'])
  })
})

describe('a proposal is what its author proposed', () => {
  it('a third party signing a revision whose record id sorts first takes nothing over', async () => {
    const { alice, bob, design, proposal, everything } = await withProposal()
    // eve maintains a fork of her own, with her own rows
    const eve = await person('eve')
    await exchange(alice.repo, eve.repo, await everything(alice))
    const evesFork = await eve.commons.fork(design)
    await eve.commons.addBomRow(evesFork, { name: 'EVE row', quantity: 1 })
    const eveFork = await eve.commons.design(evesFork)
    const opening = (await alice.commons.proposal(proposal)).opening
    // she grinds the time field until her revision's id sorts before bob's opening
    let hijack
    for (let t = 0; ; t++) {
      hijack = await signRecord(eve.me, {
        design: design as DesignId,
        heads: eveFork.state.canonicalHeads,
        time: t,
        payload: { kind: 'revision', proposal: proposal as DocumentId, source: eveFork.id, title: 'Mine now', description: '', nonce: 'x' },
      })
      if (hijack.id < opening) break
    }
    await rewrite(eve, proposal, (d) => { (d.records as Uint8Array[]).push(hijack.bytes) })
    await exchange(eve.repo, alice.repo, [...(await designDocs(eve, evesFork)), proposal])
    const p = await alice.commons.proposal(proposal)
    expect(p.author).toBe(bob.me.id)
    expect(p.title).toBe('Bolts')
    expect(p.revisions).toHaveLength(1)
    expect(p.ignored).toContainEqual(expect.objectContaining({ id: hijack.id, reason: "revision by someone other than the proposal's author" }))
    await alice.commons.review(proposal, { verdict: 'accept' })
    expect((await alice.commons.design(design)).content.bom.map((r) => r.name)).toEqual(['frame', 'bolt'])
  })

  it('a revision naming a source that is missing or not a design is ignored, not fatal', async () => {
    const { alice, bob, design, proposal } = await withProposal()
    const d = await alice.commons.design(design)
    const nowhere = fakeDocumentId('00112233445566778899aabbccddeeff')
    const eve = await person('eve')
    for (const [who, source] of [[eve, nowhere], [bob, nowhere], [bob, d.inboxId]] as const) {
      const record = await signRecord(who.me, {
        design: design as DesignId,
        prev: [(await alice.commons.proposal(proposal)).revisions.at(-1)!.record],
        heads: d.state.canonicalHeads,
        payload: { kind: 'revision', proposal: proposal as DocumentId, source: source as DesignId, title: 'x', description: '' },
      })
      await rewrite(alice, proposal, (doc) => { (doc.records as Uint8Array[]).push(record.bytes) })
    }
    const p = await alice.commons.proposal(proposal)
    expect(p.revisions.map((r) => r.title)).toEqual(['Bolts'])
    expect(p.ignored.map((i) => i.reason)).toEqual(
      expect.arrayContaining(["revision by someone other than the proposal's author", 'revision from another source design']),
    )
    expect((await alice.commons.diff(proposal)).bom.added.map((r) => r.name)).toEqual(['bolt'])
  })
})

describe('floods cost the flooder', () => {
  it('50,001 byte strings written into a governance document do not make the design unusable', { timeout: 120_000 }, async () => {
    const alice = await person('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    const mallory = await person('mallory')
    await exchange(alice.repo, mallory.repo, await designDocs(alice, design))
    // (about 110 KB of four-byte strings, written in bulk: one by one, the writing alone takes the
    // attacker half a minute)
    const junk = Array.from({ length: 50_001 }, (_, i) => new Uint8Array([i & 0xff, (i >> 8) & 0xff, i >> 16, 7]))
    await rewrite(mallory, design, (d) => {
      for (let i = 0; i < junk.length; i += 5_000) A.insertAt(d.records as Uint8Array[], i + 1, ...junk.slice(i, i + 5_000))
    })
    await exchange(mallory.repo, alice.repo, [design])
    const before = alice.commons.counters.signaturesVerified
    await alice.commons.addBomRow(design, { name: 'frame', quantity: 4 })
    const d = await alice.commons.design(design)
    expect(d.content.bom.map((r) => r.name)).toEqual(['frame'])
    // junk is counted in one line, and cost no signature check
    expect(d.state.ignored).toContainEqual(expect.objectContaining({ id: null, reason: expect.stringMatching(/50001 byte string/) }))
    expect(alice.commons.counters.signaturesVerified - before).toBeLessThanOrEqual(2)
    const carol = await person('carol')
    await exchange(alice.repo, carol.repo, await designDocs(alice, design))
    expect((await carol.commons.design(design)).content.bom.map((r) => r.name)).toEqual(['frame'])
  })

  it("a stranger's validly signed records in a governance document cost no signature check", async () => {
    const alice = await person('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    const d = await alice.commons.design(design)
    const stranger = await person('stranger')
    const records: SignedRecord[] = []
    for (let i = 0; i < 200; i++) {
      records.push(
        await signRecord(stranger.me, {
          design: design as DesignId,
          prev: d.state.recordHeads,
          heads: d.state.canonicalHeads,
          payload: { kind: 'content', reason: 'edit', summary: `junk ${i}`, proposal: null },
        }),
      )
    }
    await rewrite(alice, design, (doc) => { for (const r of records) (doc.records as Uint8Array[]).push(r.bytes) })
    const fresh = await person('fresh')
    await exchange(alice.repo, fresh.repo, await designDocs(alice, design))
    const seen = await fresh.commons.design(design)
    expect(seen.state.maintainers).toEqual([alice.me.id])
    // only the genesis needed a signature check
    expect(fresh.commons.counters.signaturesVerified).toBe(1)
    expect(seen.state.ignored.length).toBeGreaterThanOrEqual(64)
  })

  it('2,000 signed pointers to proposals nobody holds: the listing is quick, the real one first, the flood cut per author', { timeout: 120_000 }, async () => {
    const { alice, design } = await withProposal()
    const d = await alice.commons.design(design)
    const stranger = await person('stranger')
    const pointers: SignedRecord[] = []
    for (let i = 0; i < 2_000; i++) {
      const nowhere = A.getHeads(A.from({ i }))[0]!.slice(0, 32)
      pointers.push(await signRecord(stranger.me, { design: design as DesignId, payload: { kind: 'proposal-pointer', proposal: fakeDocumentId(nowhere) } }))
    }
    await rewrite(alice, d.inboxId, (doc) => { for (const p of pointers) (doc.entries as Uint8Array[]).push(p.bytes) })
    const started = performance.now()
    const list = await alice.commons.proposals(design)
    const took = performance.now() - started
    expect(took).toBeLessThan(5_000)
    expect(list[0]).toMatchObject({ title: 'Bolts', status: 'open' })
    expect(list.filter((p) => p.status === 'unavailable')).toHaveLength(MAX_POINTERS_PER_AUTHOR)
    const inbox = await alice.commons.inbox(d)
    expect(inbox.ignored.filter((i) => i.author === stranger.me.id).length).toBe(2_000 - MAX_POINTERS_PER_AUTHOR)
  })
})

/** A syntactically valid document id nobody holds, from 32 hex characters. */
function fakeDocumentId(hex: string): DocumentId {
  return interpretAsDocumentId(Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16))) as BinaryDocumentId)
}
