/**
 * @cosmolocal/hub: the always-on peer of a commons. `startHub` runs one; the catalogue protocol
 * client lets any Node peer ask a hub what it holds.
 */
export { startHub, DEFAULT_HUB_PORT, type Hub, type HubInit } from './hub.js'
export { AUTOMERGE_WS_PATH } from './http.js'
export { Catalogue } from './catalogue.js'
export { entriesAdaptedFor } from './catalogue-entry.js'
export { storedDocumentIds } from './documents.js'
export * from './errors.js'
export * from './limits.js'
export * from './protocols.js'
export { request, readOne, writeOne } from './rpc.js'
export { readServeInfo, writeServeInfo, removeServeInfo, SERVE_FILE, type ServeInfo } from './serve-file.js'
export {
  connectTo,
  fetchCatalogue,
  fetchHeads,
  pullDesign,
  syncAll,
  snapshotHeads,
  SYNC_SETTLE_TIMEOUT_MS,
  SESSION_TIMEOUT_MS,
  type Progress,
  type Remote,
  type PullResult,
  type SyncResult,
} from './client.js'
export { ShareControl } from './share.js'
export { FileKeeper, fetchFiles, filesSettled, type FileProgress } from './files.js'
