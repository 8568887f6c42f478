/**
 * AtomicFsStorageAdapter on the real disk: automerge-repo's own acceptance tests, the stock NodeFS
 * layout both ways, ordered writes, settling, and stale temporary files.
 */
import * as A from '@automerge/automerge'
import { Repo, type DocumentId } from '@automerge/automerge-repo'
import { runStorageAdapterTests } from '@automerge/automerge-repo/helpers/tests/storage-adapter-tests.js'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
import { spawn } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { AtomicFsStorageAdapter, InvalidStorageKeyError, StorageLayoutError } from '../src/index.js'
import { filesUnder, Scratch } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

runStorageAdapterTests(async () => ({ adapter: new AtomicFsStorageAdapter(join(await scratch.dir(), 'repo')) }), 'AtomicFsStorageAdapter')

type Loom = { title: string; rows: string[] }

async function closeDurably(repo: Repo, storage: AtomicFsStorageAdapter): Promise<void> {
  await repo.shutdown()
  await storage.settled()
}

describe('the NodeFS layout', () => {
  it('a stock NodeFS adapter opens a store we wrote, with every change', async () => {
    const dir = join(await scratch.dir(), 'repo')
    const storage = new AtomicFsStorageAdapter(dir)
    const repo = new Repo({ storage, network: [] })
    const handle = repo.create<Loom>({ title: 'Loom', rows: [] })
    for (let i = 0; i < 20; i++) {
      handle.change((d) => void d.rows.push(`row ${i}`))
      if (i % 5 === 0) await repo.flush()
    }
    const heads = handle.heads()
    await closeDurably(repo, storage)

    const stock = new Repo({ storage: new NodeFSStorageAdapter(dir), network: [] })
    const again = await stock.find<Loom>(handle.url)
    expect(again.heads()).toEqual(heads)
    expect(again.doc().rows).toHaveLength(20)
    await stock.shutdown()
  })

  it('opens a store a stock NodeFS adapter wrote', async () => {
    const dir = join(await scratch.dir(), 'repo')
    const stock = new Repo({ storage: new NodeFSStorageAdapter(dir), network: [] })
    const handle = stock.create<Loom>({ title: 'Bench', rows: ['leg'] })
    handle.change((d) => void d.rows.push('top'))
    await stock.flush()
    await stock.shutdown()

    const storage = new AtomicFsStorageAdapter(dir)
    const repo = new Repo({ storage, network: [] })
    expect((await repo.find<Loom>(handle.url)).doc()).toEqual({ title: 'Bench', rows: ['leg', 'top'] })
    await closeDurably(repo, storage)
  })

  it('puts the quarantine beside the store, and refuses one inside it', async () => {
    const dir = join(await scratch.dir(), 'repo')
    expect(new AtomicFsStorageAdapter(dir).quarantineDirectory).toBe(`${dir}-quarantine`)
    expect(() => new AtomicFsStorageAdapter(dir, { quarantineDirectory: join(dir, 'q') })).toThrow(StorageLayoutError)
  })

  it('refuses keys that cannot name a file of the layout, touching nothing', async () => {
    const dir = join(await scratch.dir(), 'repo')
    const storage = new AtomicFsStorageAdapter(dir)
    for (const key of [[], ['..'], ['abc', '..', 'x'], ['abc', 'a/b'], ['ab'], ['abc', '.hidden'], ['abc', '']]) {
      await expect(storage.save(key, Uint8Array.of(1)), JSON.stringify(key)).rejects.toThrow(InvalidStorageKeyError)
    }
    expect(await filesUnder(join(dir, '..'))).toEqual([])
  })
})

describe('writes', () => {
  it('leave no temporary file behind, and save one key in the order they were called', async () => {
    const dir = join(await scratch.dir(), 'repo')
    const storage = new AtomicFsStorageAdapter(dir)
    const key = ['AAAAA', 'sync-state', 'xxxxx']
    const writes = Array.from({ length: 20 }, (_, i) => storage.save(key, new Uint8Array(1000 * (20 - i)).fill(i)))
    await Promise.all(writes)
    expect(await storage.load(key)).toEqual(new Uint8Array(1000).fill(19))
    expect(await filesUnder(dir)).toEqual([join('AA', 'AAA', 'sync-state', 'xxxxx')])
  })

  it('a remove called after a save wins, and a save called after a removeRange survives it', async () => {
    const storage = new AtomicFsStorageAdapter(join(await scratch.dir(), 'repo'))
    const key = ['AAAAA', 'snapshot', 'x']
    void storage.save(key, Uint8Array.of(1))
    await storage.remove(key)
    expect(await storage.load(key)).toBeUndefined()
    void storage.save(key, Uint8Array.of(2))
    void storage.removeRange(['AAAAA'])
    await storage.save(key, Uint8Array.of(3))
    expect(await storage.loadRange(['AAAAA'])).toEqual([{ key, data: Uint8Array.of(3) }])
  })

  it('settled() waits for every operation begun, including those begun while it waits', async () => {
    const storage = new AtomicFsStorageAdapter(join(await scratch.dir(), 'repo'))
    const done: string[] = []
    const first = storage.save(['AAAAA', 'sync-state', 'a'], new Uint8Array(100_000)).then(() => {
      done.push('a')
      // Begun while settled() waits, as automerge-repo's throttled saves are.
      void storage.save(['AAAAA', 'sync-state', 'b'], new Uint8Array(100_000)).then(() => done.push('b'))
    })
    await storage.settled()
    expect(done).toEqual(['a', 'b'])
    await first
    await storage.settled()
  })

  it('caughtUp() waits for what was begun before it, not for writes that keep coming (a busy hub)', async () => {
    const storage = new AtomicFsStorageAdapter(join(await scratch.dir(), 'repo'))
    let finished = 0
    // Traffic that never pauses: each write starts the next as it finishes, 30 in all.
    const chain = (i: number): Promise<void> =>
      storage.save(['AAAAA', 'sync-state', `s${i}`], new Uint8Array(10_000)).then(() => {
        finished++
        if (i < 29) void chain(i + 1)
      })
    void chain(0)
    await storage.caughtUp()
    expect(finished).toBeGreaterThanOrEqual(1)
    expect(finished).toBeLessThan(30)
    await storage.settled()
    expect(finished).toBe(30)
  })

  it('automerge-repo returns from flush() and shutdown() with a throttled save of the same snapshot still being written', async () => {
    // automerge-repo saves a changed document from a throttled timer, and flush() saves it again
    // directly; when the timer fires while flush's write is under way, both write the same
    // snapshot, and flush() (and shutdown()) return while the throttled write is still going.
    // The interleaving is forced here: the first write waits for the second to begin. (Such a
    // write reaches the adapter directly, so settled() sees it; this wrapper's wait sits outside it.)
    const storage = new AtomicFsStorageAdapter(join(await scratch.dir(), 'repo'))
    const repo = new Repo({ storage, network: [], saveDebounceRate: 1 })
    const begun: string[] = []
    let secondBegun = () => {}
    const second = new Promise<void>((r) => (secondBegun = r))
    let releaseSecond = () => {}
    const released = new Promise<void>((r) => (releaseSecond = r))
    let inFlight = 0
    const save = storage.save.bind(storage)
    storage.save = async (key, data) => {
      if (key[1] !== 'snapshot') return await save(key, data)
      const n = begun.push(key.join('/'))
      inFlight++
      try {
        if (n === 1) await second
        if (n === 2) {
          secondBegun()
          await released
        }
        await save(key, data)
      } finally {
        inFlight--
      }
    }
    const handle = repo.import<Loom>(A.save(A.from<Loom>({ title: 'Loom', rows: ['frame'] })))
    await repo.flush()
    await repo.shutdown()
    expect(begun).toHaveLength(2)
    expect(begun[0]).toBe(begun[1])
    expect(inFlight).toBe(1)
    releaseSecond()
    await vi.waitFor(() => expect(inFlight).toBe(0))
    await storage.settled()
    const reopened = new AtomicFsStorageAdapter(storage.baseDirectory)
    const again = new Repo({ storage: reopened, network: [] })
    expect((await again.find<Loom>(handle.url)).doc().rows).toEqual(['frame'])
    await closeDurably(again, reopened)
  })
})

describe('temporary files left by a crash', () => {
  it('are removed when the directory is next read, or by a sweep; a live writer’s are kept', async () => {
    const { dir, id } = await storeWithOneLoom()
    const snapshots = join(dir, id.slice(0, 2), id.slice(2), 'snapshot')
    const syncStates = join(dir, id.slice(0, 2), id.slice(2), 'sync-state')
    await mkdir(syncStates, { recursive: true })
    const dead = await deadPid()
    const live = process.ppid
    await writeFile(join(snapshots, `.abc.tmp-${dead}-0123abcd`), 'half a chun')
    await writeFile(join(snapshots, `.abd.tmp-${live}-0123abcd`), 'being written')
    await writeFile(join(syncStates, `.peer.tmp-${dead}-89abcdef`), 'half')

    const reopened = new AtomicFsStorageAdapter(dir)
    const chunks = await reopened.loadRange([id, 'snapshot'])
    expect(chunks).toHaveLength(1)
    const left = await filesUnder(dir)
    expect(left.some((f) => f.includes(`.abc.tmp-${dead}`))).toBe(false)
    expect(left.some((f) => f.includes(`.abd.tmp-${live}`))).toBe(true)
    expect(left.some((f) => f.includes(`.peer.tmp-${dead}`))).toBe(true)
    expect(await reopened.sweepTemporaryFiles()).toBe(1)
    expect((await filesUnder(dir)).some((f) => f.includes('.peer.tmp-'))).toBe(false)
    expect(await readFile(join(snapshots, `.abd.tmp-${live}-0123abcd`), 'utf8')).toBe('being written')
  })
})

describe('the sweep of a large store', () => {
  it('does not hold up a load begun while it walks the store', async () => {
    const { dir, id } = await storeWithOneLoom()
    // 600 more documents' directories: the walk reads ~1,800 directories, one after another.
    for (let i = 0; i < 600; i++) await mkdir(join(dir, `z${i % 30}`, `doc${i}`, 'snapshot'), { recursive: true })

    const reopened = new AtomicFsStorageAdapter(dir)
    let swept = false
    const sweep = reopened.sweepTemporaryFiles().then((n) => {
      swept = true
      return n
    })
    const chunks = await reopened.loadRange([id, 'snapshot'])
    // Ordered with the whole walk, the load answered only once every directory had been read.
    expect(swept).toBe(false)
    expect(chunks).toHaveLength(1)
    expect(await sweep).toBe(0)
  })
})

/** A store on disk holding one document, written and closed as a process leaves it. */
async function storeWithOneLoom(): Promise<{ dir: string; id: DocumentId }> {
  const dir = join(await scratch.dir(), 'repo')
  const storage = new AtomicFsStorageAdapter(dir)
  const repo = new Repo({ storage, network: [] })
  const handle = repo.create<Loom>({ title: 'Loom', rows: [] })
  await closeDurably(repo, storage)
  return { dir, id: handle.documentId as DocumentId }
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((r) => child.on('exit', r))
  return child.pid!
}
