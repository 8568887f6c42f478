/**
 * The catalogue index's reader: it reads the hub's store without ever writing it, and once closed
 * lets go of everything it read (a rebuild reads the whole store through one reader after another).
 */
import { Repo } from '@automerge/automerge-repo'
import { Commons, createIdentity, type DesignId } from '@cosmolocal/core'
import { AtomicFsStorageAdapter } from '@cosmolocal/storage'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ReadOnlyStorageError } from '../src/errors.js'
import { DocumentReader, ReadOnlyStorage } from '../src/reader.js'
import { Scratch } from './helpers.js'

const scratch = new Scratch()
let store: string
const designs: DesignId[] = []

/** Every file under `dir` with its size and modification time. */
async function listing(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue
    const s = await stat(join(e.parentPath, e.name))
    out.push(`${join(e.parentPath, e.name)} ${s.size} ${s.mtimeMs}`)
  }
  return out.sort()
}

beforeAll(async () => {
  store = join(await scratch.dir(), 'repo')
  const storage = new AtomicFsStorageAdapter(store)
  const repo = new Repo({ storage, network: [] })
  const commons = new Commons(repo, await createIdentity('Alice'))
  for (let i = 0; i < 4; i++) {
    const d = await commons.createDesign({ title: `Design ${i}` })
    await commons.addBomRow(d, { name: `part ${i}`, quantity: 1 })
    designs.push(d)
  }
  await commons.settled()
  await repo.shutdown()
  await storage.settled()
}, 60_000)

afterAll(() => scratch.cleanup())

describe('the catalogue index reader', () => {
  it('verifies designs from the store without writing a byte of it, and refuses a write', async () => {
    const storage = new AtomicFsStorageAdapter(store)
    const before = await listing(store)
    const reader = new DocumentReader(new ReadOnlyStorage(storage), (r) => new Commons(r, null))
    try {
      for (const [i, id] of designs.entries()) expect((await reader.commons.design(id)).content.title).toBe(`Design ${i}`)
      expect(reader.resident).toBeGreaterThanOrEqual(designs.length * 2)
    } finally {
      reader.close()
    }
    await storage.settled()
    expect(await listing(store)).toEqual(before)
    const refused = await new ReadOnlyStorage(storage).save([designs[0]!, 'incremental', 'x'], new Uint8Array([1])).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(ReadOnlyStorageError)
    expect((refused as ReadOnlyStorageError).kind).toBe('internal')
  }, 30_000)

  it('lets go of its repo and every document it read once closed', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const storage = new AtomicFsStorageAdapter(store)
    const refs: WeakRef<object>[][] = []
    for (let round = 0; round < 3; round++) {
      const reader = new DocumentReader(new ReadOnlyStorage(storage), (r) => new Commons(r, null))
      for (const id of designs) await reader.commons.design(id)
      const handles = Object.values(reader.repo.handles)
      refs.push([new WeakRef(reader.repo), ...handles.map((h) => new WeakRef(h)), ...handles.map((h) => new WeakRef(h.doc() as object))])
      reader.close()
    }
    // What a close releases is let go of on a later turn of the event loop.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    gc()
    await new Promise((r) => setTimeout(r, 10))
    gc()
    // Every reader but the last (which the repo's last timers may still hold for a moment): a
    // rebuild holds one reader's documents at a time, never those of the readers before it.
    const alive = refs.map((round) => round.filter((r) => r.deref() !== undefined).length)
    expect(alive.slice(0, -1)).toEqual([0, 0])
  }, 30_000)
})
