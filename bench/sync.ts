/**
 * Time to sync a hub's designs to a fresh peer: a new peer with an empty in-memory Repo connects
 * to the hub over one transport and finds every document of every design, until each one has the
 * heads the hub holds. The clock runs from before the connection is opened (the libp2p dial with
 * its Noise and yamux handshakes, or the WebSocket upgrade) to the last document complete; the
 * connection part is also reported alone.
 *
 * Two ways of asking: `sequential` finds one document at a time (what `cosmo pull` / `syncAll`
 * in packages/hub/src/client.ts do today), so it is bound by round trips; `concurrent` asks for
 * every document at once, so it is bound by throughput.
 */
import type { DocHandle, DocumentId } from '@automerge/automerge-repo'
import { createIdentity } from '@cosmolocal/core'
import { untilHeads } from './heads.ts'
import { connectPeer, type Transport } from './peers.ts'
import type { SeededHub } from './seed.ts'

export const SYNC_MODES = ['sequential', 'concurrent'] as const
export type SyncMode = (typeof SYNC_MODES)[number]

export interface SyncSample {
  /** From opening the connection to the sync session being up. */
  connectMs: number
  /** From the session being up to every document complete. */
  fetchMs: number
  totalMs: number
}

export async function measureSync(seeded: SeededHub, transport: Transport, mode: SyncMode): Promise<SyncSample> {
  const ids = [...seeded.documents.keys()]
  const identity = await createIdentity('fresh')
  const t0 = performance.now()
  const peer = await connectPeer(transport, seeded.hub, identity)
  try {
    const t1 = performance.now()
    const complete = async (id: DocumentId): Promise<void> => {
      const handle = await peer.repo.find<unknown>(id)
      await untilHeads(handle as DocHandle<unknown>, seeded.documents.get(id)!, 60_000)
    }
    if (mode === 'sequential') {
      for (const id of ids) await complete(id)
    } else {
      await Promise.all(ids.map(complete))
    }
    const t2 = performance.now()
    const held = Object.values(peer.repo.handles).filter((h) => h.isReady()).length
    if (held !== ids.length) throw new Error(`the fresh peer holds ${held} documents, expected ${ids.length}`)
    return { connectMs: t1 - t0, fetchMs: t2 - t1, totalMs: t2 - t0 }
  } finally {
    await peer.stop()
  }
}
