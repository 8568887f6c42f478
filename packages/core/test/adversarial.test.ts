/**
 * The adversarial suite: each test is an attack a hostile peer can mount with the raw
 * automerge-repo API (it may write anything into any of a design's documents), and asserts that
 * the canonical design is exactly what its maintainers signed.
 */
import * as A from '@automerge/automerge'
import type { DocumentId } from '@automerge/automerge-repo'
import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import {
  collectBundle,
  designIdFor,
  encodeBundle,
  importBundle,
  signRecord,
  UnverifiableDesignError,
  type DesignId,
  type GovernanceDoc,
  type PersonId,
} from '../src/index.js'
import { designDocs, exchange, injectContent, injectRecord, junkRow, person } from './helpers.js'

async function setup() {
  const alice = await person('alice')
  const mallory = await person('mallory')
  const design = await alice.commons.createDesign({ title: 'Loom', licenses: { hardware: 'CERN-OHL-S-2.0' } })
  await alice.commons.addBomRow(design, { name: 'frame', quantity: 4 })
  await exchange(alice.repo, mallory.repo, await designDocs(alice, design))
  const before = await alice.commons.design(design)
  return { alice, mallory, design, before }
}

/** Mallory's documents reach alice; alice's verified view must not have moved. */
async function deliver(from: { repo: import('@automerge/automerge-repo').Repo }, to: typeof from, ids: string[]) {
  await exchange(from.repo, to.repo, ids)
}

describe('attacks on a design', () => {
  it('forged signature: a maintainer record with a flipped signature byte is ignored', async () => {
    const { alice, mallory, design, before } = await setup()
    const content = before.contentId
    await injectContent(mallory.repo, content, (d) => {
      d.bom.junk = junkRow('JUNK forged')
    })
    const junkHeads = A.getHeads((await mallory.repo.find(content as DocumentId)).doc())
    // A record claiming to be alice's, with alice's key id but a forged signature.
    const real = await signRecord(mallory.me, {
      design: design as DesignId,
      prev: before.state.recordHeads,
      heads: junkHeads,
      payload: { kind: 'content', reason: 'edit', summary: 'forged', proposal: null },
    })
    const decoded = dagCbor.decode(real.bytes) as { body: Record<string, unknown>; sig: Uint8Array }
    decoded.body.author = alice.me.id
    const forged = dagCbor.encode(decoded)
    await injectRecord(mallory.repo, design, forged)
    await deliver(mallory, alice, await designDocs(alice, design))
    const after = await alice.commons.design(design)
    expect(after.state.canonicalHeads).toEqual(before.state.canonicalHeads)
    expect(after.content.bom.map((r) => r.name)).toEqual(['frame'])
    expect(after.state.ignored.map((i) => i.reason)).toContain('signature does not verify')
  })

  it('valid signature by a non-maintainer: the record is ignored and the content unchanged', async () => {
    const { alice, mallory, design, before } = await setup()
    await injectContent(mallory.repo, before.contentId, (d) => {
      d.bom.junk = junkRow('JUNK by mallory')
    })
    const heads = A.getHeads((await mallory.repo.find(before.contentId as DocumentId)).doc())
    const record = await signRecord(mallory.me, {
      design: design as DesignId,
      prev: before.state.recordHeads,
      heads,
      payload: { kind: 'content', reason: 'edit', summary: 'mine now', proposal: null },
    })
    await injectRecord(mallory.repo, design, record.bytes)
    await deliver(mallory, alice, await designDocs(alice, design))
    const after = await alice.commons.design(design)
    expect(after.content.bom.map((r) => r.name)).toEqual(['frame'])
    expect(after.state.ignored).toContainEqual(
      expect.objectContaining({ id: record.id, author: mallory.me.id, reason: "author was not a maintainer at the record's base" }),
    )
  })

  it('a non-maintainer adding themself as maintainer is ignored', async () => {
    const { alice, mallory, design, before } = await setup()
    const record = await signRecord(mallory.me, {
      design: design as DesignId,
      prev: before.state.recordHeads,
      payload: { kind: 'governance', action: { op: 'add', member: mallory.me.id }, nonce: 'x' },
    })
    await injectRecord(mallory.repo, design, record.bytes)
    await deliver(mallory, alice, await designDocs(alice, design))
    expect((await alice.commons.design(design)).state.maintainers).toEqual([alice.me.id])
    // and mallory's own client refuses outright
    await expect(mallory.commons.addMaintainer(design, mallory.me.id)).rejects.toThrow(/only maintainers/)
  })

  it('record replayed from another design: bound to its design id, ignored elsewhere', async () => {
    const { alice, mallory, design, before } = await setup()
    const other = await alice.commons.createDesign({ title: 'Other' })
    await alice.commons.addBomRow(other, { name: 'widget', quantity: 1 })
    const otherState = await alice.commons.design(other)
    const contentRecord = (await alice.commons.history(otherState.id)).valid.find((r) => r.body.payload.kind === 'content')!
    await exchange(alice.repo, mallory.repo, await designDocs(alice, other))
    await injectRecord(mallory.repo, design, contentRecord.bytes)
    await deliver(mallory, alice, [design])
    const after = await alice.commons.design(design)
    expect(after.state.canonicalHeads).toEqual(before.state.canonicalHeads)
    expect(after.state.ignored).toContainEqual(expect.objectContaining({ id: contentRecord.id, reason: 'record is bound to another design' }))
  })

  it('second genesis: a genesis by anyone else cannot be bound to the design id', async () => {
    const { alice, mallory, design, before } = await setup()
    const fake = await signRecord(mallory.me, {
      design: design as DesignId,
      heads: before.state.canonicalHeads,
      payload: { kind: 'genesis', nonce: 'mallory', content: before.contentId, inbox: before.inboxId, forkedFrom: null, title: '' },
    })
    await injectRecord(mallory.repo, design, fake.bytes)
    // and a whole chain built on it
    const onFake = await signRecord(mallory.me, {
      design: design as DesignId,
      prev: [fake.id],
      payload: { kind: 'governance', action: { op: 'remove', member: alice.me.id }, nonce: 'y' },
    })
    await injectRecord(mallory.repo, design, onFake.bytes)
    await deliver(mallory, alice, [design])
    const after = await alice.commons.design(design)
    expect(after.state.genesis.id).toBe(before.state.genesis.id)
    expect(after.state.maintainers).toEqual([alice.me.id])
    const reasons = Object.fromEntries(after.state.ignored.map((i) => [i.id, i.reason]))
    expect(reasons[fake.id]).toBe('genesis not bound to this design id')
    expect(reasons[onFake.id]).toBe('names a record that is missing or invalid')
  })

  it('a design id is derived from its creator key and nonce', async () => {
    const { alice, before } = await setup()
    const g = before.state.genesis
    expect(designIdFor(alice.me.id, g.body.payload.nonce)).toBe(before.id)
  })

  it('a governance document with no bound genesis is unverifiable, not silently empty', async () => {
    const { mallory } = await setup()
    const h = mallory.repo.create<GovernanceDoc>({ schema: 'cosmolocal/governance@1', records: [] })
    await expect(mallory.commons.design(h.documentId)).rejects.toBeInstanceOf(UnverifiableDesignError)
  })

  it('raw Automerge changes injected into the content document leave the canonical design unchanged', async () => {
    const { alice, mallory, design, before } = await setup()
    await injectContent(mallory.repo, before.contentId, (d) => {
      d.bom.junk = junkRow('JUNK row')
      delete d.bom[Object.keys(d.bom)[0]!]
      d.title = new A.ImmutableString('Pwned')
    })
    await deliver(mallory, alice, await designDocs(alice, design))
    const after = await alice.commons.design(design)
    expect(after.content).toEqual(before.content)
    // an honest maintainer edit is written at the canonical heads, not on top of the junk
    await alice.commons.addBomRow(design, { name: 'bolt', quantity: 8 })
    const edited = await alice.commons.design(design)
    expect(edited.content.title).toBe('Loom')
    expect(edited.content.bom.map((r) => r.name)).toEqual(['frame', 'bolt'])
    // and a fork clones the canonical content only
    const bob = await person('bob')
    await exchange(alice.repo, bob.repo, await designDocs(alice, design))
    const fork = await bob.commons.fork(design)
    const forkDoc = (await bob.repo.find((await bob.commons.design(fork)).contentId as DocumentId)).doc()
    expect(JSON.stringify(A.toJS(forkDoc))).not.toContain('JUNK')
  })

  it('governance records deleted from the document state are still counted', async () => {
    const { alice, mallory, design } = await setup()
    const bob = await person('bob')
    await alice.commons.addMaintainer(design, bob.me.id)
    const before = await alice.commons.design(design)
    await exchange(alice.repo, mallory.repo, [design])
    const h = await mallory.repo.find<GovernanceDoc>(design as DocumentId)
    h.change((d) => {
      d.records.splice(0, d.records.length)
    })
    expect(h.doc().records.length).toBe(0)
    await deliver(mallory, alice, [design])
    const govNow = (await alice.repo.find<GovernanceDoc>(design as DocumentId)).doc()
    expect(govNow.records.length).toBe(0)
    const after = await alice.commons.design(design)
    expect(after.state.maintainers).toEqual(before.state.maintainers)
    expect(after.state.canonicalHeads).toEqual(before.state.canonicalHeads)
    expect(after.content).toEqual(before.content)
  })

  it('a bundle whose documents were tampered with changes nothing canonical', async () => {
    const { alice, mallory, design, before } = await setup()
    await injectContent(mallory.repo, before.contentId, (d) => {
      d.bom.junk = junkRow('JUNK via bundle')
    })
    const h = await mallory.repo.find<GovernanceDoc>(design as DocumentId)
    h.change((d) => {
      d.records.splice(0, d.records.length, new Uint8Array([1, 2, 3]))
    })
    const bytes = await encodeBundle(mallory.me, [design as DocumentId], await collectBundle(mallory.commons, [design]))
    await importBundle(alice.commons, bytes)
    const after = await alice.commons.design(design)
    expect(after.content).toEqual(before.content)
    expect(after.state.ignored.some((i) => /malformed record/.test(i.reason))).toBe(true)
  })

  it('a removed maintainer signing after removal is ignored, also when back-dated', async () => {
    const { alice, design } = await setup()
    const bob = await person('bob')
    await alice.commons.addMaintainer(design, bob.me.id)
    await exchange(alice.repo, bob.repo, await designDocs(alice, design))
    const bobsView = await bob.commons.design(design) // before his removal
    await alice.commons.removeMaintainer(design, bob.me.id)
    await exchange(alice.repo, bob.repo, await designDocs(alice, design))
    // bob's own client now refuses
    await expect(bob.commons.addBomRow(design, { name: 'late', quantity: 1 })).rejects.toThrow(/not a maintainer/)
    // a record naming the removal: not a maintainer at its base
    const afterRemoval = await bob.commons.design(design)
    await injectContent(bob.repo, afterRemoval.contentId, (d) => {
      d.bom.late = junkRow('JUNK late')
    })
    const heads = A.getHeads((await bob.repo.find(afterRemoval.contentId as DocumentId)).doc())
    const late = await signRecord(bob.me, {
      design: design as DesignId,
      prev: afterRemoval.state.recordHeads,
      heads,
      payload: { kind: 'content', reason: 'edit', summary: 'late', proposal: null },
    })
    // a back-dated record: names only what bob had seen before his removal
    const backdated = await signRecord(bob.me, {
      design: design as DesignId,
      prev: bobsView.state.recordHeads,
      heads,
      payload: { kind: 'content', reason: 'edit', summary: 'backdated', proposal: null },
    })
    await injectRecord(bob.repo, design, late.bytes)
    await injectRecord(bob.repo, design, backdated.bytes)
    await exchange(bob.repo, alice.repo, await designDocs(alice, design))
    const after = await alice.commons.design(design)
    expect(after.content.bom.map((r) => r.name)).toEqual(['frame'])
    const reasons = Object.fromEntries(after.state.ignored.map((i) => [i.id, i.reason]))
    expect(reasons[late.id]).toBe("author was not a maintainer at the record's base")
    expect(reasons[backdated.id]).toBe('author was removed by a concurrent record')
  })
})

describe('concurrent maintainer changes', () => {
  async function twoMaintainers() {
    const alice = await person('alice')
    const bob = await person('bob')
    const design = await alice.commons.createDesign({ title: 'Press' })
    await alice.commons.addMaintainer(design, bob.me.id)
    await exchange(alice.repo, bob.repo, await designDocs(alice, design))
    return { alice, bob, design }
  }

  it('concurrent additions of different people both take effect', async () => {
    const { alice, bob, design } = await twoMaintainers()
    const carol = await person('carol')
    const dave = await person('dave')
    await alice.commons.addMaintainer(design, carol.me.id)
    await bob.commons.addMaintainer(design, dave.me.id)
    await exchange(alice.repo, bob.repo, [design])
    await exchange(bob.repo, alice.repo, [design])
    const a = await alice.commons.design(design)
    const b = await bob.commons.design(design)
    expect(a.state.maintainers).toEqual([alice.me.id, bob.me.id, carol.me.id, dave.me.id].sort())
    expect(b.state.maintainers).toEqual(a.state.maintainers)
  })

  it('a removal wins over a concurrent addition of the same person', async () => {
    const { alice, bob, design } = await twoMaintainers()
    const carol = await person('carol')
    await alice.commons.addMaintainer(design, carol.me.id)
    await exchange(alice.repo, bob.repo, [design])
    // bob removes carol; concurrently alice signs a fresh addition of carol
    await bob.commons.removeMaintainer(design, carol.me.id)
    const aView = await alice.commons.design(design)
    const readd = await signRecord(alice.me, {
      design: design as DesignId,
      prev: aView.state.recordHeads,
      payload: { kind: 'governance', action: { op: 'add', member: carol.me.id }, nonce: 'again' },
    })
    await injectRecord(alice.repo, design, readd.bytes)
    await exchange(alice.repo, bob.repo, [design])
    await exchange(bob.repo, alice.repo, [design])
    for (const p of [alice, bob]) {
      expect((await p.commons.design(design)).state.maintainers).toEqual([alice.me.id, bob.me.id].sort())
    }
  })

  it('a removal wins over a concurrent addition even when the fold orders the removal first', async () => {
    const { alice, bob, design } = await twoMaintainers()
    const carol = await person('carol')
    const dave = await person('dave')
    await alice.commons.addMaintainer(design, carol.me.id)
    await alice.commons.addMaintainer(design, dave.me.id)
    await exchange(alice.repo, bob.repo, [design])
    const base = (await alice.commons.design(design)).state.recordHeads
    // alice: remove dave, then (having seen that) re-add carol. bob, concurrently: remove carol.
    // Both removals are ready together; pick nonces so that bob's removal sorts first, which puts
    // it before alice's re-addition in the total order.
    let removeDave, removeCarol
    for (let i = 0; ; i++) {
      removeDave = await signRecord(alice.me, {
        design: design as DesignId,
        prev: base,
        payload: { kind: 'governance', action: { op: 'remove', member: dave.me.id }, nonce: `d${i}` },
      })
      removeCarol = await signRecord(bob.me, {
        design: design as DesignId,
        prev: base,
        payload: { kind: 'governance', action: { op: 'remove', member: carol.me.id }, nonce: `c${i}` },
      })
      if (removeCarol.id < removeDave.id) break
    }
    const readd = await signRecord(alice.me, {
      design: design as DesignId,
      prev: [removeDave.id],
      payload: { kind: 'governance', action: { op: 'add', member: carol.me.id }, nonce: 'again' },
    })
    await injectRecord(alice.repo, design, removeDave.bytes)
    await injectRecord(alice.repo, design, readd.bytes)
    await injectRecord(bob.repo, design, removeCarol.bytes)
    await exchange(alice.repo, bob.repo, [design])
    await exchange(bob.repo, alice.repo, [design])
    for (const p of [alice, bob]) {
      const state = (await p.commons.design(design)).state
      expect(state.maintainers).toEqual([alice.me.id, bob.me.id].sort())
      expect((await p.commons.history(design)).valid.map((r) => r.id)).toContain(readd.id)
    }
  })

  it('mutual concurrent removal leaves exactly one maintainer, the same for everyone', async () => {
    const { alice, bob, design } = await twoMaintainers()
    await alice.commons.removeMaintainer(design, bob.me.id)
    await bob.commons.removeMaintainer(design, alice.me.id)
    await exchange(alice.repo, bob.repo, [design])
    await exchange(bob.repo, alice.repo, [design])
    const a = await alice.commons.design(design)
    const b = await bob.commons.design(design)
    expect(a.state.maintainers.length).toBe(1)
    expect(b.state.maintainers).toEqual(a.state.maintainers)
    expect(a.state.ignored.filter((i) => i.kind === 'governance').length).toBe(1)
  })

  it('a maintainer may remove themself, but not as the last one', async () => {
    const { alice, bob, design } = await twoMaintainers()
    await bob.commons.removeMaintainer(design, bob.me.id)
    await exchange(bob.repo, alice.repo, [design])
    expect((await alice.commons.design(design)).state.maintainers).toEqual([alice.me.id])
    await expect(alice.commons.removeMaintainer(design, alice.me.id)).rejects.toThrow(/last maintainer/)
  })

  it('2-of-3 threshold: a merge is canonical only once two maintainers signed the same heads', async () => {
    const alice = await person('alice')
    const bob = await person('bob')
    const carol = await person('carol')
    const maker = await person('maker')
    const design = await alice.commons.createDesign({ title: 'Lathe' })
    await alice.commons.addMaintainer(design, bob.me.id)
    await alice.commons.addMaintainer(design, carol.me.id)
    await alice.commons.setThreshold(design, 2)
    const docs = await designDocs(alice, design)
    await exchange(alice.repo, maker.repo, docs)
    const fork = await maker.commons.fork(design)
    await maker.commons.addBomRow(fork, { name: 'chuck', quantity: 1 })
    const { proposal } = await maker.commons.propose({ from: fork, to: design, title: 'add a chuck' })
    const all = [...docs, ...(await designDocs(maker, fork)), proposal]
    await exchange(maker.repo, alice.repo, all)
    await exchange(maker.repo, bob.repo, all)
    const first = await alice.commons.review(proposal, { verdict: 'accept' })
    expect(first.status).toBe('open')
    expect(first.approvals).toEqual({ signers: [alice.me.id], needed: 2 })
    expect((await alice.commons.design(design)).content.bom).toEqual([])
    // a second signature by the same maintainer does not count twice
    await expect(alice.commons.review(proposal, { verdict: 'accept' })).rejects.toThrow(/already accepted/)
    await exchange(alice.repo, bob.repo, all)
    const second = await bob.commons.review(proposal, { verdict: 'accept' })
    expect(second.status).toBe('accepted')
    await exchange(bob.repo, carol.repo, all)
    await exchange(bob.repo, alice.repo, all)
    for (const p of [alice, bob, carol]) {
      expect((await p.commons.design(design)).content.bom.map((r) => r.name)).toEqual(['chuck'])
    }
  })

  it('with threshold 2, a governance change needs two signatures too', async () => {
    const alice = await person('alice')
    const bob = await person('bob')
    const carol = await person('carol')
    const design = await alice.commons.createDesign({ title: 'Saw' })
    await alice.commons.addMaintainer(design, bob.me.id)
    await alice.commons.setThreshold(design, 2)
    let state = await alice.commons.addMaintainer(design, carol.me.id)
    expect(state.maintainers).not.toContain(carol.me.id)
    expect(state.pending).toHaveLength(1)
    await exchange(alice.repo, bob.repo, await designDocs(alice, design))
    await bob.commons.approve(design)
    state = (await bob.commons.design(design)).state
    expect(state.maintainers).toContain(carol.me.id as PersonId)
  })
})
