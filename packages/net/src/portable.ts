/**
 * The part of the public surface that runs anywhere (Node and browsers). Re-exported by both
 * entries: `index.ts` (Node) and `browser.ts`.
 */
export { Libp2pNetworkAdapter, repoPeerId } from './adapter.js'
export type { Libp2pNetworkAdapterOptions, SessionClosedEvent, SessionInfo } from './adapter.js'
export type { SessionRole, SessionState } from './session.js'
export type { Refusal, SessionGate } from './gate.js'
export { decodeMessage, parseJoin, parseRepoMessage } from './messages.js'
export * from './errors.js'
export * from './limits.js'
export { SYNC_PROTOCOL, PROTOCOL_V1, SUPPORTED_PROTOCOL_VERSIONS } from './protocol.js'
export type { JoinMessage, PeerMessage, ErrorMessage, HandshakeMessage } from './protocol.js'
export { encodeFrame, encodeVarint, FrameDecoder } from './frame.js'
export { RELAYED_LISTEN_ADDRESSES, type CosmoNode, type PeerServices } from './services.js'
export { BLOB_PROTOCOL, parseBlobRequest, parseBlobResponse, encodeBlobMessage, type BlobRequest, type BlobResponse } from './blob-messages.js'
export {
  BlobService,
  fetchBlob,
  whoHas,
  connectedPeers,
  type BlobServiceInit,
  type ChunkServedEvent,
  type BlobProgress,
  type FetchBlobOptions,
  type FetchBlobResult,
  type FetchAttempt,
} from './blob-exchange.js'
export { SharedFiles, type HeldDesigns } from './shared-files.js'
