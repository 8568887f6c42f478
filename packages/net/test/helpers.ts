/** Real libp2p nodes on loopback, each with a Repo over the adapter under test. */
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { createIdentity } from '@cosmolocal/core'
import type { Connection } from '@libp2p/interface'
import { createNodePeer, Libp2pNetworkAdapter, type CosmoNode, type NodePeerInit, type SessionClosedEvent } from '../src/index.js'

export const LOOPBACK_TCP = ['/ip4/127.0.0.1/tcp/0']

export interface TestPeer {
  readonly id: string
  readonly node: CosmoNode
  readonly adapter: Libp2pNetworkAdapter
  readonly repo: Repo
  /** Every session end this peer's adapter reported, oldest first. */
  readonly closed: SessionClosedEvent[]
  stop(): Promise<void>
}

export async function startNode(init: Partial<NodePeerInit> = {}): Promise<CosmoNode> {
  const identity = await createIdentity('test peer')
  return await createNodePeer({ privateKey: identity.privateKey, listen: LOOPBACK_TCP, ...init })
}

/** A node, an adapter and a Repo whose peerId is the node's id (as the adapter requires). */
export async function startPeer(init: Partial<NodePeerInit> = {}): Promise<TestPeer> {
  const node = await startNode(init)
  return peerOn(node)
}

export interface AdapterUnderTest {
  readonly adapter: Libp2pNetworkAdapter
  readonly closed: SessionClosedEvent[]
}

export function adapterOn(node: CosmoNode): AdapterUnderTest {
  const closed: SessionClosedEvent[] = []
  return { adapter: new Libp2pNetworkAdapter(node, { onSessionClosed: event => closed.push(event) }), closed }
}

/** Starts a Repo on `node`, over `made` (an adapter created earlier) or a new adapter. */
export function peerOn(node: CosmoNode, made: AdapterUnderTest = adapterOn(node)): TestPeer {
  const { adapter, closed } = made
  const id = node.peerId.toString()
  const repo = new Repo({ network: [adapter], peerId: id as PeerId })
  return {
    id,
    node,
    adapter,
    repo,
    closed,
    async stop() {
      await repo.shutdown().catch(() => undefined)
      await node.stop()
    },
  }
}

export async function dial(from: CosmoNode, to: CosmoNode): Promise<Connection> {
  return await from.dial(to.getMultiaddrs())
}

/** Resolves once `a` and `b` each hold an open session with the other. */
export async function waitForSession(a: TestPeer, b: TestPeer, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => hasOpenSession(a, b.id) && hasOpenSession(b, a.id), timeoutMs, `session ${short(a.id)} <-> ${short(b.id)}`)
}

export function hasOpenSession(peer: TestPeer, remote: string): boolean {
  return peer.adapter.getSessions().some(s => s.peerId === remote && s.state === 'open')
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

export function short(id: string): string {
  return id.slice(-6)
}
