/**
 * Torn and lost writes, driven through automerge-repo's own loader. A fault-injecting storage
 * (on the real disk) leaves what a plain write leaves when a process dies or a disk fails in the
 * middle of it: a truncated file, a file never written, a write that throws halfway, writes that
 * finish out of order. Loading afterwards must never crash, never hand a torn chunk to Automerge,
 * and must report what it set aside.
 */
import * as A from '@automerge/automerge'
import { Repo, type DocHandle, type DocumentId, type StorageAdapterInterface, type StorageKey } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pathOf } from '../src/layout.js'
import { AtomicFsStorageAdapter, examineStore, readQuarantine, type QuarantineEvent } from '../src/index.js'
import { filesUnder, Scratch, seeded } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

type Fault = 'truncate' | 'drop' | 'throw' | 'delay' | null
type Part = { name: string; qty: number }
type Design = { title: string; parts: Part[] }

/** A storage whose writes fail as a plain file write fails, chosen by `plan`; reads and removes are the real adapter's. */
class FaultyStorage implements StorageAdapterInterface {
  /** Every payload asked to be saved, by key: a file on disk equal to none of its key's is torn. */
  readonly asked = new Map<string, Uint8Array[]>()
  constructor(
    readonly inner: AtomicFsStorageAdapter,
    readonly plan: (key: StorageKey) => Fault,
    readonly random: () => number,
  ) {}

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    const fault = this.plan(key)
    const k = key.join('/')
    this.asked.set(k, [...(this.asked.get(k) ?? []), Uint8Array.from(data)])
    switch (fault) {
      case 'truncate':
        return await this.#torn(key, data)
      case 'drop':
        return
      case 'throw':
        await this.#torn(key, data)
        throw new Error('the disk failed in the middle of a write')
      case 'delay':
        await new Promise((r) => setTimeout(r, Math.floor(this.random() * 15)))
        return await this.inner.save(key, data)
      default:
        return await this.inner.save(key, data)
    }
  }

  /** What `writeFile` leaves when the process dies partway: the first n bytes (maybe none). */
  async #torn(key: StorageKey, data: Uint8Array): Promise<void> {
    const file = pathOf(this.inner.baseDirectory, key)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, data.subarray(0, Math.floor(this.random() * data.length)))
  }

  load = (key: StorageKey) => this.inner.load(key)
  loadRange = (prefix: StorageKey) => this.inner.loadRange(prefix)
  remove = (key: StorageKey) => this.inner.remove(key)
  removeRange = (prefix: StorageKey) => this.inner.removeRange(prefix)
}

function reopen(dir: string): { repo: Repo; storage: AtomicFsStorageAdapter; events: QuarantineEvent[] } {
  const storage = new AtomicFsStorageAdapter(dir)
  const events: QuarantineEvent[] = []
  storage.on('quarantine', (e) => events.push(e))
  return { repo: new Repo({ storage, network: [] }), storage, events }
}

async function close(repo: Repo, storage: AtomicFsStorageAdapter): Promise<void> {
  // shutdown() flushes every handle and throws on one that never became ready (a document not found).
  await repo.shutdown().catch((err: Error) => {
    if (!/not ready/i.test(err.message)) throw err
  })
  await storage.settled()
}

/** A design with a snapshot and some incremental chunks on disk; returns its handle and the document as it was. */
async function writeDesign(dir: string): Promise<{ id: DocumentId; truth: A.Doc<Design> }> {
  const storage = new AtomicFsStorageAdapter(dir)
  const repo = new Repo({ storage, network: [] })
  const handle = repo.create<Design>({ title: 'Loom', parts: [] })
  await repo.flush()
  for (let i = 0; i < 4; i++) {
    handle.change((d) => void d.parts.push({ name: `part ${i}`, qty: i + 1 }))
    await repo.flush()
  }
  const truth = A.clone(handle.doc())
  await close(repo, storage)
  return { id: handle.documentId, truth }
}

describe('a torn chunk on load', () => {
  it('a document with a torn snapshot beside its whole chunks loads whole; the torn one is set aside and reported', async () => {
    const dir = join(await scratch.dir(), 'repo')
    const { id, truth } = await writeDesign(dir)
    // What a stock adapter killed while compacting leaves: a new snapshot, cut short, beside the old chunks.
    const torn = A.save(truth).subarray(0, 40)
    const tornKey = [id, 'snapshot', '0'.repeat(64)]
    await mkdir(dirname(pathOf(dir, tornKey)), { recursive: true })
    await writeFile(pathOf(dir, tornKey), torn)

    const { repo, storage, events } = reopen(dir)
    const handle = await repo.find<Design>(id)
    expect(handle.doc()).toEqual(truth)
    expect(A.getHeads(handle.doc())).toEqual(A.getHeads(truth))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ documentId: id, key: tornKey, problem: 'truncated', bytes: 40 })
    // Set aside, never deleted: the bytes are in the quarantine beside the store, with a record.
    expect(new Uint8Array(await readFile(events[0]!.file!))).toEqual(torn)
    expect(await readQuarantine(storage.quarantineDirectory)).toMatchObject([{ key: tornKey, documentId: id, problem: 'truncated', bytes: 40 }])
    expect((await filesUnder(dir)).some((f) => f.includes('0'.repeat(64)))).toBe(false)
    await close(repo, storage)
  })

  it('load() of one damaged chunk returns nothing and sets it aside; other keys are never checked', async () => {
    const dir = join(await scratch.dir(), 'repo')
    const { id } = await writeDesign(dir)
    const key = [id, 'incremental', 'f'.repeat(64)]
    await mkdir(dirname(pathOf(dir, key)), { recursive: true })
    await writeFile(pathOf(dir, key), Uint8Array.of(0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 1, 9, 0))
    // Not a document chunk: whatever bytes it holds are returned as they are.
    await mkdir(dirname(pathOf(dir, [id, 'sync-state', 'peer'])), { recursive: true })
    await writeFile(pathOf(dir, [id, 'sync-state', 'peer']), 'not automerge')
    const storage = new AtomicFsStorageAdapter(dir)
    const events: QuarantineEvent[] = []
    storage.on('quarantine', (e) => events.push(e))
    expect(await storage.load(key)).toBeUndefined()
    expect(events).toMatchObject([{ key, problem: 'truncated', bytes: 11 }])
    expect(await storage.load(key)).toBeUndefined()
    expect(events).toHaveLength(1)
    expect(new TextDecoder().decode(await storage.load([id, 'sync-state', 'peer']))).toBe('not automerge')
  })

  it('(the same store read by the stock NodeFS adapter loses the document: the premise of the test above)', async () => {
    const dir = join(await scratch.dir(), 'repo')
    const { id, truth } = await writeDesign(dir)
    const tornKey = [id, 'snapshot', '0'.repeat(64)]
    await mkdir(dirname(pathOf(dir, tornKey)), { recursive: true })
    await writeFile(pathOf(dir, tornKey), A.save(truth).subarray(0, 40))
    const stock = new Repo({ storage: new NodeFSStorageAdapter(dir), network: [] })
    const handle = await stock.find<Design>(id).catch(() => null)
    expect(handle?.doc()).not.toEqual(truth)
    await stock.shutdown().catch(() => undefined)
  })

  it('an empty snapshot (what the bundle import left) is set aside, and the document is reported for refetching', async () => {
    const dir = join(await scratch.dir(), 'repo')
    const storage = new AtomicFsStorageAdapter(dir)
    const repo = new Repo({ storage, network: [] })
    const handle = repo.create<Design>({ title: 'Proposal', parts: [] })
    await close(repo, storage)
    const snapshots = join(dir, handle.documentId.slice(0, 2), handle.documentId.slice(2), 'snapshot')
    for (const f of await readdir(snapshots)) await writeFile(join(snapshots, f), '')

    const again = reopen(dir)
    const found = await again.repo.find<Design>(handle.documentId, { allowableStates: ['ready', 'unavailable'] })
    expect(found.isReady()).toBe(false)
    expect(again.events).toMatchObject([{ documentId: handle.documentId, problem: 'empty', bytes: 0 }])
    const report = await examineStore(again.storage)
    expect(report.refetch).toEqual([{ document: handle.documentId, reason: 'all-chunks-set-aside' }])
    expect(report.quarantined).toHaveLength(1)
    await close(again.repo, again.storage)
  })
})

describe('seeded faults through automerge-repo', () => {
  for (const seed of [11, 23, 47, 89]) {
    it(`seed ${seed}: nothing crashes, nothing torn is loaded, everything torn is reported, and a refetch makes every document whole`, async () => {
      const random = seeded(seed)
      const dir = join(await scratch.dir(), 'repo')
      const inner = new AtomicFsStorageAdapter(dir)
      const faults: Fault[] = ['truncate', 'drop', 'throw', 'delay', 'delay', null, null, null]
      const storage = new FaultyStorage(inner, (key) => (key[1] === 'snapshot' || key[1] === 'incremental' ? faults[Math.floor(random() * faults.length)]! : null), random)
      // Saves happen on flush only (a long throttle), so that a thrown write is caught where it is awaited.
      const repo = new Repo({ storage, network: [], saveDebounceRate: 60_000 })
      const handles: DocHandle<Design>[] = []
      for (let d = 0; d < 4; d++) handles.push(repo.create<Design>({ title: `design ${d}`, parts: [] }))
      for (let round = 0; round < 12; round++) {
        for (const h of handles) if (random() < 0.6) h.change((d) => void d.parts.push({ name: `r${round}`, qty: Math.floor(random() * 100) }))
        await repo.flush().catch(() => undefined)
      }
      const truths = new Map(handles.map((h) => [h.documentId, A.clone(h.doc())]))
      await repo.shutdown().catch(() => undefined)
      await inner.settled()

      const torn: string[] = []
      for (const f of await filesUnder(dir)) {
        const [prefix, rest, type, hash] = f.split('/')
        if (type !== 'snapshot' && type !== 'incremental') continue
        const bytes = new Uint8Array(await readFile(join(dir, f)))
        const payloads = storage.asked.get(`${prefix}${rest}/${type}/${hash}`) ?? []
        if (!payloads.some((p) => Buffer.compare(p, bytes) === 0)) torn.push(f)
      }
      const { repo: again, storage: reopened, events } = reopen(dir)
      for (const [id, truth] of truths) {
        const h = await again.find<Design>(id, { allowableStates: ['ready', 'unavailable'] })
        if (!h.isReady()) continue
        // Whatever loaded is history the document really had: no torn bytes were read as changes.
        expect(A.hasHeads(truth, A.getHeads(h.doc()))).toBe(true)
      }
      expect(events.length).toBe(torn.length)
      expect((await readQuarantine(reopened.quarantineDirectory)).length).toBe(torn.length)
      // A peer that has the documents sends them again: every document is whole, and stays whole on disk.
      for (const [id, truth] of truths) {
        const h = await again.find<Design>(id, { allowableStates: ['ready', 'unavailable'] })
        h.update((doc) => A.merge(doc ?? A.init<Design>(), truth))
        expect(A.getHeads(h.doc())).toEqual(A.getHeads(truth))
      }
      await again.flush()
      await close(again, reopened)
      const last = reopen(dir)
      for (const [id, truth] of truths) expect(A.getHeads((await last.repo.find<Design>(id)).doc())).toEqual(A.getHeads(truth))
      expect(last.events).toEqual([])
      expect((await examineStore(last.storage)).refetch).toEqual([])
      await close(last.repo, last.storage)
    })
  }
})
