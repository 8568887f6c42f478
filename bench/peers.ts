/**
 * A client peer of the hub over one of the two transports under test:
 * - `libp2p`: a Cosmolocal libp2p node dialling the hub's TCP multiaddr, with the
 *   `Libp2pNetworkAdapter` (Noise + yamux + length-prefixed CBOR frames);
 * - `stock-ws`: automerge-repo's own `WebSocketClientAdapter` against the hub's stock endpoint.
 * Either way the peer holds an in-memory Repo and is ready once the Repo counts the hub as a peer.
 */
import { Repo, type PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'
import type { Identity } from '@cosmolocal/core'
import { createNodePeer, Libp2pNetworkAdapter, type CosmoNode } from '@cosmolocal/net'
import { multiaddr } from '@multiformats/multiaddr'
import type { HubEndpoint } from './hub-handle.ts'
import { until } from './progress.ts'

export const TRANSPORTS = ['libp2p', 'stock-ws'] as const
export type Transport = (typeof TRANSPORTS)[number]

export interface ClientPeer {
  readonly transport: Transport
  readonly repo: Repo
  /** Present for libp2p peers. */
  readonly node: CosmoNode | null
  /** Why the last sync session with `peerId` ended, where the transport says (libp2p). */
  sessionEnd?(peerId: string): string | undefined
  stop(): Promise<void>
}

/** An offline libp2p peer (node started, listening on loopback, not dialled anywhere yet). */
export async function libp2pPeer(identity: Identity, repoInit: Omit<ConstructorParameters<typeof Repo>[0] & object, 'peerId' | 'network'> = {}): Promise<ClientPeer & { node: CosmoNode }> {
  const node = await createNodePeer({ privateKey: identity.privateKey, listen: ['/ip4/127.0.0.1/tcp/0'] })
  const adapter = new Libp2pNetworkAdapter(node)
  const repo = new Repo({
    ...(repoInit.shareConfig === undefined ? { sharePolicy: async () => true } : {}),
    ...repoInit,
    peerId: node.peerId.toString() as RepoPeerId,
    network: [adapter],
  })
  return {
    transport: 'libp2p',
    repo,
    node,
    sessionEnd: (peerId) => adapter.lastSessionEnd(peerId)?.reason,
    stop: async () => {
      await repo.shutdown()
      await node.stop()
    },
  }
}

/** Dials the hub and waits for the sync session (before it, find() has nobody to ask). */
export async function dialHub(peer: ClientPeer & { node: CosmoNode }, hub: HubEndpoint): Promise<void> {
  await peer.node.dial(multiaddr(hub.tcp))
  await until(() => peer.repo.peers.includes(hub.id as RepoPeerId), `a libp2p sync session with the hub`, 15_000)
}

/**
 * A client peer of `hub` over `transport`, connected and ready to find documents. `identity` keys
 * the libp2p node (made beforehand so that key generation is not timed); the stock client has none.
 */
export async function connectPeer(transport: Transport, hub: HubEndpoint, identity: Identity): Promise<ClientPeer> {
  if (transport === 'libp2p') {
    const peer = await libp2pPeer(identity)
    await dialHub(peer, hub)
    return peer
  }
  const repo = new Repo({ network: [new WebSocketClientAdapter(hub.automergeWs)], sharePolicy: async () => true })
  await until(() => repo.peers.includes(hub.id as RepoPeerId), `a stock WebSocket session with the hub`, 15_000)
  return { transport, repo, node: null, stop: () => repo.shutdown() }
}
