/**
 * @cosmolocal/hub: the always-on peer of a commons. `startHub` runs one; the catalogue protocol
 * client lets any Node peer ask a hub what it holds.
 */
export { startHub, DEFAULT_HUB_PORT, type Hub, type HubInit } from './hub.js'
export { AUTOMERGE_WS_PATH } from './http.js'
export { Catalogue, type CatalogueInit } from './catalogue.js'
export { IndexFiles, INDEX_VERSION, type IndexedDesign, type IndexedDocument, type DocumentKind } from './index-files.js'
export { Residency } from './residency.js'
export { CataloguePage, entryCursor } from './paging.js'
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
  type RemoteCatalogue,
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
export { logLine } from './log-line.js'
export { HubPolicy, type HubPolicyInit } from './policy.js'
export { DenyList, DENY_FILE, denyListPath, type DeniedKey } from './deny-list.js'
export { PeerBudgets, DEFAULT_PEER_LIMITS, type PeerLimits } from './budget.js'
export { FileKeeper, fetchFiles, filesSettled, type FileProgress, type HeldFiles } from './files.js'
