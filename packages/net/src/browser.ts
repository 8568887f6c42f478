/**
 * The browser entry (`@cosmolocal/net/browser`): the browser libp2p node, plus everything of this
 * package that runs in a browser. It never imports TCP or any Node-only module, so a browser
 * bundle built from it stays free of them.
 */
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import type { Ed25519PrivateKey } from '@libp2p/interface'
import { webRTC } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import {
  commonServices,
  connectionEncrypters,
  RELAYED_LISTEN_ADDRESSES,
  rtcConfiguration,
  streamMuxers,
  connectionManager,
  connectionMonitor,
  type CosmoNode,
} from './services.js'

export * from './portable.js'
export { IdbBlobStore } from './blob-store-idb.js'
export { IdbCacheBackend } from './cache-idb.js'

export interface BrowserPeerInit {
  /** The person's Ed25519 key: the node's peer id is their id. */
  readonly privateKey: Ed25519PrivateKey
  /**
   * Listen addresses. Browsers cannot listen on sockets; the default (`/p2p-circuit`, `/webrtc`)
   * reserves a slot on the hub's relay so other peers can reach this one over WebRTC.
   */
  readonly listen?: readonly string[]
  /** STUN / TURN servers for WebRTC; none by default. */
  readonly iceServers?: readonly RTCIceServer[]
  /**
   * Local development only: allow dialling insecure `ws://` and private or loopback addresses
   * (a hub on localhost or the LAN). libp2p's browser defaults refuse both.
   */
  readonly allowInsecureWebSockets?: boolean
  /**
   * Asked before every dial to a peer (all of libp2p's own redials name the peer): false refuses
   * the dial before any socket is opened. The web app refuses all while the browser is offline.
   */
  readonly mayDial?: () => boolean
  /** Start the node before returning; default true. */
  readonly start?: boolean
}

export async function createBrowserPeer(init: BrowserPeerInit): Promise<CosmoNode> {
  return await createLibp2p({
    privateKey: init.privateKey,
    start: init.start ?? true,
    addresses: { listen: [...(init.listen ?? RELAYED_LISTEN_ADDRESSES)] },
    transports: [webSockets(), webRTC({ rtcConfiguration: rtcConfiguration(init.iceServers) }), circuitRelayTransport()],
    connectionEncrypters: connectionEncrypters(),
    streamMuxers: streamMuxers(),
    connectionManager: connectionManager(),
    connectionMonitor: connectionMonitor(),
    connectionGater: {
      ...(init.mayDial === undefined ? {} : { denyDialPeer: () => !init.mayDial!() }),
      // Left unset, libp2p's browser default applies: no insecure WebSockets, no private addresses.
      ...(init.allowInsecureWebSockets === true ? { denyDialMultiaddr: () => false } : {}),
    },
    services: commonServices(),
  })
}
