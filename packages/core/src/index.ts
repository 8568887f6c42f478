/**
 * @cosmolocal/core: the design model. Pure: no filesystem, no network. Callers bring an
 * automerge-repo `Repo` (with whatever storage and network adapters they run) and an identity.
 */
export * from './errors.js'
export * from './ids.js'
export * from './limits.js'
export {
  createIdentity,
  parseIdentity,
  serializeIdentity,
  parseDisplayName,
  cleanDisplayName,
  verifySignature,
  type Identity,
  type IdentityFile,
} from './identity.js'
export {
  signRecord,
  decodeRecord,
  verifyRecord,
  recordName,
  RECORD_KINDS,
  RECORD_SIGNING_DOMAIN,
  type SignedRecord,
  type RecordBody,
  type RecordPayload,
  type RecordKind,
  type GovernanceAction,
  type ForkOrigin,
} from './records.js'
export { NameBook, type PersonNames } from './names.js'
export { designIdFor, isGenesisBound, DESIGN_ID_DOMAIN } from './genesis.js'
export { collectRecords, candidateBytes, type RejectedRecord, type CollectedRecords } from './history.js'
export { findGenesis, foldGovernance, frontier, type DesignState, type HeadsApproval, type AppliedAction, type PendingAction } from './governance.js'
export * from './schema.js'
export * from './blobs.js'
export { VerifyingBlobStore, checkExpected, type VerifyingBlobStoreOptions } from './blob-store.js'
export type { BlobBackend, BackendChunkReader, ChunkSet, BlobChunkSet, DownloadChunkSet, UploadChunkSet, StoredBlob } from './blob-backend.js'
export { MemoryBlobStore, MemoryBlobBackend } from './blob-memory.js'
export { diffContent, diffMerge, findConflicts, type DesignDiff, type FieldChange, type EntryDiff, type EntryChange, type Conflict } from './diff.js'
export * from './commons.js'
export {
  collectBundle,
  collectBundleBlobs,
  encodeBundle,
  decodeBundle,
  importBundle,
  BUNDLE_MAGIC,
  type Bundle,
  type BundleDocument,
  type BundleBlob,
  type BundleProgress,
} from './bundle.js'
export { closeRepo, flushReady } from './repo.js'
export {
  TECHNOLOGY_READINESS,
  DOCUMENTATION_READINESS,
  META_KEYS,
  FILE_LINK_KEYS,
  emptyDetails,
  parseLanguage,
  type TechnologyReadiness,
  type DocumentationReadiness,
  type MetaKey,
  type DesignMeta,
  type FileLinks,
  type Part,
  type SoftwareRef,
  type Readiness,
  type DesignDetails,
  type DetailsInput,
  type PartInput,
  type SoftwareInput,
} from './details.js'
export { checkSpdx, mapLicence, licenceWarnings, licenceChange, type SpdxCheck, type LicenceMapping, type LicenceWarning, type LicenceProblem } from './licences.js'
export { importOkh, exportOkh, OKH_LOSH_VERSION, type OkhImport, type OkhWarning, type OkhFormat, type OkhExport, type OkhExportInput } from './okh.js'
