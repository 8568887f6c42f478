/**
 * Catalogue pages over libp2p are built from each entry's encoding, kept while the entry is
 * unchanged: the bytes are what DAG-CBOR would have written, a page asked for again encodes no
 * entry, and a changed entry is encoded once more (and only it).
 */
import * as A from '@automerge/automerge'
import * as dagCbor from '@ipld/dag-cbor'
import { generateAutomergeUrl, parseAutomergeUrl, type DocumentId } from '@automerge/automerge-repo'
import { Commons, createIdentity } from '@cosmolocal/core'
import { afterAll, describe, expect, it } from 'vitest'
import { connectTo, fetchCatalogue, parseCatalogueEntry, type CatalogueEntry, type CatalogueResponse } from '../src/index.js'
import { EncodedEntries, encodeCatalogueResponse } from '../src/catalogue-wire.js'
import { eventually, netPerson, Scratch, testHub } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

/** A seeded generator (mulberry32), so that a failure names the case that made it. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DOC = parseAutomergeUrl(generateAutomergeUrl()).documentId

function entry(r: () => number, i: number): CatalogueEntry {
  const text = (n: number) => Array.from({ length: Math.floor(r() * n) }, () => String.fromCharCode(32 + Math.floor(r() * 0x2ff))).join('')
  return parseCatalogueEntry({
    design: DOC,
    title: `${i} ${text(40)}`,
    maintainers: Array.from({ length: 1 + Math.floor(r() * 3) }, () => text(50)),
    forkedFrom: r() < 0.3 ? DOC : null,
    lastChange: Math.floor(r() * 2 ** 45) - 2 ** 40,
    heads: [],
    documents: [DOC],
    summary: text(300),
    licenses: { hardware: r() < 0.5 ? text(20) : null, documentation: null, software: text(5) },
    tags: [text(10), text(10)],
    bomNames: Array.from({ length: Math.floor(r() * 30) }, () => text(20)),
    materials: [],
    thumbnail: null,
    forks: Math.floor(r() * 300),
    proposals: Math.floor(r() * 70_000),
    names: { [text(10)]: text(10), [text(3)]: text(12) },
    creator: text(50),
    place: text(8),
    placeCode: r() < 0.5 ? 'DE' : null,
    needs: { open: 1, claimed: 0, closed: 2, labels: [text(5)] },
    makes: Math.floor(r() * 5),
  })
}

describe('catalogue answers on the wire', () => {
  it('are byte for byte what DAG-CBOR writes, for pages of every size (seed 12)', () => {
    const r = random(12)
    const cache = new EncodedEntries()
    for (const n of [0, 1, 23, 24, 255, 256, 300]) {
      const designs = Array.from({ length: n }, (_, i) => entry(r, i))
      const answer: CatalogueResponse = { v: 1, want: 'catalogue', hub: 'hub', designs, documents: [{ id: DOC, heads: null }], next: n > 0 ? `1.${DOC}` : null, total: n * 7 }
      expect(encodeCatalogueResponse(answer, cache)).toEqual(dagCbor.encode(answer))
    }
    for (const other of [{ v: 1, error: 'no' }, { v: 1, want: 'heads', heads: [] }] as CatalogueResponse[]) expect(encodeCatalogueResponse(other, cache)).toEqual(dagCbor.encode(other))
  })

  it('encode each entry once while it is unchanged, and a changed entry again', async () => {
    const alice = await createIdentity('Alice')
    const dir = await scratch.dir()
    const { hub } = await testHub(dir)
    const reader = await netPerson('reader')
    try {
      const commons = new Commons(hub.repo, alice)
      const ids: DocumentId[] = []
      for (let i = 0; i < 5; i++) ids.push(await commons.createDesign({ title: `Design ${i}` }))
      await eventually(async () => expect((await hub.catalogue()).length).toBe(5), 'five designs listed')
      const remote = await connectTo(reader.node, reader.repo, hub.multiaddrs()[0]!)
      // Every entry encoded once for the first listing.
      expect((await fetchCatalogue(reader.node, remote)).designs).toHaveLength(5)
      const once = hub.encodedEntries.encodes
      expect(once).toBe(5)
      const again = await fetchCatalogue(reader.node, remote, { limit: 3 })
      expect(again.designs.map((e) => e.title)).toEqual((await hub.catalogue()).slice(0, 3).map((e) => e.title))
      expect(hub.encodedEntries.encodes).toBe(once)
      // A new title is a new entry: encoded once more, and what the reader gets.
      await commons.changeContent(ids[2]!, 'retitle', (doc) => {
        doc.title = new A.ImmutableString('Renamed')
      })
      await eventually(async () => expect((await hub.catalogue()).map((e) => e.title)).toContain('Renamed'), 'the new title listed')
      const after = await fetchCatalogue(reader.node, remote)
      expect(after.designs.map((e) => e.title).sort()).toEqual(['Design 0', 'Design 1', 'Design 3', 'Design 4', 'Renamed'])
      expect(hub.encodedEntries.encodes).toBe(once + 1)
    } finally {
      await reader.stop()
      await hub.stop()
    }
  }, 60_000)
})
