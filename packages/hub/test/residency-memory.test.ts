/**
 * A document a hub unloads is let go of: nothing keeps it reachable once it is out of the Repo.
 * A hub loads most documents because a peer's sync message names them, and automerge-repo's own
 * find for that carries no abort signal; unpatched, it races the load against one shared promise
 * that never settles, which then holds every document ever loaded that way (patches/: a hub that
 * served twelve full syncs of 1,000 designs had grown to 1.4 GiB with every document unloaded).
 */
import * as A from '@automerge/automerge'
import type { DocumentId } from '@automerge/automerge-repo'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, describe, expect, it } from 'vitest'
import { connectTo, type Hub } from '../src/index.js'
import { eventually, netPerson, Scratch, testHub } from './helpers.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

const loaded = (hub: Hub) => Object.keys(hub.repo.handles).length

/** Collects garbage until `ref` is cleared, a few times (a WeakRef lives to the end of the job that read it). */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 5; i++) {
    gc()
    await new Promise((r) => setTimeout(r, 20))
    if (ref.deref() === undefined) return true
  }
  return false
}

describe('a document the hub unloads', () => {
  it('is not kept in memory after a peer made the hub load it from its store', async () => {
    const { hub } = await testHub(await scratch.dir(), { idleMs: 300 })
    const writer = await netPerson('writer')
    const reader = await netPerson('reader')
    try {
      await connectTo(writer.node, writer.repo, hub.multiaddrs()[0]!)
      const design = await writer.commons.createDesign({ title: 'Hinge' })
      await writer.commons.addBomRow(design, { name: 'pin', quantity: 1 })
      const ids = writer.commons.documentsOf(await writer.commons.design(design)) as DocumentId[]
      await eventually(async () => {
        if (ids.some((id) => hub.repo.handles[id]?.isReady() !== true)) throw new Error('not yet')
      }, 'the hub to hold the design')
      await writer.stop()
      await eventually(async () => {
        if (loaded(hub) > 0) throw new Error(`${loaded(hub)} still loaded`)
      }, 'the idle documents to unload')

      // The reader's sync messages make the hub load the design from its store.
      await connectTo(reader.node, reader.repo, hub.multiaddrs()[0]!)
      for (const id of ids) await reader.repo.find(id)
      // Every version of a document shares its wasm backend: if any version is still reachable, so is it.
      const refs = ids.map((id) => new WeakRef(A.getBackend(hub.repo.handles[id]!.doc() as A.Doc<unknown>) as object))
      await reader.stop()
      await eventually(async () => {
        if (loaded(hub) > 0) throw new Error(`${loaded(hub)} still loaded`)
      }, 'the idle documents to unload again')
      for (const ref of refs) expect(await collected(ref)).toBe(true)
    } finally {
      await reader.stop()
      await writer.stop()
      await hub.stop()
    }
  }, 60_000)
})
