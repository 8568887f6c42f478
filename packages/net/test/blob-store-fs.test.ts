/** The Node blob store's download state on a real disk: what it keeps, what it checks before completing. */
import { randomBytes } from 'node:crypto'
import { mkdtemp, open, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BLOB_CHUNK_BYTES, BlobIntegrityError, BlobNotFoundError, describeBlob, type BlobInfo, type PartialBlob } from '@cosmolocal/core'
import { FsBlobStore, nodeHasher } from '../src/index.js'

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
})
