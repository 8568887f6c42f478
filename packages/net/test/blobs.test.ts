/** Blob exchange between real libp2p nodes on loopback, with real stores on disk. */
import { randomBytes } from 'node:crypto'
import { mkdtemp, open, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BLOB_CHUNK_BYTES, chunkCount, type BlobHash, type BlobInfo } from '@cosmolocal/core'
import { BlobService, BlobUnavailableError, fetchBlob, FsBlobStore, whoHas, type ChunkServedEvent, type CosmoNode } from '../src/index.js'
import { startNode } from './helpers.js'

interface BlobPeer {
  node: CosmoNode
  store: FsBlobStore
  dir: string
  served: ChunkServedEvent[]
  shared: Set<BlobHash>
}

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function blobPeer(): Promise<BlobPeer> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-blobs-'))
  const node = await startNode()
  const store = new FsBlobStore(dir)
  const served: ChunkServedEvent[] = []
  const shared = new Set<BlobHash>()
  const service = new BlobService(node, { store, mayServe: async (h) => shared.has(h), onChunkServed: (e) => served.push(e) })
  await service.start()
  cleanup.push(async () => {
    await node.stop()
    await rm(dir, { recursive: true, force: true })
  })
  return { node, store, dir, served, shared }
}

async function holding(bytes: Uint8Array): Promise<{ peer: BlobPeer; info: BlobInfo }> {
  const peer = await blobPeer()
  const info = await peer.store.put(bytes)
  peer.shared.add(info.hash)
  return { peer, info }
}

describe('blob exchange over libp2p', () => {
  it('moves a 50 MB attachment between two peers, byte-identical, with progress', async () => {
    const bytes = randomBytes(50 * 1024 * 1024)
    const { peer: a, info } = await holding(bytes)
    const b = await blobPeer()
    await b.node.dial(a.node.getMultiaddrs())
    const seen: number[] = []
    const result = await fetchBlob(b.node, b.store, info, { onProgress: (p) => seen.push(p.receivedBytes) })
    expect(result.info).toEqual(info)
    expect(result.fetched).toHaveLength(chunkCount(bytes.length))
    expect(Buffer.from(await b.store.get(info.hash)).equals(bytes)).toBe(true)
    expect(seen.at(-1)).toBe(bytes.length)
    expect(seen).toEqual([...seen].sort((x, y) => x - y))
    // Stored on disk under its hash, with nothing left of the download.
    expect(Buffer.from(await readFile(join(b.dir, 'sha256', info.hash.slice(0, 2), info.hash))).equals(bytes)).toBe(true)
    expect(await b.store.list()).toEqual([info.hash])
  })

  it('detects a peer serving corrupted chunks and gets the file from another peer', async () => {
    const bytes = randomBytes(6 * BLOB_CHUNK_BYTES + 1000)
    const { peer: bad, info } = await holding(bytes)
    const { peer: good } = await holding(bytes)
    // The bad peer's copy rots on disk in its fourth chunk: it still claims the blob and serves it.
    const fh = await open(join(bad.dir, 'sha256', info.hash.slice(0, 2), info.hash), 'r+')
    await fh.write(Buffer.from('garbage!'), 0, 8, 3 * BLOB_CHUNK_BYTES + 17)
    await fh.close()
    const c = await blobPeer()
    await c.node.dial(bad.node.getMultiaddrs())
    await c.node.dial(good.node.getMultiaddrs())
    const result = await fetchBlob(c.node, c.store, info, { peers: [bad.node.peerId, good.node.peerId] })
    expect(result.attempts[0]).toMatchObject({ peer: bad.node.peerId.toString(), chunks: 3 })
    expect(result.attempts[0]!.error).toMatch(/chunk 3 .* does not match its hash/)
    expect(result.attempts[1]).toMatchObject({ peer: good.node.peerId.toString(), error: null })
    // Chunks 0-2 from the bad peer verified and were kept; the good peer sent only the rest.
    expect(good.served.map((e) => e.index)).toEqual([3, 4, 5, 6])
    expect(Buffer.from(await c.store.get(info.hash)).equals(bytes)).toBe(true)
  })

  it('resumes a transfer cut halfway without fetching again the chunks it already has, across a restart', async () => {
    const bytes = randomBytes(40 * BLOB_CHUNK_BYTES)
    const { peer: a, info } = await holding(bytes)
    const b = await blobPeer()
    await b.node.dial(a.node.getMultiaddrs())
    const err = await fetchBlob(b.node, b.store, info, {
      peers: [a.node.peerId],
      askConnected: false,
      onProgress: (p) => {
        // Kill the connection mid-transfer.
        if (p.chunks === 15) void b.node.hangUp(a.node.peerId)
      },
    }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(BlobUnavailableError)
    expect(await b.store.has(info.hash)).toBe(false)

    // A new store on the same directory: what a restarted process sees.
    const again = new FsBlobStore(b.dir)
    const kept = (await again.partial(info)).received()
    expect(kept.size).toBeGreaterThanOrEqual(15)
    const servedBefore = a.served.length
    await b.node.dial(a.node.getMultiaddrs())
    const result = await fetchBlob(b.node, again, info, { peers: [a.node.peerId] })
    expect(result.resumed).toBe(kept.size)
    const servedAfter = a.served.slice(servedBefore).map((e) => e.index)
    expect(servedAfter.filter((i) => kept.has(i))).toEqual([])
    expect(servedAfter.length + kept.size).toBe(40)
    expect(Buffer.from(await again.get(info.hash)).equals(bytes)).toBe(true)
  })

  it('serves only blobs its policy shares, and says so in have answers', async () => {
    const { peer: a, info } = await holding(randomBytes(1000))
    const secret = await a.store.put(randomBytes(2000))
    const b = await blobPeer()
    await b.node.dial(a.node.getMultiaddrs())
    const holders = await whoHas(b.node, [a.node.peerId], [info.hash, secret.hash])
    expect(holders.get(info.hash)?.map(String)).toEqual([a.node.peerId.toString()])
    expect(holders.has(secret.hash)).toBe(false)
    const err = await fetchBlob(b.node, b.store, secret, { peers: [a.node.peerId] }).then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(BlobUnavailableError)
    expect((err as Error).message).toMatch(/does not serve it/)
    expect(a.served).toEqual([])
  })

  it('a store refuses bytes that do not match the expected hash, and leaves nothing behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cosmo-blobs-'))
    cleanup.push(() => rm(dir, { recursive: true, force: true }))
    const store = new FsBlobStore(dir)
    const good = await store.put(Buffer.from('hello'))
    await expect(store.put(Buffer.from('hellO'), { hash: good.hash })).rejects.toThrow(/expected/)
    expect(await store.list()).toEqual([good.hash])
  })
})
