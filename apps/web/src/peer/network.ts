/**
 * The network half of the browser peer: libp2p (WebSockets, WebRTC, the relay, noise, yamux), the
 * sync adapter and the blob protocol. Loaded with a dynamic import (its own chunk) once the first
 * page has rendered from IndexedDB, or earlier when something asks for the network (peer.ts):
 * parsing and starting it must not delay the first render of a design this browser holds.
 */
import { createBrowserPeer, type CosmoNode } from '@cosmolocal/net/browser'

export { BlobService, fetchBlob, Libp2pNetworkAdapter, type CosmoNode } from '@cosmolocal/net/browser'
export { multiaddr } from '@multiformats/multiaddr'
export { fetchAckedHeads } from './hub-heads.js'

/** The person's (or a visitor's) libp2p node, started. */
export async function startNode(key: { privateKey: Parameters<typeof createBrowserPeer>[0]['privateKey'] }, mayDial: () => boolean): Promise<CosmoNode> {
  return await createBrowserPeer({
    privateKey: key.privateKey,
    allowInsecureWebSockets: location.protocol === 'http:',
    mayDial,
  })
}
