/**
 * The libp2p node for Node.js peers (the CLI, the hub): TCP and WebSockets, WebRTC, circuit relay
 * transport, and optionally a circuit relay server.
 */
import { circuitRelayServer, circuitRelayTransport, type CircuitRelayServerInit } from '@libp2p/circuit-relay-v2'
import type { Ed25519PrivateKey } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { webRTC } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { nodeConnectionEncrypters } from './noise-node.js'
import {
  commonServices,
  rtcConfiguration,
  streamMuxers,
  connectionManager,
  connectionMonitor,
  withRelayedAddresses,
  type CosmoNode,
} from './services.js'

/** Listens on every interface (so on loopback too), on a free port, over TCP and WebSockets. */
export const DEFAULT_NODE_LISTEN: readonly string[] = ['/ip4/0.0.0.0/tcp/0', '/ip4/0.0.0.0/tcp/0/ws']

export interface NodePeerInit {
  /** The person's (or hub's) Ed25519 key: the node's peer id is their id. */
  readonly privateKey: Ed25519PrivateKey
  /** Listen addresses; DEFAULT_NODE_LISTEN if omitted. */
  readonly listen?: readonly string[]
  /** Addresses to announce instead of the listen addresses (a hub behind a proxy or NAT). */
  readonly announce?: readonly string[]
  /**
   * Reserve a slot on connected relays and accept WebRTC connections signalled through them
   * (adds `/p2p-circuit` and `/webrtc` to the listen addresses).
   */
  readonly useRelays?: boolean
  /** Run a circuit relay v2 server (hubs). `true` uses libp2p's default limits. */
  readonly relayServer?: boolean | CircuitRelayServerInit
  /** STUN / TURN servers for WebRTC; none by default (see `rtcConfiguration`). */
  readonly iceServers?: readonly RTCIceServer[]
  /** Start the node before returning; default true. */
  readonly start?: boolean
}

export async function createNodePeer(init: NodePeerInit): Promise<CosmoNode> {
  const relayServer = init.relayServer === undefined || init.relayServer === false ? undefined : init.relayServer
  return await createLibp2p({
    privateKey: init.privateKey,
    start: init.start ?? true,
    addresses: {
      listen: withRelayedAddresses(init.listen ?? DEFAULT_NODE_LISTEN, init.useRelays ?? false),
      ...(init.announce === undefined ? {} : { announce: [...init.announce] }),
    },
    transports: [
      tcp(),
      webSockets(),
      webRTC({ rtcConfiguration: rtcConfiguration(init.iceServers) }),
      circuitRelayTransport(),
    ],
    connectionEncrypters: nodeConnectionEncrypters(),
    streamMuxers: streamMuxers(),
    connectionManager: connectionManager(),
    connectionMonitor: connectionMonitor(),
    services: {
      ...commonServices(),
      ...(relayServer === undefined ? {} : { relay: circuitRelayServer(relayServer === true ? {} : relayServer) }),
    },
  })
}
