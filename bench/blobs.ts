/**
 * Attachment throughput: one blob moved disk to disk between two Node peers over libp2p
 * (`fetchBlob`: blob protocol, Noise, yamux, per-chunk verification, FsBlobStore on both sides),
 * against a plain TCP copy (node:net) of the same file between two sockets on loopback, written to
 * disk on the receiving side, in the same run. Both include opening the connection.
 *
 * Measured twice: with the sending side in this process (one event loop runs both peers, which
 * costs libp2p more than the TCP copy: both ends' encryption, framing and hashing share one
 * thread, while the copy's work is mostly the kernel's and libuv's) and with the sending side in
 * its own process (blob-sender.ts), as two peers on two machines would be.
 */
import { createIdentity, type BlobInfo } from '@cosmolocal/core'
import { BlobService, createNodePeer, fetchBlob, FsBlobStore } from '@cosmolocal/net'
import { multiaddr } from '@multiformats/multiaddr'
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { progress } from './progress.ts'
import { median } from './stats.ts'
import type { Row } from './table.ts'

/** What the sender process (blob-sender.ts) tells its parent. */
export interface SenderHello {
  addrs: string[]
  info: BlobInfo
  tcpPort: number
}

export const SENDER_PLACEMENTS = ['same process', 'own process'] as const
export type SenderPlacement = (typeof SENDER_PLACEMENTS)[number]

export interface BlobBenchResult {
  sizeBytes: number
  placement: SenderPlacement
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

async function tcpRun(port: number, out: string): Promise<number> {
  const t0 = performance.now()
  const socket = connect(port, '127.0.0.1')
  await pipeline(socket, createWriteStream(out))
  return performance.now() - t0
}

interface Sender {
  source: { addrs: string[]; info: BlobInfo }
  tcpPort: number
  stop(): Promise<void>
}

async function senderHere(file: string, bytes: Uint8Array, storeDir: string): Promise<Sender> {
  const node = await createNodePeer({ privateKey: (await createIdentity('bench sender')).privateKey, listen: ['/ip4/127.0.0.1/tcp/0'] })
  const store = new FsBlobStore(storeDir)
  const info = await store.put(bytes)
  await new BlobService(node, { store, mayServe: async (h) => h === info.hash }).start()
  const server = createServer((socket) => void pipeline(createReadStream(file), socket).catch(() => undefined))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    source: { addrs: node.getMultiaddrs().map(String), info },
    tcpPort: (server.address() as AddressInfo).port,
    stop: async () => {
      server.close()
      await node.stop()
    },
  }
}

async function senderProcess(file: string, storeDir: string): Promise<Sender> {
  const child = fork(fileURLToPath(new URL('./blob-sender.ts', import.meta.url)), [file, storeDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const hello = await new Promise<SenderHello>((resolve, reject) => {
    child.once('message', (m) => resolve(m as SenderHello))
    child.once('exit', (code) => reject(new Error(`the blob sender process exited (code ${code})`)))
  })
  return {
    source: { addrs: hello.addrs, info: hello.info },
    tcpPort: hello.tcpPort,
    stop: async () => {
      child.disconnect()
      await exited
    },
  }
}

export async function measureBlobs(sizeBytes: number, runs: number, placement: SenderPlacement = 'same process'): Promise<BlobBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-bench-blobs-'))
  let sender: Sender | undefined
  try {
    const bytes = randomBytes(sizeBytes)
    const file = join(dir, 'source')
    await writeFile(file, bytes)
    sender = placement === 'same process' ? await senderHere(file, bytes, join(dir, 'sender')) : await senderProcess(file, join(dir, 'sender'))
    const result: BlobBenchResult = { sizeBytes, placement, libp2pMs: [], tcpMs: [] }
    for (let run = 0; run < runs; run++) {
      // Alternate which goes first; the first run of each is a warm-up.
      const order = run % 2 === 0 ? (['libp2p', 'tcp'] as const) : (['tcp', 'libp2p'] as const)
      for (const t of order) {
        const target = join(dir, `${t}-${run}`)
        const ms = t === 'libp2p' ? await libp2pRun(sender.source, target) : await tcpRun(sender.tcpPort, target)
        if (run > 0) (t === 'libp2p' ? result.libp2pMs : result.tcpMs).push(ms)
        progress(`  attachment ${sizeBytes / 1024 / 1024} MB, sender in ${placement}, ${t}, run ${run}${run === 0 ? ' (warm-up)' : ''}: ${ms.toFixed(0)} ms`)
        await rm(target, { recursive: true, force: true })
      }
    }
    return result
  } finally {
    await sender?.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

export function blobRows(r: BlobBenchResult): Row[] {
  return [
    {
      benchmark: `attachment ${r.sizeBytes / 1024 / 1024} MB peer to peer, disk to disk, sender in ${r.placement} (stock: plain TCP copy)`,
      libp2p: median(r.libp2pMs),
      stock: median(r.tcpMs),
    },
  ]
}
