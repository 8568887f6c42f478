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
export { NameBook, type PersonNames, type NameClaim } from './names.js'
export { designIdFor, isGenesisBound, proposalIdFor, isProposalBound, DESIGN_ID_DOMAIN, PROPOSAL_ID_DOMAIN } from './genesis.js'
export { scanChanges, type Candidate, type RejectedRecord, type ScanResult, type ScanCounters } from './history.js'
export {
  findGenesis,
  foldGovernance,
  refreshAvailability,
  type DesignState,
  type GovernanceHistory,
  type GenesisPayload,
  type HeadsApproval,
  type AppliedAction,
  type PendingAction,
} from './folds/governance.js'
export { frontier, frontierOfSets, covers } from './folds/frontier.js'
export { orderRecords } from './folds/order.js'
export { divergence, signedChangesAhead, type ContentAncestry, type LineageSide, type RejectedRevision, type Divergence } from './folds/lineage.js'
export {
  foldProposal,
  findOpening,
  type ProposalState,
  type ProposalStatus,
  type Revision,
  type Verdict,
  type Comment,
  type TargetFacts,
  type SourceFacts,
} from './folds/proposal.js'
export { foldInbox, INBOX_KINDS, type InboxState, type ForkPointer, type ProposalPointer, type DesignComment } from './folds/inbox.js'
export {
  foldNeeds,
  needsSummary,
  matchesNeed,
  summaryMatches,
  anchorOf,
  type Need,
  type NeedStatus,
  type NeedSection,
  type NeedOp,
  type NeedEvent,
  type NeedClosure,
  type NeedMerge,
  type NeedsFacts,
  type NeedsState,
  type NeedsSummary,
  type NeedFilter,
  type Anchor,
} from './folds/needs.js'
export {
  activityOf,
  markRead,
  parseReadMarks,
  emptyReadMarks,
  defaultFollows,
  type Activity,
  type ActivityItem,
  type ActivityKind,
  type ActivitySource,
  type ReadMarks,
} from './folds/activity.js'
export type { VerifiedNeeds, NeedView, NeedInput, MergeView, Discussion, DiscussionComment } from './commons/needs.js'
export type { ActivityResult } from './commons/activity.js'
export * from './schema.js'
export * from './blobs/blob.js'
export { VerifyingBlobStore, checkExpected, type VerifyingBlobStoreOptions } from './blobs/store.js'
export type { BlobBackend, BackendChunkReader, ChunkSet, BlobChunkSet, DownloadChunkSet, UploadChunkSet, StoredBlob } from './blobs/backend.js'
export { MemoryBlobStore, MemoryBlobBackend } from './blobs/memory.js'
export { diffContent, diffMerge, findConflicts, type DesignDiff, type FieldChange, type EntryDiff, type EntryChange, type Conflict } from './diff.js'
export { Commons, type CommonsOptions } from './commons/commons.js'
export { SealedCache, MemoryCacheBackend, CACHE_VERSION, type CacheBackend, type CacheCounters } from './commons/cache.js'
export type { WriteHook } from './commons/store.js'
export type { VerifiedDesign, VerifiedProposal, VerifiedInbox, VerifyCounters, ForkSummary } from './commons/verifier.js'
export type { DesignInit, DesignPatch, BomRowInput, StepInput } from './commons/editing.js'
export type { FileInput, FileEntry } from './commons/files.js'
export type { ProposalSummary, ProposeResult, ProposeInput, ProposalDiff } from './commons/proposals.js'
export type { UpdateResult, Comparison, LineageNode } from './commons/forks.js'
export { parsePlaceCode, parsePlaceInput, placeCodeName, matchesPlace, emptyPlace, placeKey, placeCodeKey, type DesignPlace, type PlaceInput, type PlacesDoc } from './place.js'
export { describeAction, describeRecord, type LogEntry, type VerificationReport } from './commons/reading.js'
export { SECTION_LABEL, type SectionKey } from './commons/entries.js'
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
export { checkSpdx, mapLicence, suggestLicences, loadLicenceNames, LicenceNames, licenceWarnings, licenceChange, type SpdxCheck, type LicenceMapping, type LicenceWarning, type LicenceProblem } from './licences.js'
// Build reports, contribution accounting, copyfair (docs/contributions.md).
export { PPL_REF, LICENCE_RULES, licenceClass, licenceTerms, type LicenceClass, type LicenceTerm } from './licences.js'
export { licenceNotice, licencesAt, type LicenceNotice, type LineageSource } from './licence-notice.js'
export { foldMakes, type Make, type MakeResult, type MakesState, type SignedHeads } from './folds/makes.js'
export {
  foldContributions,
  creditDesign,
  type Contributions,
  type Contributor,
  type ContributionInput,
  type ContentFacts,
  type CreditChange,
  type CreditDesign,
  type CreditEvent,
  type CreditKind,
  type CreditProposal,
  type Introduced,
} from './folds/contributions.js'
export { makePhotoFiles, type MakeInput, type MakeView, type MakesView } from './commons/makes.js'
export { contentFacts, openedNeeds, type ContributionsView, type ContributorView } from './commons/credit.js'
export { valueFlows, agentId, VALUEFLOWS_NAMESPACE, CONTRIBUTION_KIND_BASE } from './valueflows.js'
export type { MakePayload, MakePhoto } from './records.js'
export { importOkh } from './okh/import.js'
export { exportOkh, type OkhExport, type OkhExportInput } from './okh/export.js'
export { OKH_LOSH_VERSION, type OkhImport, type OkhWarning, type OkhFormat } from './okh/read.js'
