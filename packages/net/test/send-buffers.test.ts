/**
 * A blob server's chunk buffers: lent per stream, taken back only once Noise (nodeNoiseCrypto) has
 * encrypted every byte lent in one; and, over real libp2p, a download that reads its chunks into
 * about a window's worth of buffers and still arrives byte-identical.
 */
import { BLOB_CHUNK_BYTES, chunkCount } from '@cosmolocal/core'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Uint8ArrayList } from 'uint8arraylist'
import { afterEach, describe, expect, it } from 'vitest'
import { BLOB_PROTOCOL, BlobService, encodeBlobMessage, encodeFrame, fetchBlob, FrameDecoder, FsBlobStore, parseBlobResponse, type BlobResponse } from '../src/index.js'
import { MAX_BLOB_FRAME_BYTES, MAX_CHUNKS_IN_FLIGHT } from '../src/limits.js'
import { nodeNoiseCrypto } from '../src/noise-node.js'
import { SendBufferPool, sendBufferCounts } from '../src/send-buffers.js'
import { startNode, waitFor } from './helpers.js'

const k = randomBytes(32)
const ad = randomBytes(32)
const nonce = Buffer.alloc(12)
/** Encrypts `bytes` as Noise does, in messages of at most 65,519 bytes. */
function encryptAll(bytes: Uint8Array | Uint8ArrayList): void {
  for (let i = 0; i < bytes.byteLength; i += 65_519) {
    const end = Math.min(bytes.byteLength, i + 65_519)
    nodeNoiseCrypto.chaCha20Poly1305Encrypt(bytes instanceof Uint8Array ? bytes.subarray(i, end) : bytes.sublist(i, end), nonce, ad, k)
  }
}

const SIZE = 256 * 1024

describe('SendBufferPool', () => {
  it('lends a buffer again only once every byte lent in it was encrypted, in whatever pieces', () => {
    const pool = new SendBufferPool(SIZE, 4)
    const first = pool.lend(SIZE - 10)
    encryptAll(new Uint8ArrayList(randomBytes(12), first.subarray(0, 1000)))
    expect(pool.lend(SIZE).buffer).not.toBe(first.buffer)
    encryptAll(first.subarray(1000))
    expect(pool.lend(100).buffer).toBe(first.buffer)
  })

  it('never lends again a buffer whose bytes were encrypted twice (a count gone wrong drops it)', () => {
    const pool = new SendBufferPool(SIZE, 4)
    const lent = pool.lend(2000)
    const counted = pool.lend(2000)
    encryptAll(lent.subarray(0, 1500))
    encryptAll(lent.subarray(1000))
    encryptAll(counted)
    const next = [pool.lend(2000), pool.lend(2000)].map((b) => b.buffer)
    expect(next).toContain(counted.buffer)
    expect(next).not.toContain(lent.buffer)
    encryptAll(lent)
    expect(pool.lend(2000).buffer).not.toBe(lent.buffer)
  })

  it('gives a buffer back to the pool that lent it, never to another stream’s', () => {
    const a = new SendBufferPool(SIZE, 4)
    const b = new SendBufferPool(SIZE, 4)
    const lent = a.lend(SIZE)
    encryptAll(lent)
    expect(b.lend(SIZE).buffer).not.toBe(lent.buffer)
    expect(a.lend(SIZE).buffer).toBe(lent.buffer)
  })

  it('keeps at most as many buffers as it was told, and none once cleared', () => {
    const pool = new SendBufferPool(SIZE, 2)
    const lent = [pool.lend(SIZE), pool.lend(SIZE), pool.lend(SIZE)]
    for (const b of lent) encryptAll(b)
    const again = [pool.lend(SIZE), pool.lend(SIZE), pool.lend(SIZE)].map((b) => b.buffer)
    expect(again.filter((b) => lent.some((l) => l.buffer === b))).toHaveLength(2)
    const kept = pool.lend(SIZE)
    pool.clear()
    encryptAll(kept)
    expect(lent.map((l) => l.buffer)).not.toContain(pool.lend(SIZE).buffer)
    expect(pool.lend(SIZE).buffer).not.toBe(kept.buffer)
  })

  it('gives a length beyond its buffers (or none) a buffer of its own, never lent again', () => {
    const pool = new SendBufferPool(SIZE, 2)
    const big = pool.lend(SIZE + 1)
    const small = pool.lend(SIZE)
    expect(big.byteLength).toBe(SIZE + 1)
    encryptAll(big)
    encryptAll(small)
    const next = [pool.lend(SIZE), pool.lend(SIZE)].map((b) => b.buffer)
    expect(next).toContain(small.buffer)
    expect(next).not.toContain(big.buffer)
    expect(pool.lend(0).byteLength).toBe(0)
  })
})

describe('a blob server’s chunk buffers over libp2p', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn()
  })

  it('reads a 24-chunk blob into at most twice a window of buffers, and the download is byte-identical', async () => {
    const dirs = await Promise.all([0, 1].map(() => mkdtemp(join(tmpdir(), 'cosmo-send-buffers-'))))
    cleanup.push(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))).then(() => undefined))
    const [server, client] = await Promise.all([startNode(), startNode()])
    cleanup.push(() => Promise.all([server.stop(), client.stop()]).then(() => undefined))
    const bytes = randomBytes(24 * BLOB_CHUNK_BYTES - 5)
    const held = new FsBlobStore(dirs[0]!)
    const info = await held.put(bytes)
    await new BlobService(server, { store: held, mayServe: async (h) => h === info.hash }).start()
    await client.dial(server.getMultiaddrs())
    const before = { ...sendBufferCounts }
    const store = new FsBlobStore(dirs[1]!)
    await fetchBlob(client, store, info, { peers: [server.peerId], askConnected: false })
    expect(Buffer.from(await store.get(info.hash)).equals(bytes)).toBe(true)
    const allocated = sendBufferCounts.allocated - before.allocated
    expect(allocated + sendBufferCounts.reused - before.reused).toBe(chunkCount(bytes.length))
    expect(allocated).toBeLessThanOrEqual(2 * MAX_CHUNKS_IN_FLIGHT)
  }, 60_000)

  it('sends every chunk intact to a downloader that stopped reading (chunks queued unencrypted keep their buffers), and reuses them after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cosmo-send-buffers-'))
    cleanup.push(() => rm(dir, { recursive: true, force: true }))
    const [server, client] = await Promise.all([startNode(), startNode()])
    cleanup.push(() => Promise.all([server.stop(), client.stop()]).then(() => undefined))
    const held = new FsBlobStore(dir)
    const bytes = randomBytes(3 * MAX_CHUNKS_IN_FLIGHT * BLOB_CHUNK_BYTES)
    const info = await held.put(bytes)
    await new BlobService(server, { store: held, mayServe: async (h) => h === info.hash }).start()
    await client.dial(server.getMultiaddrs())
    const stream = await client.dialProtocol(server.peerId, BLOB_PROTOCOL)
    const decoder = new FrameDecoder(MAX_BLOB_FRAME_BYTES)
    const answers: BlobResponse[] = []
    stream.addEventListener('message', (evt) => {
      for (const frame of decoder.push(evt.data instanceof Uint8Array ? evt.data : evt.data.subarray())) answers.push(parseBlobResponse(frame))
    })
    const ask = (chunks: number[]) => stream.send(encodeFrame(encodeBlobMessage({ t: 'want', chunks })))
    const range = (from: number) => Array.from({ length: MAX_CHUNKS_IN_FLIGHT }, (_, i) => from + i)
    stream.send(encodeFrame(encodeBlobMessage({ t: 'get', hash: info.hash })))
    await waitFor(() => answers.length === 1, 10_000, 'the chunk list')
    // Not reading: the window runs out, and what the server sends next waits in its stream unencrypted.
    stream.pause()
    const before = { ...sendBufferCounts }
    ask(range(0))
    ask(range(MAX_CHUNKS_IN_FLIGHT))
    await new Promise((resolve) => setTimeout(resolve, 500))
    stream.resume()
    await waitFor(() => answers.length === 1 + 2 * MAX_CHUNKS_IN_FLIGHT, 20_000, 'the first chunks')
    ask(range(2 * MAX_CHUNKS_IN_FLIGHT))
    await waitFor(() => answers.length === 1 + 3 * MAX_CHUNKS_IN_FLIGHT, 20_000, 'the last chunks')
    const list = answers[0]
    if (list?.t !== 'list') throw new Error('expected the chunk list first')
    answers.slice(1).forEach((answer, i) => {
      if (answer.t !== 'chunk') throw new Error(`expected chunk ${i}`)
      expect(answer.index).toBe(i)
      expect(createHash('sha256').update(answer.data).digest().equals(list.chunkList.subarray(i * 32, (i + 1) * 32))).toBe(true)
    })
    expect(sendBufferCounts.reused - before.reused).toBeGreaterThan(0)
    await stream.close()
  }, 60_000)
})
