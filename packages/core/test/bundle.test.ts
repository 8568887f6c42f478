import { describe, expect, it } from 'vitest'
import { Repo } from '@automerge/automerge-repo'
import { BundleError, Commons, collectBundle, decodeBundle, encodeBundle, importBundle, type DocumentId } from '../src/index.js'
import { person } from './helpers.js'

async function aliceWithProposal() {
  const alice = await person('alice')
  const design = await alice.commons.createDesign({ title: 'Loom' })
  await alice.commons.addBomRow(design, { name: 'frame', quantity: 4 })
  const bob = await person('bob')
  const bytes = await encodeBundle(alice.me, [design as DocumentId], await collectBundle(alice.commons, [design]))
  await importBundle(bob.commons, bytes)
  const fork = await bob.commons.fork(design)
  await bob.commons.addBomRow(fork, { name: 'bolt', quantity: 8 })
  const { proposal } = await bob.commons.propose({ from: fork, to: design, title: 'Bolts' })
  return { alice, bob, design, fork, proposal, bytes }
}

describe('bundles', () => {
  it('carries a design with its proposals and their forks from one store to another', async () => {
    const { alice, bob, design, proposal } = await aliceWithProposal()
    const back = await encodeBundle(bob.me, [design as DocumentId], await collectBundle(bob.commons, [design]))
    const result = await importBundle(alice.commons, back)
    expect(result.exportedBy).toBe(bob.me.id)
    expect(result.designs).toHaveLength(2)
    const list = await alice.commons.proposals(design)
    expect(list.map((p) => p.proposal)).toEqual([`automerge:${proposal.replace('automerge:', '')}`])
    const diff = await alice.commons.diff(proposal)
    expect(diff.bom.added.map((r) => r.name)).toEqual(['bolt'])
  })

  it('exporting a proposal carries its target and its fork', async () => {
    const { bob, proposal } = await aliceWithProposal()
    const docs = await collectBundle(bob.commons, [proposal])
    expect(docs.size).toBe(7) // proposal + 2 designs × 3 documents
    const carol = await person('carol')
    await importBundle(carol.commons, await encodeBundle(bob.me, [proposal as DocumentId], docs))
    expect((await carol.commons.proposal(proposal)).status).toBe('open')
  })

  it('refuses truncated, corrupted, altered and foreign files, importing nothing', async () => {
    const { alice, bytes, design } = await aliceWithProposal()
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated', bytes.slice(0, bytes.length - 40), /truncated|seal/],
      ['cut short', bytes.slice(0, 30), /truncated/],
      ['flipped', flip(bytes, Math.floor(bytes.length / 2)), /altered|seal/],
      ['foreign', new TextEncoder().encode('hello world, not a bundle'), /not a Cosmolocal bundle/],
      ['empty', new Uint8Array(), /not a Cosmolocal bundle/],
    ]
    for (const [what, input, message] of cases) {
      const repo = new Repo({ network: [] })
      const err = await importBundle(new Commons(repo, null), input).then(() => null, (e: unknown) => e)
      expect(err, what).toBeInstanceOf(BundleError)
      expect((err as Error).message, what).toMatch(message)
      expect(Object.keys(repo.handles), what).toEqual([])
    }
    expect(alice).toBeDefined()
    expect(design).toBeDefined()
  })

  it('refuses a bundle carrying a design that does not verify, importing nothing', async () => {
    const mallory = await person('mallory')
    const h = mallory.repo.create({ schema: 'cosmolocal/governance@1', records: [] })
    const bytes = await encodeBundle(mallory.me, [h.documentId], new Map([[h.documentId, (await mallory.repo.export(h.documentId))!]]))
    const repo = new Repo({ network: [] })
    await expect(importBundle(new Commons(repo, null), bytes)).rejects.toThrow(/does not verify/)
    expect(Object.keys(repo.handles)).toEqual([])
  })

  it('decodes what it encodes', async () => {
    const { bytes, design } = await aliceWithProposal()
    const b = await decodeBundle(bytes)
    expect(b.roots).toEqual([design])
    expect(b.documents).toHaveLength(3)
  })
})

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice()
  out[at]! ^= 0xff
  return out
}
