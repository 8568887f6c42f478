/**
 * Attachment throughput: one blob moved disk to disk between two Node peers over libp2p
 * (`fetchBlob`: blob protocol, Noise, yamux, per-chunk verification, FsBlobStore on both sides),
 * against a plain TCP copy (node:net) of the same file between two sockets on loopback, written to
 * disk on the receiving side, in the same run. Both include opening the connection.
 */
import { createIdentity, type BlobInfo } from '@cosmolocal/core'
import { BlobService, createNodePeer, fetchBlob, FsBlobStore } from '@cosmolocal/net'
import { multiaddr } from '@multiformats/multiaddr'
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { progress } from './progress.ts'
import { median } from './stats.ts'
import type { Row } from './table.ts'

export interface BlobBenchResult {
  sizeBytes: number
  libp2pMs: number[]
  tcpMs: number[]
}

async function libp2pRun(source: { addrs: string[]; info: BlobInfo }, dir: string): Promise<number> {
  const node = await createNodePeer({ privateKey: (await createIdentity('bench receiver')).privateKey, listen: [] })
  try {
    const store = new FsBlobStore(dir)
    const t0 = performance.now()
    const conn = await node.dial(multiaddr(source.addrs[0]!))
    await fetchBlob(node, store, source.info, { peers: [conn.remotePeer], askConnected: false })
    return performance.now() - t0
  } finally {
    await node.stop()
  }
}

async function tcpRun(file: string, out: string): Promise<number> {
  const server = createServer((socket) => void pipeline(createReadStream(file), socket).catch(() => undefined))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  try {
    const t0 = performance.now()
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1')
    await pipeline(socket, createWriteStream(out))
    return performance.now() - t0
  } finally {
    server.close()
  }
}

export async function measureBlobs(sizeBytes: number, runs: number): Promise<BlobBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-bench-blobs-'))
  const sender = await createNodePeer({ privateKey: (await createIdentity('bench sender')).privateKey, listen: ['/ip4/127.0.0.1/tcp/0'] })
  try {
    const bytes = randomBytes(sizeBytes)
    const file = join(dir, 'source')
    await writeFile(file, bytes)
    const store = new FsBlobStore(join(dir, 'sender'))
    const info = await store.put(bytes)
    await new BlobService(sender, { store, mayServe: async (h) => h === info.hash }).start()
    const source = { addrs: sender.getMultiaddrs().map(String), info }
    const result: BlobBenchResult = { sizeBytes, libp2pMs: [], tcpMs: [] }
    for (let run = 0; run < runs; run++) {
      // Alternate which goes first; the first run of each is a warm-up.
      const order = run % 2 === 0 ? (['libp2p', 'tcp'] as const) : (['tcp', 'libp2p'] as const)
      for (const t of order) {
        const target = join(dir, `${t}-${run}`)
        const ms = t === 'libp2p' ? await libp2pRun(source, target) : await tcpRun(file, target)
        if (run > 0) (t === 'libp2p' ? result.libp2pMs : result.tcpMs).push(ms)
        progress(`  attachment ${sizeBytes / 1024 / 1024} MB, ${t}, run ${run}${run === 0 ? ' (warm-up)' : ''}: ${ms.toFixed(0)} ms`)
        await rm(target, { recursive: true, force: true })
      }
    }
    return result
  } finally {
    await sender.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

export function blobRows(r: BlobBenchResult): Row[] {
  return [
    {
      benchmark: `attachment ${r.sizeBytes / 1024 / 1024} MB peer to peer, disk to disk (stock: plain TCP copy)`,
      libp2p: median(r.libp2pMs),
      stock: median(r.tcpMs),
    },
  ]
}
