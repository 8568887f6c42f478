/**
 * A peer the gate refuses mid-session is told why, even when the refusing side still has frames
 * queued for it behind backpressure: the refusal's error message goes out after them, and only then
 * does the stream close. (Closing first dropped the queue with the reason in it, and the peer saw
 * nothing but a clean end of stream.)
 */
import * as A from '@automerge/automerge'
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Libp2pNetworkAdapter, type CosmoNode, type SessionClosedEvent } from '../src/index.js'
import { dial, startNode, waitFor } from './helpers.js'
import { join, RawStream } from './raw-peer.js'

const REFUSAL = 'no more from you for now'

/** `bytes` of seeded noise as base64 (it does not compress, so the sync message stays large). */
function noise(bytes: number, seed: number): string {
  const out = Buffer.alloc(bytes)
  let x = seed
  for (let i = 0; i < bytes; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out.toString('base64')
}

let listener: CosmoNode
let repo: Repo
let peer: CosmoNode
const closed: SessionClosedEvent[] = []
let big = ''
let refused = ''

beforeAll(async () => {
  ;[listener, peer] = await Promise.all([startNode(), startNode()])
  const adapter = new Libp2pNetworkAdapter(listener, {
    onSessionClosed: (e) => closed.push(e),
    gate: {
      admit: () => null,
      inbound: (_peer, message) => ('documentId' in message && message.documentId === refused ? { code: 'over-limit', message: REFUSAL } : null),
    },
  })
  repo = new Repo({ network: [adapter], peerId: listener.peerId.toString() as PeerId, sharePolicy: async () => true })
  // Several megabytes of history: its first sync message is far more than a stream's window.
  const handle = repo.create<{ blobs: string[] }>({ blobs: [] })
  for (let i = 0; i < 8; i++) handle.change((d) => void d.blobs.push(noise(512 * 1024, i + 1)))
  big = handle.documentId
  refused = repo.create({ other: true }).documentId
  await dial(peer, listener)
}, 60_000)

afterAll(async () => {
  await repo.shutdown()
  await Promise.all([listener.stop(), peer.stop()])
})

describe('a refused peer with frames still queued for it', () => {
  it('gets the refusal after them, then a closed stream', async () => {
    const raw = await RawStream.open(peer, listener)
    const ended = new Promise<void>((resolve) => raw.stream.addEventListener('end', () => resolve(), { once: true }))
    const me = peer.peerId.toString()
    raw.sendMessage(join(me))
    await raw.nextOfType('peer')
    // Stop reading, ask for the large document: its answer queues up behind the full window.
    raw.stream.pause()
    const ask = A.generateSyncMessage(A.init(), A.initSyncState())[1]!
    raw.sendMessage({ type: 'request', senderId: me, targetId: listener.peerId.toString(), documentId: big, data: ask })
    await new Promise((r) => setTimeout(r, 1_000))
    raw.sendMessage({ type: 'request', senderId: me, targetId: listener.peerId.toString(), documentId: refused, data: ask })
    await waitFor(() => closed.some((e) => e.error?.name === 'PeerRefusedError'), 5_000, 'the listener to refuse the peer')
    raw.stream.resume()
    // The listener is done with the stream once it has sent everything: it closes its end.
    await ended
    expect(raw.received.find((m) => m.type === 'sync' && m.documentId === big)).toBeDefined()
    expect(raw.received.at(-1)).toMatchObject({ type: 'error', message: REFUSAL })
  }, 30_000)
})
