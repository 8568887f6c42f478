import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo/slim'
import { describe, expect, it } from 'vitest'
import { MemoryCacheBackend } from '@cosmolocal/core'
import { CacheAhead, heldDocuments, StorageAhead } from '../src/peer/storage-ahead.js'

/** Storage in memory that counts its range reads. */
class CountingStorage implements StorageAdapterInterface {
  readonly data = new Map<string, { key: StorageKey; data: Uint8Array }>()
  ranges = 0
  async load(key: StorageKey) {
    return this.data.get(key.join('/'))?.data
  }
  async save(key: StorageKey, data: Uint8Array) {
    this.data.set(key.join('/'), { key, data })
  }
  async remove(key: StorageKey) {
    this.data.delete(key.join('/'))
  }
  async loadRange(prefix: StorageKey): Promise<Chunk[]> {
    this.ranges++
    return [...this.data.values()].filter((v) => prefix.every((p, i) => v.key[i] === p)).map((v) => ({ key: v.key, data: v.data }))
  }
  async removeRange(prefix: StorageKey) {
    for (const [k, v] of this.data) if (prefix.every((p, i) => v.key[i] === p)) this.data.delete(k)
  }
}

describe('reading the opened design ahead', () => {
  it('hands a read started ahead to the first read of the same range, once', async () => {
    const inner = new CountingStorage()
    await inner.save(['doc', 'snapshot', 'h1'], new Uint8Array([1]))
    const storage = new StorageAhead(inner)
    storage.readAhead([['doc', 'snapshot']])
    expect(inner.ranges).toBe(1)
    expect((await storage.loadRange(['doc', 'snapshot'])).map((c) => [...c.data!])).toEqual([[1]])
    expect(inner.ranges).toBe(1)
    expect(storage.waiting).toBe(0)
    // The next read of the range is a read of the storage as it is now.
    await storage.loadRange(['doc', 'snapshot'])
    expect(inner.ranges).toBe(2)
  })

  it('drops a read started ahead when its range is written, so nothing stale is handed out', async () => {
    const inner = new CountingStorage()
    const storage = new StorageAhead(inner)
    storage.readAhead([['doc', 'incremental'], ['other', 'incremental']])
    await storage.save(['doc', 'incremental', 'h2'], new Uint8Array([2]))
    expect(storage.waiting).toBe(1)
    expect((await storage.loadRange(['doc', 'incremental'])).map((c) => [...c.data!])).toEqual([[2]])
    await storage.removeRange(['other'])
    expect(storage.waiting).toBe(0)
  })

  it("reads the opened design's documents from the library, and nothing for any other page or junk", () => {
    const library = JSON.stringify([{ url: 'automerge:2ZSvQpCi', documents: ['2ZSvQpCi', '3abc', 'not/an id', 5] }])
    expect(heldDocuments('#/design/2ZSvQpCi', library)).toEqual(['2ZSvQpCi', '3abc'])
    expect(heldDocuments('#/design/automerge%3A2ZSvQpCi', library)).toEqual(['2ZSvQpCi', '3abc'])
    expect(heldDocuments('#/design/other', library)).toEqual([])
    expect(heldDocuments('#/', library)).toEqual([])
    expect(heldDocuments('#/design/2ZSvQpCi', '{not json')).toEqual([])
    expect(heldDocuments('#/design/2ZSvQpCi', null)).toEqual([])
  })

  it('reads verified-state cache entries ahead the same way: taken once, dropped by a write to the key', async () => {
    const inner = new MemoryCacheBackend()
    await inner.put('design/x', new Uint8Array([1]))
    const cache = new CacheAhead(inner)
    cache.readAhead(['design/x', 'secret'])
    await inner.put('design/x', new Uint8Array([2]))
    // Read ahead before the (outside) write: the page's own first read takes what was read then.
    expect([...(await cache.get('design/x'))!]).toEqual([1])
    expect([...(await cache.get('design/x'))!]).toEqual([2])
    await cache.put('secret', new Uint8Array([9]))
    expect(cache.waiting).toBe(0)
    expect([...(await cache.get('secret'))!]).toEqual([9])
  })
})
