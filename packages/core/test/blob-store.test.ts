/** The one verifying blob store over the memory backend: the conformance suite every backend passes. */
import { describe, expect, it } from 'vitest'
import { describeBlob, MemoryBlobBackend, MemoryBlobStore, verifyChunkWith, webCryptoDigest } from '../src/index.js'
import { runBlobStoreTests, sampleBytes } from '../src/test-support.js'

runBlobStoreTests(async () => {
  const backend = new MemoryBlobBackend()
  return { store: new MemoryBlobStore(backend), reopen: async () => new MemoryBlobStore(backend) }
}, 'memory')

// Chunks verified on this thread with the portable sha-256, where a platform has no WebCrypto.
runBlobStoreTests(async () => {
  const backend = new MemoryBlobBackend()
  return { store: new MemoryBlobStore(backend, { digest: null }), reopen: async () => new MemoryBlobStore(backend, { digest: null }) }
}, 'memory, chunks hashed on this thread')

describe('verifying a chunk with WebCrypto', () => {
  it('accepts a chunk that matches its entry and refuses one that does not, like the synchronous check', async () => {
    const bytes = sampleBytes(2 * 1024 * 1024 + 3)
    const { info, chunkList } = describeBlob(bytes)
    const digest = webCryptoDigest!
    await verifyChunkWith(digest, info, chunkList, 1, bytes.subarray(1024 * 1024, 2 * 1024 * 1024))
    await verifyChunkWith(digest, info, chunkList, 2, bytes.subarray(2 * 1024 * 1024))
    const bad = bytes.slice(0, 1024 * 1024)
    bad[7] = bad[7]! ^ 1
    await expect(verifyChunkWith(digest, info, chunkList, 0, bad)).rejects.toMatchObject({ name: 'BlobIntegrityError' })
    await expect(verifyChunkWith(digest, info, chunkList, 3, bytes.subarray(0, 3))).rejects.toMatchObject({ name: 'BlobIntegrityError' })
  })
})
