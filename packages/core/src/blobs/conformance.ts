/**
 * The conformance suite every `BlobStore` passes (memory, disk, IndexedDB), like automerge-repo's
 * `runStorageAdapterTests`: call `runBlobStoreTests(setup)` inside a Vitest test file. Imported
 * from `@cosmolocal/core/test-support`, never from the main entry, so Vitest stays out of
 * production bundles.
 *
 * Errors are matched by `name` (the stable part of core's errors), so a store driven through a
 * proxy (the IndexedDB one runs in Chromium) passes the same assertions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeBlob, type BlobHash, type BlobInfo, type BlobStore, type PartialBlob } from './blob.js'
import { BLOB_CHUNK_BYTES } from '../limits.js'
import { seededRandom } from '../random.js'

export interface BlobStoreTestContext {
  store: BlobStore
  /** A new store over what `store` keeps: what a restarted process (or a reloaded page) sees. */
  reopen(): Promise<BlobStore>
  teardown?(): Promise<void>
}

/** Called before each test for a fresh, empty store. */
export type BlobStoreSetup = () => Promise<BlobStoreTestContext>

const CHUNK = BLOB_CHUNK_BYTES

/** Deterministic bytes that differ from chunk to chunk (a repeated pattern would hide mix-ups). */
export function sampleBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed >>> 0
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

const random = seededRandom

function shuffled<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j]!, xs[i]!]
  }
  return xs
}

const chunkOf = (bytes: Uint8Array, i: number) => bytes.slice(i * CHUNK, (i + 1) * CHUNK)
const chunksIn = (size: number) => Math.ceil(size / CHUNK)

async function errorName(p: Promise<unknown>): Promise<string> {
  return await p.then(
    () => 'resolved',
    (err: unknown) => (err as Error).name,
  )
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  for await (const piece of source) out.push(piece)
  return out
}

function concat(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of pieces) {
    out.set(p, o)
    o += p.length
  }
  return out
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

async function* inPieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < bytes.length; o += size) yield bytes.subarray(o, o + size)
}

async function feed(partial: PartialBlob, bytes: Uint8Array, chunkList: Uint8Array, order?: number[]): Promise<void> {
  if (partial.chunkList() === null) await partial.setChunkList(chunkList)
  for (const i of order ?? Array.from({ length: chunksIn(bytes.length) }, (_, i) => i)) await partial.putChunk(i, chunkOf(bytes, i))
}

export function runBlobStoreTests(setup: BlobStoreSetup, title?: string): void {
  describe(`BlobStore conformance${title === undefined ? '' : ` (${title})`}`, () => {
    let ctx: BlobStoreTestContext
    beforeEach(async () => {
      ctx = await setup()
    })
    afterEach(async () => {
      await ctx.teardown?.()
    })

    describe('storing and reading', () => {
      it('stores bytes fed in pieces of any size and gives them back whole, streamed and chunk by chunk', async () => {
        const { store } = ctx
        const bytes = sampleBytes(2 * CHUNK + 12345)
        const expected = describeBlob(bytes)
        const info = await store.put(inPieces(bytes, 100_003))
        expect(info).toEqual(expected.info)
        expect(await store.info(info.hash)).toEqual(info)
        expect(await store.has(info.hash)).toBe(true)
        expect(same(await store.get(info.hash), bytes)).toBe(true)
        const streamed = await collect(store.stream(info.hash))
        expect(streamed.map((p) => p.length)).toEqual([CHUNK, CHUNK, 12345])
        expect(same(concat(streamed), bytes)).toBe(true)
        expect(same(await store.chunkList(info.hash), expected.chunkList)).toBe(true)
        for (const i of [2, 0, 1]) expect(same(await store.readChunk(info.hash, i), chunkOf(bytes, i))).toBe(true)
        const reader = await store.openChunks(info.hash)
        expect(same(await reader.readChunk(1), chunkOf(bytes, 1))).toBe(true)
        expect(same(await reader.readChunk(0), chunkOf(bytes, 0))).toBe(true)
        await reader.close()
        await reader.close()
        expect(await store.list()).toEqual([info.hash])
      })

      it('stores bytes given whole, and the same bytes again change nothing', async () => {
        const { store } = ctx
        const bytes = sampleBytes(CHUNK + 1, 2)
        const first = await store.put(bytes)
        const again = await store.put(inPieces(bytes, 4096))
        expect(again).toEqual(first)
        expect(await store.list()).toEqual([first.hash])
        expect(same(await store.get(first.hash), bytes)).toBe(true)
      })

      it('keeps its own copy: changing the bytes after put changes nothing stored', async () => {
        const { store } = ctx
        const bytes = sampleBytes(1000, 3)
        const kept = bytes.slice()
        const info = await store.put(bytes)
        bytes.fill(0)
        expect(same(await store.get(info.hash), kept)).toBe(true)
      })

      it('stores an empty blob', async () => {
        const { store } = ctx
        const info = await store.put(new Uint8Array())
        expect(info).toEqual(describeBlob(new Uint8Array()).info)
        expect((await store.get(info.hash)).length).toBe(0)
        expect(await collect(store.stream(info.hash))).toEqual([])
        expect((await store.chunkList(info.hash)).length).toBe(0)
        expect(await store.list()).toEqual([info.hash])
      })

      it('lists every blob held, in hash order', async () => {
        const { store } = ctx
        const infos = [await store.put(sampleBytes(10, 4)), await store.put(sampleBytes(20, 5)), await store.put(sampleBytes(30, 6))]
        expect(await store.list()).toEqual(infos.map((i) => i.hash).sort())
      })

      it('keeps what it holds across a restart', async () => {
        const bytes = sampleBytes(CHUNK + 77, 7)
        const info = await ctx.store.put(bytes)
        const again = await ctx.reopen()
        expect(await again.info(info.hash)).toEqual(info)
        expect(await again.list()).toEqual([info.hash])
        expect(same(await again.get(info.hash), bytes)).toBe(true)
      })
    })

    describe('refusing', () => {
      it('refuses bytes whose hash or size differ from what was expected, keeping nothing of them', async () => {
        const { store } = ctx
        const bytes = sampleBytes(CHUNK + 10, 8)
        expect(await errorName(store.put(bytes, { hash: '0'.repeat(64) as BlobHash }))).toBe('BlobIntegrityError')
        expect(await errorName(store.put(bytes, { size: bytes.length + 1 }))).toBe('BlobIntegrityError')
        expect(await store.list()).toEqual([])
        expect(await (await ctx.reopen()).list()).toEqual([])
        const info = await store.put(bytes, { hash: describeBlob(bytes).info.hash, size: bytes.length })
        expect(await store.list()).toEqual([info.hash])
      })

      it('keeps nothing of a put whose source fails midway, and passes the failure on', async () => {
        const { store } = ctx
        const bytes = sampleBytes(2 * CHUNK, 9)
        async function* failing() {
          yield bytes.subarray(0, CHUNK)
          yield bytes.subarray(CHUNK, CHUNK + 100)
          throw new RangeError('the source broke')
        }
        expect(await errorName(store.put(failing()))).toBe('RangeError')
        expect(await store.list()).toEqual([])
        expect(await (await ctx.reopen()).list()).toEqual([])
      })

      it('answers for a blob it does not hold: no info, and BlobNotFoundError from every read', async () => {
        const { store } = ctx
        const hash = describeBlob(sampleBytes(5)).info.hash
        expect(await store.info(hash)).toBeNull()
        expect(await store.has(hash)).toBe(false)
        expect(await store.info('not a hash' as BlobHash)).toBeNull()
        expect(await errorName(store.get(hash))).toBe('BlobNotFoundError')
        expect(await errorName(collect(store.stream(hash)))).toBe('BlobNotFoundError')
        expect(await errorName(store.chunkList(hash))).toBe('BlobNotFoundError')
        expect(await errorName(store.readChunk(hash, 0))).toBe('BlobNotFoundError')
        expect(await errorName(store.openChunks(hash))).toBe('BlobNotFoundError')
      })

      it('refuses a chunk index outside the blob', async () => {
        const { store } = ctx
        const info = await store.put(sampleBytes(CHUNK + 1, 10))
        for (const index of [2, -1, 0.5]) expect(await errorName(store.readChunk(info.hash, index))).toBe('BlobNotFoundError')
        const reader = await store.openChunks(info.hash)
        expect(await errorName(reader.readChunk(2))).toBe('BlobNotFoundError')
        await reader.close()
      })
    })

    describe('downloads', () => {
      it('completes a download fed in any order into the blob, and leaves no download state behind', async () => {
        const { store } = ctx
        const bytes = sampleBytes(3 * CHUNK + 5, 11)
        const { info, chunkList } = describeBlob(bytes)
        const partial = await store.partial(info)
        expect(partial.info).toEqual(info)
        expect(partial.chunkList()).toBeNull()
        expect(partial.received().size).toBe(0)
        await feed(partial, bytes, chunkList, [2, 0, 3, 1])
        expect([...partial.received()].sort()).toEqual([0, 1, 2, 3])
        expect(await store.has(info.hash)).toBe(false)
        expect(await partial.complete()).toEqual(info)
        expect(await store.info(info.hash)).toEqual(info)
        expect(same(await store.get(info.hash), bytes)).toBe(true)
        expect(same(await store.chunkList(info.hash), chunkList)).toBe(true)
        await partial.close()
        const after = await (await ctx.reopen()).partial(info)
        expect(after.chunkList()).toBeNull()
        expect(after.received().size).toBe(0)
      })

      it('refuses a chunk list that does not match the root or the size', async () => {
        const { store } = ctx
        const bytes = sampleBytes(2 * CHUNK, 12)
        const { info, chunkList } = describeBlob(bytes)
        const partial = await store.partial(info)
        const forged = chunkList.slice()
        forged[0] = forged[0]! ^ 1
        expect(await errorName(partial.setChunkList(forged))).toBe('BlobIntegrityError')
        expect(await errorName(partial.setChunkList(chunkList.subarray(32)))).toBe('BlobIntegrityError')
        expect(partial.chunkList()).toBeNull()
        expect((await (await ctx.reopen()).partial(info)).chunkList()).toBeNull()
      })

      it('refuses chunks before the chunk list, chunks that do not match, of the wrong length or outside the blob', async () => {
        const { store } = ctx
        const bytes = sampleBytes(2 * CHUNK + 10, 13)
        const { info, chunkList } = describeBlob(bytes)
        const partial = await store.partial(info)
        expect(await errorName(partial.putChunk(0, chunkOf(bytes, 0)))).toBe('BlobIntegrityError')
        await partial.setChunkList(chunkList)
        const bad = chunkOf(bytes, 1)
        bad[10] = bad[10]! ^ 0xff
        expect(await errorName(partial.putChunk(1, bad))).toBe('BlobIntegrityError')
        expect(await errorName(partial.putChunk(2, chunkOf(bytes, 2).subarray(1)))).toBe('BlobIntegrityError')
        expect(await errorName(partial.putChunk(3, new Uint8Array(10)))).toBe('BlobIntegrityError')
        expect(await errorName(partial.putChunk(0, chunkOf(bytes, 1)))).toBe('BlobIntegrityError')
        expect(partial.received().size).toBe(0)
        await partial.putChunk(2, chunkOf(bytes, 2))
        expect([...partial.received()]).toEqual([2])
        await partial.close()
        expect([...(await (await ctx.reopen()).partial(info)).received()]).toEqual([2])
      })

      it('refuses to complete a download with chunks missing, and keeps what it has', async () => {
        const { store } = ctx
        const bytes = sampleBytes(2 * CHUNK, 14)
        const { info, chunkList } = describeBlob(bytes)
        const partial = await store.partial(info)
        expect(await errorName(partial.complete())).toBe('BlobIntegrityError')
        await feed(partial, bytes, chunkList, [1])
        expect(await errorName(partial.complete())).toBe('BlobIntegrityError')
        expect(await store.has(info.hash)).toBe(false)
        expect([...partial.received()]).toEqual([1])
        await feed(partial, bytes, chunkList, [0])
        expect(await partial.complete()).toEqual(info)
      })

      it('shares one download among the handles it gives out', async () => {
        const { store } = ctx
        const bytes = sampleBytes(2 * CHUNK, 15)
        const { info, chunkList } = describeBlob(bytes)
        const first = await store.partial(info)
        await feed(first, bytes, chunkList, [1])
        const second = await store.partial(info)
        expect(second.chunkList()).not.toBeNull()
        expect([...second.received()]).toEqual([1])
        await second.putChunk(0, chunkOf(bytes, 0))
        expect(await second.complete()).toEqual(info)
        await first.close()
        expect(same(await store.get(info.hash), bytes)).toBe(true)
      })

      it('keeps the verified chunk list and chunks across a restart, and resumes where it stopped', async () => {
        const bytes = sampleBytes(4 * CHUNK + 3, 16)
        const { info, chunkList } = describeBlob(bytes)
        const first = await ctx.store.partial(info)
        await feed(first, bytes, chunkList, [0, 1, 3])
        await first.close()
        await first.close()
        const again = await ctx.reopen()
        const resumed = await again.partial(info)
        expect(resumed.chunkList() === null ? null : same(resumed.chunkList()!, chunkList)).toBe(true)
        expect([...resumed.received()].sort()).toEqual([0, 1, 3])
        await feed(resumed, bytes, chunkList, [4, 2])
        expect(await resumed.complete()).toEqual(info)
        expect(same(await again.get(info.hash), bytes)).toBe(true)
      })

      it('a handle used again after close resumes from what the store kept', async () => {
        const { store } = ctx
        const bytes = sampleBytes(2 * CHUNK + 1, 17)
        const { info, chunkList } = describeBlob(bytes)
        const partial = await store.partial(info)
        await feed(partial, bytes, chunkList, [0])
        await partial.close()
        await partial.putChunk(2, chunkOf(bytes, 2))
        await partial.putChunk(1, chunkOf(bytes, 1))
        expect(await partial.complete()).toEqual(info)
        expect(same(await store.get(info.hash), bytes)).toBe(true)
      })

      it('completes a download of an empty blob', async () => {
        const { store } = ctx
        const { info, chunkList } = describeBlob(new Uint8Array())
        const partial = await store.partial(info)
        await partial.setChunkList(chunkList)
        expect(await partial.complete()).toEqual(info)
        expect((await store.get(info.hash)).length).toBe(0)
        expect(await store.list()).toEqual([info.hash])
      })

      it('completing a download of a blob stored meanwhile keeps one copy', async () => {
        const { store } = ctx
        const bytes = sampleBytes(CHUNK + 9, 18)
        const { info, chunkList } = describeBlob(bytes)
        const partial = await store.partial(info)
        await feed(partial, bytes, chunkList)
        await store.put(bytes)
        expect(await partial.complete()).toEqual(info)
        expect(await store.list()).toEqual([info.hash])
        expect(same(await store.get(info.hash), bytes)).toBe(true)
      })

      it('refuses a reference pairing a hash with another blob’s chunks, and keeps nothing of it', async () => {
        const { store } = ctx
        const bytes = sampleBytes(2 * CHUNK + 1, 19)
        const real = describeBlob(bytes)
        const liar: BlobInfo = { ...real.info, hash: describeBlob(sampleBytes(10, 20)).info.hash }
        const partial = await store.partial(liar)
        await feed(partial, bytes, real.chunkList)
        expect(await errorName(partial.complete())).toBe('BlobIntegrityError')
        expect(await store.has(liar.hash)).toBe(false)
        expect(await store.has(real.info.hash)).toBe(false)
        expect(await store.list()).toEqual([])
        const after = await (await ctx.reopen()).partial(liar)
        expect(after.chunkList()).toBeNull()
        expect(after.received().size).toBe(0)
      })

      it('a lying reference leaves the blob whose chunks it borrowed intact, and so does its own download', async () => {
        const { store } = ctx
        const bytes = sampleBytes(2 * CHUNK + 1, 21)
        const real = describeBlob(bytes)
        const liar: BlobInfo = { ...real.info, hash: describeBlob(sampleBytes(10, 22)).info.hash }
        // The real blob is being downloaded while the lying reference's download fails.
        const honest = await store.partial(real.info)
        await feed(honest, bytes, real.chunkList, [0, 1])
        const lying = await store.partial(liar)
        await feed(lying, bytes, real.chunkList)
        expect(await errorName(lying.complete())).toBe('BlobIntegrityError')
        await feed(honest, bytes, real.chunkList, [2])
        expect(await honest.complete()).toEqual(real.info)
        // And once the real blob is held.
        const again = await store.partial(liar)
        await feed(again, bytes, real.chunkList)
        expect(await errorName(again.complete())).toBe('BlobIntegrityError')
        expect(same(await store.get(real.info.hash), bytes)).toBe(true)
        expect(same(await (await ctx.reopen()).get(real.info.hash), bytes)).toBe(true)
      })
    })

    // Seeds committed: a failure replays exactly. Sizes stay small (a store in a browser is driven
    // through a page), the shapes are what matters: empty, short, exact multiples, odd tails.
    for (const seed of [1, 2, 3]) {
      it(`a random mix of puts and downloads, interrupted by restarts and bad chunks, gives back every blob (seed ${seed})`, async () => {
        const rand = random(seed)
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
        let store = ctx.store
        const held = new Map<BlobHash, Uint8Array>()
        for (let step = 0; step < 4; step++) {
          const size = pick([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + Math.floor(rand() * CHUNK)])
          const bytes = sampleBytes(size, seed * 100 + step)
          const { info, chunkList } = describeBlob(bytes)
          if (rand() < 0.4) {
            expect(await store.put(inPieces(bytes, 1 + Math.floor(rand() * 2 * CHUNK)))).toEqual(info)
          } else {
            const order = shuffled(Array.from({ length: chunksIn(size) }, (_, i) => i), rand)
            let partial = await store.partial(info)
            await partial.setChunkList(chunkList)
            for (const i of order) {
              if (rand() < 0.2) {
                const bad = chunkOf(bytes, i)
                const at = Math.floor(rand() * bad.length)
                bad[at] = bad[at]! ^ (1 + Math.floor(rand() * 255))
                expect(await errorName(partial.putChunk(i, bad))).toBe('BlobIntegrityError')
              }
              await partial.putChunk(i, chunkOf(bytes, i))
              if (rand() < 0.25) {
                await partial.close()
                store = await ctx.reopen()
                partial = await store.partial(info)
                expect(partial.received().has(i)).toBe(true)
              }
            }
            expect(await partial.complete()).toEqual(info)
          }
          held.set(info.hash, bytes)
        }
        store = await ctx.reopen()
        expect(await store.list()).toEqual([...held.keys()].sort())
        for (const [hash, bytes] of held) expect(same(await store.get(hash), bytes)).toBe(true)
      })
    }
  })
}
