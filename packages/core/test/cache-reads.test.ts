/**
 * The verified-state cache is read beside the documents, not after them: a design's cached state
 * is asked for while its governance document is still loading from storage, and a sealed entry and
 * the store's secret are read together. (In a browser each is an IndexedDB round trip on the way
 * to the first render.) A page may show the state last verified here before the documents have
 * loaded at all (`lastVerified`); the read that follows still checks it against their heads.
 */
import { Repo, type Chunk, type StorageAdapterInterface, type StorageKey } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import { Commons, MemoryCacheBackend, SealedCache, type CacheBackend } from '../src/index.js'
import { person } from './helpers.js'

/** Storage in memory whose reads wait while `hold()` is in force, as a slow disk or IndexedDB would. */
class HeldStorage implements StorageAdapterInterface {
  readonly data = new Map<string, { key: StorageKey; bytes: Uint8Array }>()
  #gate: Promise<void> | null = null
  #open: () => void = () => undefined
  pendingReads = 0

  hold(): void {
    this.#gate = new Promise((r) => (this.#open = r))
  }
  release(): void {
    this.#gate = null
    this.#open()
  }
  async #wait(): Promise<void> {
    this.pendingReads++
    try {
      while (this.#gate !== null) await this.#gate
    } finally {
      this.pendingReads--
    }
  }
  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    await this.#wait()
    return this.data.get(key.join('/'))?.bytes
  }
  async save(key: StorageKey, bytes: Uint8Array): Promise<void> {
    this.data.set(key.join('/'), { key, bytes })
  }
  async remove(key: StorageKey): Promise<void> {
    this.data.delete(key.join('/'))
  }
  async loadRange(prefix: StorageKey): Promise<Chunk[]> {
    await this.#wait()
    return [...this.data.values()].filter((v) => prefix.every((p, i) => v.key[i] === p)).map((v) => ({ key: v.key, data: v.bytes }))
  }
  async removeRange(prefix: StorageKey): Promise<void> {
    for (const [k, v] of this.data) if (prefix.every((p, i) => v.key[i] === p)) this.data.delete(k)
  }
}

/** A cache backend that notes every key asked for, and can hold its answers. */
class NotingBackend implements CacheBackend {
  readonly asked: string[] = []
  #gate: Promise<void> | null = null
  #open: () => void = () => undefined
  constructor(readonly inner: CacheBackend = new MemoryCacheBackend()) {}
  hold(): void {
    this.#gate = new Promise((r) => (this.#open = r))
  }
  release(): void {
    this.#gate = null
    this.#open()
  }
  async get(key: string): Promise<Uint8Array | undefined> {
    this.asked.push(key)
    while (this.#gate !== null) await this.#gate
    return await this.inner.get(key)
  }
  put(key: string, value: Uint8Array): Promise<void> {
    return this.inner.put(key, value)
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key)
  }
}

const ticks = () => new Promise((r) => setTimeout(r, 50))

describe('reading the verified-state cache', () => {
  it("asks for a design's cached state while its documents are still loading", async () => {
    const storage = new HeldStorage()
    const cache = new NotingBackend()
    const { design, seen } = await verifiedOnce(storage, cache)

    // A new process on the same store: its documents come from storage, which is slow.
    const second = new Commons(new Repo({ storage, network: [] }), null, null, { cache })
    cache.asked.length = 0
    storage.hold()
    const reading = second.design(design)
    await ticks()
    expect(storage.pendingReads).toBeGreaterThan(0)
    expect(cache.asked).toContain(`design/${seen.id}`)
    storage.release()
    const again = await reading
    expect(again.content).toEqual(seen.content)
    expect(second.counters).toMatchObject({ changesDecoded: 0, signaturesVerified: 0, designFolds: 0 })
  })

  it("reads a sealed entry and the store's secret together", async () => {
    const backend = new NotingBackend()
    await new SealedCache(backend).put('design/x', { a: 1 })
    const cache = new SealedCache(backend)
    backend.asked.length = 0
    backend.hold()
    const reading = cache.get('design/x')
    await ticks()
    expect([...backend.asked].sort()).toEqual(['design/x', 'secret'])
    backend.release()
    expect(await reading).toEqual({ a: 1 })
  })
})

/** A design made and verified by one process, its store and cache left for the next. */
async function verifiedOnce(storage: HeldStorage, cache: CacheBackend) {
  const writer = new Repo({ storage, network: [] })
  const alice = (await person('alice')).me
  const first = new Commons(writer, alice, null, { cache })
  const design = await first.createDesign({ title: 'Loom' })
  await first.addBomRow(design, { name: 'frame', quantity: 2 })
  const seen = await first.design(design)
  await first.settled()
  await writer.flush()
  await writer.shutdown()
  return { design, seen, alice }
}

describe('the state last verified here, read without the documents', () => {
  it('is there while the documents cannot be read at all, and the checked read agrees with it', async () => {
    const storage = new HeldStorage()
    const cache = new NotingBackend()
    const { design, seen } = await verifiedOnce(storage, cache)
    const repo = new Repo({ storage, network: [] })
    const second = new Commons(repo, null, null, { cache })
    storage.hold()
    const last = await second.lastVerified(design)
    expect(last).not.toBeNull()
    expect(last!.content).toEqual(seen.content)
    expect(last!.version).toBe(seen.version)
    expect(last!.state.maintainers).toEqual(seen.state.maintainers)
    // Nothing was loaded for it: no document asked of storage or the Repo.
    expect(storage.pendingReads).toBe(0)
    expect(Object.keys(repo.handles)).toHaveLength(0)
    storage.release()
    expect((await second.design(design)).version).toBe(seen.version)
    expect(second.counters).toMatchObject({ changesDecoded: 0, signaturesVerified: 0, designFolds: 0 })
  })

  it('is null for a design never verified here, and for an entry that does not open', async () => {
    const storage = new HeldStorage()
    const cache = new MemoryCacheBackend()
    const { design } = await verifiedOnce(storage, cache)
    expect(await new Commons(new Repo({ storage, network: [] }), null, null, { cache: new MemoryCacheBackend() }).lastVerified(design)).toBeNull()
    for (const [key, value] of cache.entries) {
      if (!key.startsWith('design/')) continue
      const edited = value.slice()
      edited[edited.length - 40] = edited[edited.length - 40]! ^ 1
      cache.entries.set(key, edited)
    }
    const reader = new Commons(new Repo({ storage, network: [] }), null, null, { cache })
    expect(await reader.lastVerified(design)).toBeNull()
    expect(reader.cacheCounters.rejected).toBeGreaterThan(0)
  })

  it('may be behind the documents, and the next read is checked against them, not taken from it', async () => {
    const storage = new HeldStorage()
    const cache = new MemoryCacheBackend()
    const { design, seen, alice } = await verifiedOnce(storage, cache)
    // Another edit reaches the store (a peer's, say) after this cache entry was sealed.
    const writer = new Repo({ storage, network: [] })
    const editor = new Commons(writer, alice, null, { cache: new MemoryCacheBackend() })
    await editor.addBomRow(design, { name: 'heddle', quantity: 40 })
    await editor.settled()
    await writer.flush()
    await writer.shutdown()

    const reader = new Commons(new Repo({ storage, network: [] }), null, null, { cache })
    const last = await reader.lastVerified(design)
    expect(last!.version).toBe(seen.version)
    expect(last!.content.bom.map((r) => r.name)).toEqual(['frame'])
    const checked = await reader.design(design)
    expect(checked.version).not.toBe(seen.version)
    expect(checked.content.bom.map((r) => r.name)).toEqual(['frame', 'heddle'])
    expect(reader.counters.designFolds).toBe(1)
  })
})
