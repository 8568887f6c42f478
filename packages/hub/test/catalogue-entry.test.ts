import { Repo } from '@automerge/automerge-repo'
import { Commons, createIdentity, matchesPlace, MemoryBlobStore } from '@cosmolocal/core'
import { describe, expect, it } from 'vitest'
import type { DocumentId } from '@automerge/automerge-repo'
import { verifiedEntry } from '../src/catalogue.js'
import { catalogueDetails, entriesAdaptedFor } from '../src/catalogue-entry.js'
import { MAX_CATALOGUE_BOM_TERMS } from '../src/limits.js'
import { parseCatalogueResponse } from '../src/protocols.js'

const STL = (() => {
  const b = new Uint8Array(84 + 50)
  new DataView(b.buffer).setUint32(80, 1, true)
  return b
})()
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])

async function world() {
  const repo = new Repo({})
  const amara = new Commons(repo, await createIdentity('Amara'), new MemoryBlobStore())
  const jonas = new Commons(repo, await createIdentity('Jonas'), new MemoryBlobStore())
  return { repo, amara, jonas }
}

/** What the hub's index holds for each design (every document here is held). */
async function entriesOf(repo: Repo, ids: string[]) {
  const commons = new Commons(repo, null)
  return await Promise.all(ids.map(async (id) => (await verifiedEntry(commons, id as DocumentId, () => true)).entry!))
}

describe('catalogue entries for cards and search', () => {
  it('list summary, licences, tags, BOM names and materials, counts and the maintainers’ names', async () => {
    const { repo, amara, jonas } = await world()
    const loom = await amara.createDesign({
      title: 'Loom',
      summary: 'A frame loom',
      tags: ['weaving'],
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
    })
    await amara.addBomRow(loom, { name: 'Side bar', quantity: 2, material: 'oak' })
    await amara.addBomRow(loom, { name: 'Beam', quantity: 1, material: 'oak' })
    await amara.addBomRow(loom, { name: 'Bolt', quantity: 4, material: 'steel' })
    const fork = await jonas.fork(loom, { title: 'Loom, Jonas edition' })
    await jonas.addStep(fork, { title: 'Oil', body: 'Oil it.' })
    await jonas.propose({ from: fork, to: loom, title: 'Oil it' })

    const d = await amara.design(loom)
    const details = catalogueDetails(d, await amara.inbox(d), (await amara.needs(d)).summary)
    expect(details).toMatchObject({
      summary: 'A frame loom',
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0', software: null },
      tags: ['weaving'],
      bomNames: ['Side bar', 'Beam', 'Bolt'],
      materials: ['oak', 'steel'],
      thumbnail: null,
      forks: 1,
      proposals: 1,
      names: { [amara.identity!.id]: 'Amara' },
      creator: amara.identity!.id,
    })

    // Through the hub's Catalogue and the wire format clients parse.
    const entries = await entriesOf(repo, [d.id, (await jonas.design(fork)).id])
    const wire = parseCatalogueResponse(JSON.parse(JSON.stringify({ v: 1, want: 'catalogue', hub: 'h', designs: entries, documents: [] })))
    if (!('designs' in wire)) throw new Error('not a catalogue')
    const forkEntry = wire.designs.find((e) => e.forkedFrom === d.id)!
    expect(forkEntry).toMatchObject({ title: 'Loom, Jonas edition', materials: ['oak', 'steel'], names: { [jonas.identity!.id]: 'Jonas' }, creator: jonas.identity!.id })
  })

  it('count the design’s verified build reports (core counts them; the entry copies the count)', async () => {
    const { repo, amara, jonas } = await world()
    const id = await amara.createDesign({ title: 'Dryer' })
    await jonas.reportMake(id, { place: 'Kisumu, KE', photos: [{ name: 'built.png', data: PNG }] })
    await jonas.reportMake(id, { place: 'Kisumu, KE', result: 'issues' })
    const d = await amara.design(id)
    const entries = await entriesOf(repo, [d.id])
    expect(entries[0]).toMatchObject({ makes: 2 })
    const wire = parseCatalogueResponse(JSON.parse(JSON.stringify({ v: 1, want: 'catalogue', hub: 'h', designs: entries, documents: [] })))
    if (!('designs' in wire)) throw new Error('not a catalogue')
    expect(wire.designs[0]!.makes).toBe(2)
  })

  it('take the first photo as the thumbnail, or else the first STL mesh', async () => {
    const { amara } = await world()
    const id = await amara.createDesign({ title: 'Dryer' })
    await amara.attachFile(id, { name: 'notes.pdf', data: new Uint8Array([1]) })
    const mesh = await amara.attachFile(id, { name: 'box.stl', data: STL })
    let d = await amara.design(id)
    expect(catalogueDetails(d, await amara.inbox(d), (await amara.needs(d)).summary).thumbnail).toEqual({ name: 'box.stl', hash: mesh.hash, root: mesh.file.root, size: STL.length, mediaType: 'model/stl', kind: 'mesh' })
    const photo = await amara.attachFile(id, { name: 'built.png', data: PNG })
    d = await amara.design(id)
    expect(catalogueDetails(d, await amara.inbox(d), (await amara.needs(d)).summary).thumbnail).toMatchObject({ name: 'built.png', hash: photo.hash, kind: 'photo' })
  })

  it(`list at most ${MAX_CATALOGUE_BOM_TERMS} BOM names`, async () => {
    const { amara } = await world()
    const id = await amara.createDesign({ title: 'Big' })
    await amara.changeContent(id, 'many rows', (doc) => {
      for (let i = 0; i < MAX_CATALOGUE_BOM_TERMS + 5; i++) {
        doc.bom[`r${i}`] = { name: `part ${i}`, quantity: 1, unit: 'pcs', material: `m${i}`, notes: '', position: i } as never
      }
    })
    const d = await amara.design(id)
    const details = catalogueDetails(d, await amara.inbox(d), (await amara.needs(d)).summary)
    expect(details.bomNames).toHaveLength(MAX_CATALOGUE_BOM_TERMS)
    expect(details.materials).toHaveLength(MAX_CATALOGUE_BOM_TERMS)
  })

  it("carry each design's needs: open and claimed counts and labels, so that a board spans the hub", async () => {
    const { repo, amara, jonas } = await world()
    const loom = await amara.createDesign({ title: 'Loom' })
    const hinge = await jonas.openNeed(loom, { title: 'A cheaper hinge', labels: ['hardware'] })
    await amara.openNeed(loom, { title: 'Laser cutter in Lyon', labels: ['lyon', 'hardware'] })
    await jonas.claimNeed(loom, hinge.id)
    const done = await jonas.openNeed(loom, { title: 'Done' })
    await jonas.closeNeed(loom, done.id)
    const entries = await entriesOf(repo, [(await amara.design(loom)).id])
    const wire = parseCatalogueResponse(JSON.parse(JSON.stringify({ v: 1, want: 'catalogue', hub: 'h', designs: entries, documents: [] })))
    if (!('designs' in wire)) throw new Error('not a catalogue')
    expect(wire.designs[0]!.needs).toEqual({ open: 1, claimed: 1, closed: 1, labels: ['hardware', 'lyon'] })
  })

  it('read an older hub’s entry, without these fields, as empty', () => {
    const old = { design: new Repo({}).create({}).documentId, title: 'Old', maintainers: [], forkedFrom: null, lastChange: 1, heads: [], documents: [] }
    const parsed = parseCatalogueResponse({ v: 1, want: 'catalogue', hub: 'h', designs: [old], documents: [] })
    if (!('designs' in parsed)) throw new Error('not a catalogue')
    expect(parsed.designs[0]).toMatchObject({ summary: '', tags: [], bomNames: [], thumbnail: null, forks: 0, names: {}, creator: '', place: '', placeCode: null, needs: { open: 0, claimed: 0, closed: 0, labels: [] } })
  })

  it('carry where a design is adapted for, through the wire format, and filter by it', async () => {
    const { repo, amara, jonas } = await world()
    const loom = await amara.createDesign({ title: 'Loom' })
    const fork = await jonas.fork(loom, { title: 'Loom, Nairobi' })
    await jonas.editDesign(fork, { place: 'Nairobi, Kibera workshop', placeCode: 'KE-30' })
    const entries = await entriesOf(repo, [(await amara.design(loom)).id, (await jonas.design(fork)).id])
    const wire = parseCatalogueResponse(JSON.parse(JSON.stringify({ v: 1, want: 'catalogue', hub: 'h', designs: entries, documents: [] })))
    if (!('designs' in wire)) throw new Error('not a catalogue')
    const nairobi = wire.designs.find((e) => e.title === 'Loom, Nairobi')!
    // the upstream does not take the fork's place (places are per design)
    expect(wire.designs.find((e) => e.title === 'Loom')).toMatchObject({ place: '', placeCode: null })
    expect(nairobi).toMatchObject({ place: 'Nairobi, Kibera workshop', placeCode: 'KE-30' })
    const found = (q: string) => entriesAdaptedFor(wire.designs, q).map((e) => e.title)
    expect(found('KE')).toEqual(['Loom, Nairobi'])
    expect(found('ke-30')).toEqual(['Loom, Nairobi'])
    expect(found('kibera nairobi')).toEqual(['Loom, Nairobi'])
    expect(found('KE-31')).toEqual([])
    expect(found('Lyon')).toEqual([])
    expect(found('')).toHaveLength(2)
    expect(entriesAdaptedFor(wire.designs, undefined)).toHaveLength(2)
    expect(matchesPlace({ place: 'Besançon', placeCode: 'FR' }, 'besancon')).toBe(true)
  })
})
