/**
 * Time to sync a hub's designs to a fresh peer: a new peer with an empty in-memory Repo connects
 * to the hub over one transport and finds every document of every design, until each one has the
 * heads the hub holds. The clock runs from before the connection is opened (the libp2p dial with
 * its Noise and yamux handshakes, or the WebSocket upgrade) to the last document complete; the
 * connection part is also reported alone.
 *
 * Two ways of asking: `sequential` finds one document at a time (what `cosmo pull` / `syncAll`
 * in packages/hub/src/client.ts do today), so it is bound by round trips; `windowed` keeps
 * WINDOW finds in flight, so it is bound by throughput.
 *
 * Not "everything at once": with 3,000 finds outstanding the hub queues megabytes of answers
 * ahead of everything else on the connection, the peer takes seconds to work through them, and
 * both transports' liveness checks give up behind that queue (libp2p's connection monitor ping,
 * 5 s minimum timeout; the stock WebSocket server's 5 s keep-alive ping), dropping the connection
 * and failing every pending find. See README.md.
 */
import type { DocHandle, DocumentId } from '@automerge/automerge-repo'
import { createIdentity } from '@cosmolocal/core'
import { untilHeads } from './heads.ts'
import { connectPeer, type Transport } from './peers.ts'
import type { SeededHub } from './seed.ts'

export const SYNC_MODES = ['sequential', 'windowed'] as const

/** Finds in flight in `windowed` mode. */
export const WINDOW = 32
export type SyncMode = (typeof SYNC_MODES)[number]

export interface SyncSample {
  /** From opening the connection to the sync session being up. */
  connectMs: number
  /** From the session being up to every document complete. */
  fetchMs: number
  totalMs: number
}

/** A run that did not complete, and why. */
export interface SyncFailure {
  failed: string
  afterMs: number
  documentsDone: number
}

export type SyncOutcome = SyncSample | SyncFailure

export const isFailure = (o: SyncOutcome): o is SyncFailure => 'failed' in o

export async function measureSync(seeded: SeededHub, transport: Transport, mode: SyncMode): Promise<SyncOutcome> {
  const ids = [...seeded.documents.keys()]
  const identity = await createIdentity('fresh')
  const t0 = performance.now()
  const peer = await connectPeer(transport, seeded.hub, identity)
  let done = 0
  let dropped: number | null = null
  peer.repo.networkSubsystem.on('peer-disconnected', () => {
    dropped ??= performance.now() - t0
  })
  try {
    const t1 = performance.now()
    const complete = async (id: DocumentId): Promise<void> => {
      const handle = await peer.repo.find<unknown>(id)
      await untilHeads(handle as DocHandle<unknown>, seeded.documents.get(id)!, 60_000)
      done++
    }
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < ids.length) await complete(ids[next++]!)
    }
    try {
      await Promise.all(Array.from({ length: mode === 'sequential' ? 1 : WINDOW }, worker))
    } catch (err) {
      next = ids.length
      const end = peer.sessionEnd?.(seeded.hub.id)
      const why = dropped === null ? (err as Error).message : `the connection to the hub dropped after ${(dropped / 1000).toFixed(1)} s${end === undefined ? '' : ` (${end})`}`
      return { failed: why, afterMs: performance.now() - t0, documentsDone: done }
    }
    const t2 = performance.now()
    const held = Object.values(peer.repo.handles).filter((h) => h.isReady()).length
    if (held !== ids.length) throw new Error(`the fresh peer holds ${held} documents, expected ${ids.length}`)
    return { connectMs: t1 - t0, fetchMs: t2 - t1, totalMs: t2 - t0 }
  } finally {
    await peer.stop()
  }
}
