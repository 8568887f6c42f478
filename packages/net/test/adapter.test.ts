/** Adapter lifecycle: who we are, when we are ready, and handing a node over to a new Repo. */
import type { PeerId } from '@automerge/automerge-repo'
import { Repo } from '@automerge/automerge-repo'
import { afterEach, describe, expect, it } from 'vitest'
import { Libp2pNetworkAdapter, LocalPeerIdError, READY_TIMEOUT_MS, SYNC_PROTOCOL, type CosmoNode } from '../src/index.js'
import { dial, hasOpenSession, peerOn, startNode, startPeer, waitFor, waitForSession, type TestPeer } from './helpers.js'

const nodes: CosmoNode[] = []
const peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.splice(0).map(p => p.stop()))
  await Promise.all(nodes.splice(0).map(n => n.stop()))
})

describe('Libp2pNetworkAdapter', () => {
  it("refuses a Repo peer id that is not the node's", async () => {
    const node = await startNode()
    nodes.push(node)
    const adapter = new Libp2pNetworkAdapter(node)
    expect(() => adapter.connect('alice' as PeerId)).toThrow(LocalPeerIdError)
    expect(() => adapter.connect('alice' as PeerId)).toThrow(node.peerId.toString())
    // A Repo built with the wrong id must not hang in find(): the adapter reports ready, with no peers.
    await adapter.whenReady()
    expect(adapter.getSessions()).toEqual([])
    adapter.disconnect()
  })

  it('is ready once sessions with already-connected peers are open', async () => {
    const [a, b] = await Promise.all([startNode(), startNode()])
    await dial(a, b)
    const alice = peerOn(a)
    const bob = peerOn(b)
    peers.push(alice, bob)
    expect(alice.adapter.isReady()).toBe(false)
    const started = Date.now()
    await Promise.all([alice.adapter.whenReady(), bob.adapter.whenReady()])
    expect(Date.now() - started).toBeLessThan(READY_TIMEOUT_MS)
    expect(alice.adapter.isReady()).toBe(true)
    expect(hasOpenSession(alice, bob.id) && hasOpenSession(bob, alice.id)).toBe(true)
  })

  it('is ready after READY_TIMEOUT_MS at most when a connected peer never answers', async () => {
    const [a, silent] = await Promise.all([startNode(), startNode()])
    nodes.push(silent)
    // The silent node accepts sync streams and never says anything.
    await silent.handle(SYNC_PROTOCOL, () => undefined)
    await dial(a, silent)
    const alice = peerOn(a)
    peers.push(alice)
    const started = Date.now()
    await alice.adapter.whenReady()
    expect(Date.now() - started).toBeGreaterThanOrEqual(READY_TIMEOUT_MS - 50)
    expect(Date.now() - started).toBeLessThan(READY_TIMEOUT_MS + 1_000)
  })

  it('works on a node that starts after the Repo', async () => {
    const [a, b] = await Promise.all([startNode({ start: false }), startNode()])
    const alice = peerOn(a)
    const bob = peerOn(b)
    peers.push(alice, bob)
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(alice.adapter.isReady()).toBe(false)
    await a.start()
    await alice.adapter.whenReady()
    await dial(a, b)
    await waitForSession(alice, bob)
  })

  it('hands its node over to a new Repo after shutdown', async () => {
    const alice = await startPeer()
    const bob = await startPeer()
    peers.push(bob)
    await dial(alice.node, bob.node)
    await waitForSession(alice, bob)
    const url = bob.repo.create({ title: 'still here' }).url

    await alice.repo.shutdown()
    await waitFor(() => !hasOpenSession(bob, alice.id), 5_000, 'bob to see alice leave')
    // A new adapter registers at once; registration waits for the old one's removal.
    const again = peerOn(alice.node)
    peers.push(again)
    await waitForSession(again, bob)
    const handle = await again.repo.find<{ title: string }>(url)
    expect(handle.doc().title).toBe('still here')
    expect(again.node.getProtocols()).toContain(SYNC_PROTOCOL)
  })

  it('stops advertising the protocol after disconnect', async () => {
    const node = await startNode()
    nodes.push(node)
    const repo = new Repo({ network: [new Libp2pNetworkAdapter(node)], peerId: node.peerId.toString() as PeerId })
    await waitFor(() => node.getProtocols().includes(SYNC_PROTOCOL), 5_000, 'registration')
    await repo.shutdown()
    await waitFor(() => !node.getProtocols().includes(SYNC_PROTOCOL), 5_000, 'unregistration')
  })
})
