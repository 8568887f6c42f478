/**
 * Two Repos, each on its own libp2p node with the adapter, syncing over loopback TCP: both ways,
 * a large document (backpressure), simultaneous dials, and disconnect / redial.
 */
import * as Automerge from '@automerge/automerge'
import type { DocHandle } from '@automerge/automerge-repo'
import type { Stream } from '@libp2p/interface'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { SYNC_PROTOCOL, type CosmoNode } from '../src/index.js'
import { adapterOn, dial, hasOpenSession, peerOn, startNode, startPeer, waitFor, waitForSession, type TestPeer } from './helpers.js'

interface Doc {
  title?: string
  notes?: string[]
  /** Immutable strings are one op each (a plain string is a text object, one op per character). */
  parts?: Automerge.ImmutableString[]
}

const peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map(p => p.stop()))
})

async function pair(): Promise<[TestPeer, TestPeer]> {
  const a = await startPeer()
  const b = await startPeer()
  peers.push(a, b)
  return [a, b]
}

function syncStreams(peer: TestPeer, remote: TestPeer): Stream[] {
  return peer.node
    .getConnections(remote.node.peerId)
    .flatMap(c => c.streams)
    .filter(s => s.protocol === SYNC_PROTOCOL && s.status === 'open')
}

function sameHeads<T>(a: DocHandle<T>, b: DocHandle<T>): boolean {
  return JSON.stringify(Automerge.getHeads(a.doc())) === JSON.stringify(Automerge.getHeads(b.doc()))
}

describe('sync between two Repos', () => {
  it('syncs a document both ways', async () => {
    const [alice, bob] = await pair()
    await dial(alice.node, bob.node)
    await waitForSession(alice, bob)

    const aliceHandle = alice.repo.create<Doc>({ title: 'bench vice' })
    const bobHandle = await bob.repo.find<Doc>(aliceHandle.url)
    expect(bobHandle.doc().title).toBe('bench vice')

    bobHandle.change(d => {
      d.title = 'bench vice, mk II'
    })
    await waitFor(() => aliceHandle.doc().title === 'bench vice, mk II', 10_000, "alice to see bob's edit")
    expect(sameHeads(aliceHandle, bobHandle)).toBe(true)
  })

  it('syncs a document of several MB, waiting for the stream to drain', async () => {
    const [alice, bob] = await pair()
    await dial(alice.node, bob.node)
    await waitForSession(alice, bob)

    // Incompressible data in many changes: about 6 MB that must cross in frames far larger than
    // yamux's send window.
    const handle = alice.repo.create<Doc>({ parts: [] })
    for (let i = 0; i < 3_000; i++) {
      handle.change(d => {
        d.parts?.push(new Automerge.ImmutableString(randomBytes(1_500).toString('base64')))
      })
    }
    const size = Automerge.save(handle.doc()).byteLength
    expect(size).toBeGreaterThan(4 * 1024 * 1024)

    const [stream] = syncStreams(alice, bob)
    let drains = 0
    stream?.addEventListener('drain', () => drains++)

    const started = Date.now()
    const bobHandle = await bob.repo.find<Doc>(handle.url)
    await waitFor(() => sameHeads(handle, bobHandle), 50_000, 'the large document to arrive')
    expect(bobHandle.doc().parts?.length).toBe(3_000)
    expect(bobHandle.doc().parts?.[2_999]?.toString()).toBe(handle.doc().parts?.[2_999]?.toString())
    // The frame was larger than yamux's send window, so the sender must have waited for drain.
    expect(drains).toBeGreaterThan(0)
    console.info(`large document: ${(size / 1e6).toFixed(1)} MB saved, synced in ${Date.now() - started} ms, ${drains} drains`)
  })

  it('keeps exactly one session when both peers dial each other at once', async () => {
    const [alice, bob] = await pair()
    const candidates = { alice: 0, bob: 0 }
    alice.adapter.on('peer-candidate', () => candidates.alice++)
    bob.adapter.on('peer-candidate', () => candidates.bob++)

    await Promise.all([dial(alice.node, bob.node), dial(bob.node, alice.node)])
    await waitForSession(alice, bob)
    // Let a losing stream, if any, finish closing.
    await new Promise(resolve => setTimeout(resolve, 500))

    expect(alice.adapter.getSessions()).toHaveLength(1)
    expect(bob.adapter.getSessions()).toHaveLength(1)
    expect(syncStreams(alice, bob)).toHaveLength(1)
    expect(syncStreams(bob, alice)).toHaveLength(1)
    expect(candidates).toEqual({ alice: 1, bob: 1 })
    const [a] = alice.adapter.getSessions()
    const [b] = bob.adapter.getSessions()
    expect(new Set([a?.role, b?.role])).toEqual(new Set(['opener', 'listener']))

    const handle = alice.repo.create<Doc>({ title: 'after a race' })
    const bobHandle = await bob.repo.find<Doc>(handle.url)
    expect(bobHandle.doc().title).toBe('after a race')
  })

  it('breaks a simultaneous open by keeping the stream of the lower peer id', async () => {
    // Nodes connected and adapters registered first; then both Repos start in the same tick, so
    // each adapter has claimed its outbound slot before the other's stream can arrive.
    const nodes = await Promise.all([startNode(), startNode()])
    nodes.sort((x, y) => (x.peerId.toString() < y.peerId.toString() ? -1 : 1))
    const [nodeLow, nodeHigh] = nodes as [CosmoNode, CosmoNode]
    await dial(nodeLow, nodeHigh)
    const made = [adapterOn(nodeLow), adapterOn(nodeHigh)] as const
    await waitFor(() => nodes.every(n => n.getProtocols().includes(SYNC_PROTOCOL)), 5_000, 'registration')
    const lower = peerOn(nodeLow, made[0])
    const higher = peerOn(nodeHigh, made[1])
    peers.push(lower, higher)
    await waitForSession(lower, higher)
    await new Promise(resolve => setTimeout(resolve, 300))

    expect(lower.adapter.getSessions().map(s => s.role)).toEqual(['opener'])
    expect(higher.adapter.getSessions().map(s => s.role)).toEqual(['listener'])
    expect(syncStreams(lower, higher)).toHaveLength(1)
    expect(syncStreams(higher, lower)).toHaveLength(1)
    // Where both streams were opened (on a busy machine the lower one's stream may arrive before
    // the higher one claims its slot, and then there is no race to break), the higher peer gave
    // up its own stream without ever telling its Repo about it; the lower peer never made a
    // session of the higher one's stream. The higher peer learns it lost in one of two ways: the
    // lower one's stream reaches it first (it applies the rule itself), or the lower one's reset
    // of its stream does (the rule applied there; a reset carries no reason over yamux).
    const lost = [
      'simultaneous open: the stream opened by the lower peer id wins',
      'stream already reset',
      'stream reset: StreamResetError: The stream has been reset',
    ]
    for (const e of higher.closed) {
      expect([e.role, e.wasOpen]).toEqual(['opener', false])
      expect(lost).toContain(e.reason)
    }
    expect(higher.closed.length).toBeLessThanOrEqual(1)
    expect(lower.closed).toEqual([])
  })

  it('resumes syncing after the connection drops and either side redials', async () => {
    const [alice, bob] = await pair()
    await dial(alice.node, bob.node)
    await waitForSession(alice, bob)
    const handle = alice.repo.create<Doc>({ notes: ['first'] })
    const bobHandle = await bob.repo.find<Doc>(handle.url)

    for (const redialer of [bob, alice]) {
      const gone = { alice: 0, bob: 0 }
      alice.adapter.once('peer-disconnected', () => gone.alice++)
      bob.adapter.once('peer-disconnected', () => gone.bob++)
      await alice.node.hangUp(bob.node.peerId)
      await waitFor(() => !hasOpenSession(alice, bob.id) && !hasOpenSession(bob, alice.id), 10_000, 'sessions to end')
      expect(gone).toEqual({ alice: 1, bob: 1 })

      // Both edit while apart.
      handle.change(d => {
        d.notes?.push(`alice offline (${short(redialer)})`)
      })
      bobHandle.change(d => {
        d.notes?.push(`bob offline (${short(redialer)})`)
      })
      expect(sameHeads(handle, bobHandle)).toBe(false)

      const other = redialer === alice ? bob : alice
      await dial(redialer.node, other.node)
      await waitForSession(alice, bob)
      await waitFor(() => sameHeads(handle, bobHandle), 10_000, 'heads to converge')
      expect(handle.doc().notes).toEqual(bobHandle.doc().notes)
      expect(handle.doc().notes).toContain(`bob offline (${short(redialer)})`)
    }
  })
})

function short(peer: TestPeer): string {
  return peer.id.slice(-4)
}
