/**
 * A hub on a store of many designs: it starts from its catalogue index without loading documents,
 * answers catalogue pages from it, keeps the index up to date as designs change, rebuilds it when
 * it is missing or damaged, and unloads idle documents without losing what they hold.
 */
import { Repo } from '@automerge/automerge-repo'
import * as A from '@automerge/automerge'
import { Commons, createIdentity, type Identity } from '@cosmolocal/core'
import { AtomicFsStorageAdapter } from '@cosmolocal/storage'
import { execFile } from 'node:child_process'
import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectTo, fetchCatalogue, fetchHeads, MAX_CATALOGUE_PAGE_DESIGNS, parseCatalogueRequest, storedDocumentIds, type CatalogueEntry, type Hub } from '../src/index.js'
import { eventually, netPerson, Scratch, testHub } from './helpers.js'

const DESIGNS = 30
const scratch = new Scratch()
let template: string
let alice: Identity
let hubKey: Identity
const titles: string[] = []
const designs: string[] = []

const loaded = (hub: Hub) => Object.keys(hub.repo.handles).length

/** A home whose store holds DESIGNS designs (three documents each) and a complete index, as a hub left it. */
async function home(): Promise<string> {
  const dir = await scratch.dir()
  // cp -a: as a home is, with its files' and directories' times (the index is checked against them).
  await promisify(execFile)('cp', ['-a', `${template}/.`, dir])
  return dir
}

async function httpPage(hub: Hub, query: string): Promise<{ designs: CatalogueEntry[]; next: string | null; total: number }> {
  const res = await fetch(new URL(`/api/catalogue?${query}`, hub.http))
  expect(res.status).toBe(200)
  return (await res.json()) as { designs: CatalogueEntry[]; next: string | null; total: number }
}

beforeAll(async () => {
  alice = await createIdentity('Alice')
  hubKey = await createIdentity('hub')
  template = await scratch.dir()
  const storage = new AtomicFsStorageAdapter(join(template, 'repo'))
  const repo = new Repo({ storage, network: [] })
  const commons = new Commons(repo, alice)
  for (let i = 0; i < DESIGNS; i++) {
    const title = `Design ${String(i).padStart(3, '0')}`
    titles.push(title)
    const d = await commons.createDesign({ title })
    designs.push(d)
    await commons.addBomRow(d, { name: `part ${i}`, quantity: 1 })
  }
  await commons.settled()
  await repo.flush()
  await repo.shutdown()
  await storage.settled()
  // The first start indexes the store (in the background); a clean stop leaves the index complete.
  const { hub } = await testHub(template, {}, hubKey)
  await hub.index.checked()
  expect((await hub.catalogue()).length).toBe(DESIGNS)
  await hub.stop()
}, 180_000)

afterAll(() => scratch.cleanup())

describe('a hub on a store of many designs', () => {
  it('starts from its index without loading a document, and answers its catalogue without loading any', async () => {
    const { hub } = await testHub(await home(), {}, hubKey)
    const reader = await netPerson('reader')
    try {
      expect(loaded(hub)).toBe(0)
      await hub.index.checked()
      expect(loaded(hub)).toBe(0)
      const listed = (await (await fetch(new URL('/api/catalogue', hub.http))).json()) as CatalogueEntry[]
      expect(listed.map((e) => e.title).sort()).toEqual(titles)
      const remote = await connectTo(reader.node, reader.repo, hub.multiaddrs()[0]!)
      const over = await fetchCatalogue(reader.node, remote, { documents: true })
      expect(over.designs.map((e) => e.title).sort()).toEqual(titles)
      expect(over.documents.length).toBe(DESIGNS * 3)
      expect(over.documents.every((d) => d.heads !== null && d.heads.length > 0)).toBe(true)
      const heads = await fetchHeads(reader.node, remote, over.documents.map((d) => d.id))
      expect([...heads.values()].every((h) => h !== null)).toBe(true)
      // Nothing was loaded to answer, and nothing was verified again.
      expect(loaded(hub)).toBe(0)
      expect(hub.index.verifications).toBe(0)
    } finally {
      await reader.stop()
      await hub.stop()
    }
  }, 60_000)

  it('pages the catalogue: cursor pages cover it once, in order; the old shapes still answer', async () => {
    const { hub } = await testHub(await home(), {}, hubKey)
    const reader = await netPerson('reader')
    try {
      const all = (await (await fetch(new URL('/api/catalogue', hub.http))).json()) as CatalogueEntry[]
      const paged: CatalogueEntry[] = []
      let cursor: string | null = null
      do {
        const page = await httpPage(hub, `limit=7${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)
        expect(page.total).toBe(DESIGNS)
        expect(page.designs.length).toBeLessThanOrEqual(7)
        paged.push(...page.designs)
        cursor = page.next
      } while (cursor !== null)
      expect(paged.map((e) => e.design)).toEqual(all.map((e) => e.design))
      expect((await httpPage(hub, 'offset=28&limit=5')).designs.map((e) => e.design)).toEqual(all.slice(28).map((e) => e.design))
      for (const bad of ['limit=0', 'limit=x', 'offset=-1', 'cursor=nope']) expect((await fetch(new URL(`/api/catalogue?${bad}`, hub.http))).status).toBe(400)
      // Over libp2p: a limit, and every page followed.
      const remote = await connectTo(reader.node, reader.repo, hub.multiaddrs()[0]!)
      expect((await fetchCatalogue(reader.node, remote, { limit: 4 })).designs.map((e) => e.design)).toEqual(all.slice(0, 4).map((e) => e.design))
      expect((await fetchCatalogue(reader.node, remote)).designs.map((e) => e.design)).toEqual(all.map((e) => e.design))
      // A request without paging (an older peer's) gets the first page as before; a limit is capped.
      expect(parseCatalogueRequest({ v: 1, want: 'catalogue' })).toMatchObject({ paged: false, limit: MAX_CATALOGUE_PAGE_DESIGNS })
      expect(parseCatalogueRequest({ v: 1, want: 'catalogue', limit: 10 ** 9 })).toMatchObject({ paged: true, limit: MAX_CATALOGUE_PAGE_DESIGNS })
      expect(() => parseCatalogueRequest({ v: 1, want: 'catalogue', cursor: 5 })).toThrow()
    } finally {
      await reader.stop()
      await hub.stop()
    }
  }, 60_000)

  it('rebuilds a deleted index in the background, and a damaged shard is a log line, not a crash', async () => {
    const dir = await home()
    await rm(join(dir, 'index'), { recursive: true })
    const lines: string[] = []
    const first = await testHub(dir, { log: (l) => lines.push(l) }, hubKey)
    try {
      await first.hub.index.checked()
      expect(lines.some((l) => l.includes('no usable index'))).toBe(true)
      expect((await first.hub.catalogue()).map((e) => e.title).sort()).toEqual(titles)
      expect(loaded(first.hub)).toBe(0)
    } finally {
      await first.hub.stop()
    }
    const shard = (await readdir(join(dir, 'index'))).find((n) => n.startsWith('shard-'))!
    await writeFile(join(dir, 'index', shard), '{"v":1,"documents":{"x":')
    lines.length = 0
    const again = await testHub(dir, { log: (l) => lines.push(l) }, hubKey)
    try {
      expect(lines.some((l) => l.includes(`shard ${shard} is unreadable`))).toBe(true)
      await again.hub.index.checked()
      expect((await again.hub.catalogue()).map((e) => e.title).sort()).toEqual(titles)
    } finally {
      await again.hub.stop()
    }
  }, 120_000)

  it('rebuilds a missing index a batch at a time: nothing loaded into the hub\'s repo, a batch\'s worth held at once, each design verified once', async () => {
    const dir = await home()
    await rm(join(dir, 'index'), { recursive: true })
    const batch = 8
    const { hub } = await testHub(dir, { indexReadBatch: batch }, hubKey)
    const loadedHere: string[] = []
    hub.repo.on('doc-metrics', (e) => {
      if (e.type === 'doc-loaded') loadedHere.push(e.documentId)
    })
    try {
      await hub.index.checked()
      expect((await hub.catalogue()).map((e) => e.title).sort()).toEqual(titles)
      expect((await hub.documents()).length).toBe(DESIGNS * 3)
      // Read apart from the hub's repo: nothing there to load, flush or unload.
      expect(loadedHere).toEqual([])
      expect(hub.residency.unloaded).toBe(0)
      expect(loaded(hub)).toBe(0)
      // A batch's documents and, for the designs among them, their content and inbox: never the whole store.
      expect(hub.index.peakResident).toBeGreaterThan(0)
      expect(hub.index.peakResident).toBeLessThanOrEqual(3 * batch)
      // A design verified before its content or inbox had its turn is not verified again when it comes.
      expect(hub.index.verifications).toBe(DESIGNS)
    } finally {
      await hub.stop()
    }
  }, 60_000)

  it('does not charge a peer syncing stored documents the index has not reached yet as bringing new ones', async () => {
    const dir = await home()
    await rm(join(dir, 'index'), { recursive: true })
    // A budget of a few new documents: a fresh peer fetching the whole store while it is indexed
    // would be cut off after them if stored documents counted as new until indexed.
    const { hub } = await testHub(dir, { indexReadBatch: 1, limits: { newDocumentsPerWindow: 5 } }, hubKey)
    const reader = await netPerson('reader')
    const drops: string[] = []
    reader.repo.networkSubsystem.on('peer-disconnected', ({ peerId }) => drops.push(peerId))
    try {
      const ids = await storedDocumentIds(join(dir, 'repo'))
      await connectTo(reader.node, reader.repo, hub.multiaddrs()[0]!)
      let next = 0
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < ids.length) await reader.repo.find(ids[next++]!)
        }),
      )
      // What this test is about: the peer fetched while the index was still being checked.
      expect(hub.index.complete).toBe(false)
      expect(drops).toEqual([])
      expect(Object.values(reader.repo.handles).filter((h) => h.isReady()).length).toBe(ids.length)
      await hub.index.checked()
    } finally {
      await reader.stop()
      await hub.stop()
    }
  }, 60_000)

  it('keeps every write acknowledged while the index is rebuilt, in the store and in the index', async () => {
    const dir = await home()
    await rm(join(dir, 'index'), { recursive: true })
    const first = await testHub(dir, { indexReadBatch: 4 }, hubKey)
    const writer = await netPerson('writer')
    const design = designs[11]!
    try {
      const remote = await connectTo(writer.node, writer.repo, first.hub.multiaddrs()[0]!)
      const commons = new Commons(writer.repo, alice)
      await commons.addBomRow(design, { name: 'rebuild hinge', quantity: 2 })
      const d = await commons.design(design)
      // Acknowledged: the hub reports the writer's heads (it reports only what is on disk).
      const mine = [...A.getHeads((await writer.repo.find(d.contentId)).doc())].sort().join(',')
      await eventually(async () => {
        if ((await fetchHeads(writer.node, remote, [d.contentId])).get(d.contentId) !== mine) throw new Error('not yet')
      }, 'the hub to acknowledge the new row')
      await first.hub.index.checked()
      await first.hub.index.settled()
      expect((await first.hub.catalogue()).find((e) => e.design === design)!.bomNames).toContain('rebuild hinge')
    } finally {
      await writer.stop()
      await first.hub.stop()
    }
    const again = await testHub(dir, {}, hubKey)
    try {
      expect((await again.hub.catalogue()).find((e) => e.design === design)!.bomNames).toContain('rebuild hinge')
      await again.hub.index.checked()
      expect(loaded(again.hub)).toBe(0)
    } finally {
      await again.hub.stop()
    }
    const storage = new AtomicFsStorageAdapter(join(dir, 'repo'))
    const repo = new Repo({ storage, network: [] })
    try {
      expect((await new Commons(repo, null).design(design)).content.bom.map((r) => r.name)).toContain('rebuild hinge')
    } finally {
      await repo.shutdown()
    }
  }, 90_000)

  it('updates an entry when its design changes, and a restarted hub serves the change without loading it', async () => {
    const dir = await home()
    const first = await testHub(dir, {}, hubKey)
    const writer = await netPerson('writer')
    const design = (await first.hub.catalogue()).find((e) => e.title === 'Design 007')!.design
    try {
      const commons = new Commons(writer.repo, alice)
      await connectTo(writer.node, writer.repo, first.hub.multiaddrs()[0]!)
      await commons.addBomRow(design, { name: 'new hinge', quantity: 2 })
      await eventually(async () => {
        const e = (await first.hub.catalogue()).find((x) => x.design === design)
        if (!e?.bomNames.includes('new hinge')) throw new Error('not yet')
      }, 'the entry to list the new row')
    } finally {
      await writer.stop()
      await first.hub.stop()
    }
    const again = await testHub(dir, {}, hubKey)
    try {
      expect((await again.hub.catalogue()).find((x) => x.design === design)!.bomNames).toContain('new hinge')
      await again.hub.index.checked()
      expect(loaded(again.hub)).toBe(0)
    } finally {
      await again.hub.stop()
    }
  }, 60_000)

  it('a hub peering with it gets every design, though the first holds them unloaded', async () => {
    const { hub } = await testHub(await home(), {}, hubKey)
    const other = await testHub(await scratch.dir())
    try {
      await other.hub.peerWith(hub.multiaddrs()[0]!)
      await eventually(
        async () => {
          const got = (await other.hub.catalogue()).map((e) => e.title).sort()
          if (got.length !== DESIGNS) throw new Error(`${got.length} so far, ${(await other.hub.documents()).length} documents held`)
          expect(got).toEqual(titles)
        },
        'every design to reach the other hub',
        60_000,
      )
    } finally {
      await other.hub.stop()
      await hub.stop()
    }
  }, 90_000)

  it('unloads idle documents without losing them, and loads one again when a peer asks', async () => {
    const dir = await home()
    const { hub } = await testHub(dir, { idleMs: 300 }, hubKey)
    const entry = (await hub.catalogue()).find((e) => e.title === 'Design 003')!
    try {
      for (const round of [1, 2]) {
        const reader = await netPerson(`reader ${round}`)
        try {
          await connectTo(reader.node, reader.repo, hub.multiaddrs()[0]!)
          const d = await new Commons(reader.repo, null).design(entry.design)
          expect(d.content.title).toBe('Design 003')
          expect(loaded(hub)).toBeGreaterThan(0)
        } finally {
          await reader.stop()
        }
        await eventually(async () => {
          if (loaded(hub) > 0) throw new Error(`${loaded(hub)} still loaded`)
        }, 'the idle documents to unload')
        // The design's governance and content documents, each time.
        expect(hub.residency.unloaded).toBeGreaterThanOrEqual(2 * round)
      }
      // Past the repo's save throttle: an unloaded document was not written back emptied.
      await new Promise((r) => setTimeout(r, 500))
    } finally {
      await hub.stop()
    }
    const storage = new AtomicFsStorageAdapter(join(dir, 'repo'))
    const repo = new Repo({ storage, network: [] })
    try {
      for (const id of entry.documents) {
        const handle = await repo.find(id)
        expect(A.getHeads(handle.doc()).length).toBeGreaterThan(0)
      }
      expect((await new Commons(repo, null).design(entry.design)).content.title).toBe('Design 003')
    } finally {
      await repo.shutdown()
    }
  }, 60_000)
})
