/**
 * Edit-to-remote latency: a writer and a reader, both clients of the same hub over one transport,
 * both holding one small document. The writer changes it; the sample is the time from just before
 * `change()` to the reader's handle emitting `change` with the writer's new heads (writer → hub →
 * reader, two hops). Both transports are measured in the same rounds, alternating which goes first.
 *
 * automerge-repo throttles each document's outgoing sync to one run per 100 ms
 * (DocSynchronizer.syncDebounceRate); edits are spaced further apart than that, so the samples are
 * transport and sync work, not that timer.
 */
import type { DocHandle, PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { createIdentity } from '@cosmolocal/core'
import { headsKey, untilHeads } from './heads.ts'
import type { HubHandle } from './hub-handle.ts'
import { connectPeer, type ClientPeer, type Transport } from './peers.ts'
import { progress, sleep } from './progress.ts'

interface Counter {
  n: number
  note: string
}

interface Pair {
  writer: ClientPeer
  reader: ClientPeer
  written: DocHandle<Counter>
  read: DocHandle<Counter>
}

export interface LatencyOptions {
  warmup: number
  edits: number
  /** Pause before each edit, longer than automerge-repo's 100 ms sync throttle. */
  gapMs: number
}

async function pair(hub: HubHandle, transport: Transport): Promise<Pair> {
  const writer = await connectPeer(transport, hub, await createIdentity('writer'))
  const reader = await connectPeer(transport, hub, await createIdentity('reader'))
  // The reader reaches the writer only through the hub: check there is no direct connection.
  if (writer.node !== null && writer.node.getConnections().some((c) => c.remotePeer.toString() !== hub.id)) {
    throw new Error('the writer is connected to someone other than the hub')
  }
  const written = writer.repo.create<Counter>({ n: 0, note: 'latency probe' })
  await hub.awaitDocuments(new Map([[written.documentId, headsKey(written.heads())]]), 15_000)
  const read = await reader.repo.find<Counter>(written.url)
  if (!reader.repo.peers.includes(hub.id as RepoPeerId)) throw new Error('the reader lost the hub')
  return { writer, reader, written, read }
}

async function oneEdit(p: Pair, i: number): Promise<number> {
  const t0 = performance.now()
  p.written.change((d) => {
    d.n = i
  })
  await untilHeads(p.read as DocHandle<unknown>, headsKey(p.written.heads()), 10_000)
  return performance.now() - t0
}

export interface LatencyResult {
  /** Milliseconds, one per edit that arrived. */
  samples: number[]
  /** Edits that had not arrived after 10 s (left out of the samples). */
  lost: number
}

/** Latency samples per transport. */
export async function measureLatency(hub: HubHandle, transports: readonly Transport[], opts: LatencyOptions): Promise<Record<Transport, LatencyResult>> {
  const pairs = new Map<Transport, Pair>()
  const results = {} as Record<Transport, LatencyResult>
  try {
    for (const t of transports) {
      pairs.set(t, await pair(hub, t))
      results[t] = { samples: [], lost: 0 }
    }
    const total = opts.warmup + opts.edits
    for (let i = 1; i <= total; i++) {
      const order = i % 2 === 0 ? transports : [...transports].reverse()
      for (const t of order) {
        await sleep(opts.gapMs)
        const ms = await oneEdit(pairs.get(t)!, i).catch((err: Error) => {
          progress(`  latency, ${t}, edit ${i}: ${err.message}`)
          return null
        })
        if (i <= opts.warmup) continue
        if (ms === null) results[t].lost++
        else results[t].samples.push(ms)
      }
      if (i % 50 === 0) progress(`  latency: ${i}/${total} edits per transport`)
    }
    return results
  } finally {
    for (const p of pairs.values()) {
      await p.writer.stop()
      await p.reader.stop()
    }
  }
}
