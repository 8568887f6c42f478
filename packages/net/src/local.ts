/**
 * The part of the Node surface that needs no libp2p node: the blob store on disk. Code that never
 * talks to peers (the CLI's local commands) imports `@cosmolocal/net/local`, since importing the
 * main entry loads libp2p and every transport.
 */
export { FsBlobStore, nodeHasher } from './blob-store-fs.js'
