/**
 * @cosmolocal/net: libp2p nodes and the automerge-repo NetworkAdapter over libp2p streams. This is
 * the Node entry; browsers import `@cosmolocal/net/browser`, which has the same surface minus TCP
 * and `createNodePeer`, plus `createBrowserPeer`.
 */
export * from './portable.js'
export { createNodePeer, DEFAULT_NODE_LISTEN, type NodePeerInit } from './node.js'
export { FsBlobStore, nodeHasher } from './local.js'
