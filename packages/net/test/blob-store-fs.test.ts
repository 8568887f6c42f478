/** The Node blob store's download state on a real disk: what it keeps, what it checks before completing. */
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BLOB_CHUNK_BYTES, BlobIntegrityError, BlobNotFoundError, describeBlob, type BlobInfo, type PartialBlob } from '@cosmolocal/core'
import { FsBlobStore, nodeHasher } from '../src/index.js'
import { STALE_BLOB_UPLOAD_MS } from '../src/limits.js'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function store(): Promise<FsBlobStore> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-fs-store-'))
  cleanup.push(() => rm(dir, { recursive: true, force: true }))
  return new FsBlobStore(dir)
}

async function putAll(partial: PartialBlob, bytes: Uint8Array, chunkList: Uint8Array): Promise<void> {
  await partial.setChunkList(chunkList)
  for (let i = 0; i * BLOB_CHUNK_BYTES < bytes.length; i++) await partial.putChunk(i, bytes.subarray(i * BLOB_CHUNK_BYTES, (i + 1) * BLOB_CHUNK_BYTES))
}

const partialDir = (s: FsBlobStore, info: BlobInfo) => join(s.dir, 'partial', `${info.hash}.${info.root}`)

/** Counts fsyncs from here on (every file handle of node:fs/promises shares one prototype). */
async function countSyncs(dir: string): Promise<{ readonly count: number }> {
  const fh = await open(join(dir, '.probe'), 'w')
  const proto = Object.getPrototypeOf(fh) as { sync(): Promise<void> }
  await fh.close()
  await rm(join(dir, '.probe'))
  const spy = vi.spyOn(proto, 'sync')
  cleanup.push(async () => spy.mockRestore())
  return {
    get count() {
      return spy.mock.calls.length
    },
  }
}

describe('FsBlobStore downloads', () => {
  it('completes a download into a blob identical to the bytes, and leaves no download state behind', async () => {
    const s = await store()
    const bytes = randomBytes(3 * BLOB_CHUNK_BYTES + 5)
    const { info, chunkList } = describeBlob(bytes, nodeHasher)
    await putAll(await s.partial(info), bytes, chunkList)
    const partial = await s.partial(info)
    expect(await partial.complete()).toEqual(info)
    expect(Buffer.from(await s.get(info.hash)).equals(bytes)).toBe(true)
    expect(await s.chunkList(info.hash)).toEqual(new Uint8Array(chunkList))
    expect(await readdir(join(s.dir, 'partial'))).toEqual([])
  })

  it('resumes after close: kept chunks survive, and writing goes on where it stopped', async () => {
    const s = await store()
    const bytes = randomBytes(2 * BLOB_CHUNK_BYTES)
    const { info, chunkList } = describeBlob(bytes, nodeHasher)
    const first = await s.partial(info)
    await first.setChunkList(chunkList)
    await first.putChunk(0, bytes.subarray(0, BLOB_CHUNK_BYTES))
    await first.close()
    await first.close()
    const again = await new FsBlobStore(s.dir).partial(info)
    expect([...again.received()]).toEqual([0])
    await again.putChunk(1, bytes.subarray(BLOB_CHUNK_BYTES))
    expect(await again.complete()).toEqual(info)
    expect(Buffer.from(await s.get(info.hash)).equals(bytes)).toBe(true)
  })

  it('refuses to complete when the bytes on disk no longer hash to the blob (a chunk rotted after it was verified)', async () => {
    const s = await store()
    const bytes = randomBytes(2 * BLOB_CHUNK_BYTES + 10)
    const { info, chunkList } = describeBlob(bytes, nodeHasher)
    const partial = await s.partial(info)
    await putAll(partial, bytes, chunkList)
    await partial.close()
    const fh = await open(join(partialDir(s, info), 'data'), 'r+')
    await fh.write(Buffer.from('rot'), 0, 3, BLOB_CHUNK_BYTES + 7)
    await fh.close()
    await expect(partial.complete()).rejects.toThrow(BlobIntegrityError)
    expect(await s.has(info.hash)).toBe(false)
  })

  it('refuses a reference that pairs a blob hash with another blob’s root, and keeps nothing of it', async () => {
    const s = await store()
    const bytes = randomBytes(BLOB_CHUNK_BYTES + 1)
    const real = describeBlob(bytes, nodeHasher)
    const other = describeBlob(randomBytes(BLOB_CHUNK_BYTES + 1), nodeHasher)
    const liar: BlobInfo = { ...real.info, hash: other.info.hash }
    const partial = await s.partial(liar)
    await putAll(partial, bytes, real.chunkList)
    await expect(partial.complete()).rejects.toThrow(/inconsistent/)
    expect(await s.has(liar.hash)).toBe(false)
    expect(await readdir(join(s.dir, 'partial'))).toEqual([])
  })

  it('reads a blob chunk by chunk through one reader, and refuses an index outside the blob', async () => {
    const s = await store()
    const bytes = randomBytes(2 * BLOB_CHUNK_BYTES + 3)
    const info = await s.put(bytes)
    const reader = await s.openChunks(info.hash)
    const chunks = [await reader.readChunk(2), await reader.readChunk(0), await reader.readChunk(1)]
    expect(Buffer.concat([chunks[1]!, chunks[2]!, chunks[0]!]).equals(bytes)).toBe(true)
    await expect(reader.readChunk(3)).rejects.toThrow(BlobNotFoundError)
    await reader.close()
    await reader.close()
    expect(Buffer.from(await s.readChunk(info.hash, 2)).equals(bytes.subarray(2 * BLOB_CHUNK_BYTES))).toBe(true)
  })

  it('resumes without a chunk that the log names but the disk lost (a crash before it was written back): it is fetched again', async () => {
    const s = await store()
    const bytes = randomBytes(3 * BLOB_CHUNK_BYTES)
    const { info, chunkList } = describeBlob(bytes, nodeHasher)
    const first = await s.partial(info)
    await putAll(first, bytes, chunkList)
    await first.close()
    // The log reached the disk, the last chunk's bytes did not: the file reads zeros there.
    const fh = await open(join(partialDir(s, info), 'data'), 'r+')
    await fh.write(Buffer.alloc(BLOB_CHUNK_BYTES), 0, BLOB_CHUNK_BYTES, 2 * BLOB_CHUNK_BYTES)
    await fh.close()
    const again = await new FsBlobStore(s.dir).partial(info)
    expect([...again.received()].sort()).toEqual([0, 1])
    await again.putChunk(2, bytes.subarray(2 * BLOB_CHUNK_BYTES))
    expect(await again.complete()).toEqual(info)
    expect(Buffer.from(await s.get(info.hash)).equals(bytes)).toBe(true)
  })
})

describe('FsBlobStore fsyncs', () => {
  it('fsyncs a download three times, all when it completes (its bytes, its chunk list, their directory), none on the way', async () => {
    const s = await store()
    const bytes = randomBytes(3 * BLOB_CHUNK_BYTES + 5)
    const { info, chunkList } = describeBlob(bytes, nodeHasher)
    const syncs = await countSyncs(tmpdir())
    const partial = await s.partial(info)
    await putAll(partial, bytes, chunkList)
    expect(syncs.count).toBe(0)
    await partial.complete()
    expect(syncs.count).toBe(3)
    expect(Buffer.from(await s.get(info.hash)).equals(bytes)).toBe(true)
  })
})

describe('FsBlobStore on disk after a crash', () => {
  it('starts a download over when the chunk list it kept was torn or lost (it is not fsynced), and completes it', async () => {
    const s = await store()
    const bytes = randomBytes(2 * BLOB_CHUNK_BYTES + 7)
    const { info, chunkList } = describeBlob(bytes, nodeHasher)
    const first = await s.partial(info)
    await putAll(first, bytes, chunkList)
    await first.close()
    // What the disk may show after a crash: the renamed list without its bytes.
    await writeFile(join(partialDir(s, info), 'chunks'), new Uint8Array(chunkList.length))
    const again = await new FsBlobStore(s.dir).partial(info)
    expect(again.chunkList()).toBeNull()
    expect([...again.received()]).toEqual([])
    await putAll(again, bytes, chunkList)
    expect(await again.complete()).toEqual(info)
    expect(Buffer.from(await s.get(info.hash)).equals(bytes)).toBe(true)
  })

  it('holds a blob only once its chunk list is beside its bytes: bytes renamed into place alone are not served, and are replaced', async () => {
    const s = await store()
    const bytes = randomBytes(BLOB_CHUNK_BYTES + 3)
    const { info } = describeBlob(bytes, nodeHasher)
    await mkdir(join(s.dir, 'sha256', info.hash.slice(0, 2)), { recursive: true })
    await writeFile(join(s.dir, 'sha256', info.hash.slice(0, 2), info.hash), bytes.subarray(0, 10))
    expect(await s.has(info.hash)).toBe(false)
    expect(await s.list()).toEqual([])
    expect(await s.put(bytes)).toEqual(info)
    expect(Buffer.from(await s.get(info.hash)).equals(bytes)).toBe(true)
  })

  it('drops what an interrupted put left in tmp/ once it is older than STALE_BLOB_UPLOAD_MS, and nothing newer', async () => {
    const s = await store()
    await mkdir(join(s.dir, 'tmp'), { recursive: true })
    const old = `${Date.now() - STALE_BLOB_UPLOAD_MS - 60_000}-0123456789ab`
    const recent = `${Date.now() - 60_000}-ba9876543210`
    await writeFile(join(s.dir, 'tmp', old), randomBytes(100))
    await writeFile(join(s.dir, 'tmp', recent), randomBytes(100))
    await s.put(randomBytes(10))
    expect(await readdir(join(s.dir, 'tmp'))).toEqual([recent])
  })

  it('leaves no temporary file beside what it wrote', async () => {
    const s = await store()
    const bytes = randomBytes(2 * BLOB_CHUNK_BYTES + 1)
    const { info, chunkList } = describeBlob(bytes, nodeHasher)
    const partial = await s.partial(info)
    await putAll(partial, bytes, chunkList)
    await partial.complete()
    const put = await s.put(randomBytes(5))
    for (const hash of [info.hash, put.hash]) {
      expect((await readdir(join(s.dir, 'sha256', hash.slice(0, 2)))).filter((n) => n.startsWith(hash) || n.startsWith('.')).sort()).toEqual([hash, `${hash}.chunks`])
    }
    expect(await readdir(join(s.dir, 'tmp'))).toEqual([])
  })
})
