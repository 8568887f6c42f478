/**
 * The operations people perform on designs, over an automerge-repo `Repo` (whatever storage and
 * network the caller gave it). A façade: each job lives in a part of its own (this folder), over
 * one document store (the only code touching the Repo) and one verifier (the only source of
 * verified state, cached by document heads). Every read verifies; every write is the honest-client
 * write the trust rules describe, and returns once the write hook says it is durable.
 */
import * as A from '@automerge/automerge'
import type { Repo } from '@automerge/automerge-repo'
import type { BlobHash, BlobInfo, BlobStore } from '../blobs/blob.js'
import type { DesignDiff } from '../diff.js'
import type { DesignState, GovernanceHistory, HeadsApproval } from '../folds/governance.js'
import type { Identity } from '../identity.js'
import { parseDesignId, parseDocumentId, type ChangeHash, type DesignId, type DocumentId, type PersonId, type RecordId } from '../ids.js'
import type { NameBook } from '../names.js'
import type { FileRef, FileRole } from '../schema.js'
import { MemoryCacheBackend, SealedCache, type CacheBackend } from './cache.js'
import { Context } from './context.js'
import { Editing, type BomRowInput, type DesignInit, type DesignPatch, type StepInput } from './editing.js'
import { Files, type FileEntry, type FileInput } from './files.js'
import { Forks, type Comparison, type LineageNode, type UpdateResult } from './forks.js'
import { Maintainers } from './maintainers.js'
import { Proposals, type ProposalDiff, type ProposalSummary, type ProposeInput, type ProposeResult } from './proposals.js'
import { Needs, type Discussion, type NeedInput, type NeedView, type VerifiedNeeds } from './needs.js'
import { Activities, type ActivityResult } from './activity.js'
import type { ReadMarks } from '../folds/activity.js'
import { Reading, type LogEntry, type VerificationReport } from './reading.js'
import { DocumentStore, type WriteHook } from './store.js'
import { Verifier, type VerifiedDesign, type VerifiedInbox, type VerifiedProposal, type VerifyCounters } from './verifier.js'
import { Makes, type MakeInput, type MakesView } from './makes.js'
import { Credit, type ContributionsView } from './credit.js'

export interface CommonsOptions {
  /** Where verified state is kept between processes (default: memory only). */
  cache?: CacheBackend | null
  /** Called after each operation with the documents it wrote; resolves once they are durable. */
  onWrite?: WriteHook
}

type Ref = string | VerifiedDesign

export class Commons {
  readonly #store: DocumentStore
  readonly #verifier: Verifier
  readonly #cache: SealedCache
  readonly #ctx: Context
  readonly #editing: Editing
  readonly #files: Files
  readonly #maintainers: Maintainers
  readonly #proposals: Proposals
  readonly #reading: Reading
  readonly #makes: Makes
  readonly #credit: Credit
  readonly #forks: Forks
  readonly #needs: Needs
  readonly #activities: Activities

  constructor(
    repo: Repo,
    readonly identity: Identity | null,
    /** Where attachment bytes live; null for callers that never touch files. */
    readonly blobs: BlobStore | null = null,
    options: CommonsOptions = {},
  ) {
    this.#store = new DocumentStore(repo, options.onWrite)
    this.#cache = new SealedCache(options.cache ?? new MemoryCacheBackend())
    this.#verifier = new Verifier(this.#store, this.#cache)
    this.#ctx = new Context(this.#store, this.#verifier, identity, blobs)
    this.#editing = new Editing(this.#ctx)
    this.#files = new Files(this.#ctx, this.#editing)
    this.#maintainers = new Maintainers(this.#ctx)
    this.#proposals = new Proposals(this.#ctx, this.#editing)
    this.#reading = new Reading(this.#ctx)
    this.#makes = new Makes(this.#ctx)
    this.#credit = new Credit(this.#ctx, this.#makes)
    this.#forks = new Forks(this.#ctx)
    this.#needs = new Needs(this.#ctx)
    this.#activities = new Activities(this.#ctx, this.#needs)
  }

  /** Work done so far (documents' changes decoded, signatures checked, folds run), for tests. */
  get counters(): VerifyCounters {
    return this.#verifier.counters
  }

  /** Cache hits, misses and rejected (tampered or stale) entries, for tests and reports. */
  get cacheCounters() {
    return this.#cache.counters
  }

  /** Runs a write and returns once what it wrote is durable (the write hook resolved). */
  async #write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } finally {
      await this.#store.durable()
    }
  }

  /** Resolves once every write and cache entry begun so far has been handed over. */
  async settled(): Promise<void> {
    await this.#store.durable()
    await this.#cache.settled()
  }

  // ---- reading -------------------------------------------------------------------------------

  /** Loads and verifies a design. Throws NotFoundError or UnverifiableDesignError. */
  async design(ref: string, options: { held?: boolean } = {}): Promise<VerifiedDesign> {
    return await this.#ctx.design(ref, options)
  }

  /**
   * The design as this store last verified it, without reading its documents (null if never): for
   * a first paint while `design()` loads and checks them. It may be behind them; decide nothing on it.
   */
  async lastVerified(ref: string): Promise<VerifiedDesign | null> {
    return await this.#verifier.lastVerified(parseDesignId(ref))
  }

  /** The design's full verified history: every valid record and approval, in the fold's order. */
  async history(ref: string): Promise<GovernanceHistory> {
    return await this.#verifier.history(parseDesignId(ref))
  }

  isMaintainer(design: VerifiedDesign, person: PersonId | null = this.identity?.id ?? null): boolean {
    return this.#ctx.isMaintainer(design, person)
  }

  async verify(ref: Ref): Promise<VerificationReport> {
    return await this.#reading.verify(ref)
  }

  async log(ref: Ref): Promise<LogEntry[]> {
    return await this.#reading.log(ref)
  }

  async inbox(design: VerifiedDesign): Promise<VerifiedInbox> {
    return await this.#verifier.inbox(design)
  }

  async names(ref: Ref): Promise<NameBook> {
    return await this.#proposals.names(ref)
  }

  /** The ids of every document that makes up a design: governance, content, inbox. */
  documentsOf(d: VerifiedDesign): DocumentId[] {
    return [d.id, d.contentId, d.inboxId]
  }

  /** What a document is, from its signed history: a design, a proposal, or neither. Asks no peer. */
  async kind(ref: string): Promise<'design' | 'proposal' | null> {
    return await this.#verifier.kind(parseDocumentId(ref))
  }

  // ---- documents as documents (sync, bundles) -------------------------------------------------

  /** A document's current heads if this store holds it, else null (asks no peer). */
  async documentHeads(ref: string): Promise<ChangeHash[] | null> {
    const handle = await this.#store.findHeld(parseDocumentId(ref))
    return handle === null ? null : ([...A.getHeads(handle.doc() as A.Doc<unknown>)].sort() as ChangeHash[])
  }

  /** Finds a document here or from peers; false when nobody has it. */
  async fetchDocument(ref: string): Promise<boolean> {
    try {
      await this.#store.find(parseDocumentId(ref))
      return true
    } catch {
      return false
    }
  }

  /** A held document's saved bytes (what a bundle carries), or null. */
  async documentBytes(ref: string): Promise<Uint8Array | null> {
    const handle = await this.#store.findHeld(parseDocumentId(ref))
    return handle === null ? null : A.save(handle.doc() as A.Doc<unknown>)
  }

  /** Merges saved document bytes into the store (a bundle's documents). */
  async importDocuments(docs: Iterable<{ id: DocumentId; data: Uint8Array }>): Promise<void> {
    await this.#write(async () => {
      for (const d of docs) {
        // Loaded first, so that the import merges into what is here instead of replacing it.
        await this.#store.findHeld(d.id)
        this.#store.import(d.data, d.id)
      }
    })
  }

  // ---- creating and editing ------------------------------------------------------------------

  createDesign(init: DesignInit): Promise<DesignId> {
    return this.#write(() => this.#editing.createDesign(init))
  }

  changeContent(ref: Ref, summary: string, fn: Parameters<Editing['changeContent']>[2]): Promise<ChangeHash[]> {
    return this.#write(() => this.#editing.changeContent(ref, summary, fn))
  }

  editDesign(ref: Ref, patch: DesignPatch): Promise<ChangeHash[]> {
    return this.#write(() => this.#editing.editDesign(ref, patch))
  }

  addBomRow(ref: Ref, input: BomRowInput, options: { before?: string } = {}): Promise<{ id: string; heads: ChangeHash[] }> {
    return this.#write(() => this.#editing.addBomRow(ref, input, options))
  }

  setBomRow(ref: Ref, rowId: string, input: BomRowInput): Promise<ChangeHash[]> {
    return this.#write(() => this.#editing.setBomRow(ref, rowId, input))
  }

  removeBomRow(ref: Ref, rowId: string): Promise<ChangeHash[]> {
    return this.#write(() => this.#editing.removeBomRow(ref, rowId))
  }

  moveBomRow(ref: Ref, rowId: string, before: string | null): Promise<ChangeHash[]> {
    return this.#write(() => this.#editing.moveBomRow(ref, rowId, before))
  }

  addStep(ref: Ref, input: StepInput): Promise<{ id: string; heads: ChangeHash[] }> {
    return this.#write(() => this.#editing.addStep(ref, input))
  }

  setStep(ref: Ref, stepId: string, input: StepInput): Promise<ChangeHash[]> {
    return this.#write(() => this.#editing.setStep(ref, stepId, input))
  }

  removeStep(ref: Ref, stepId: string): Promise<ChangeHash[]> {
    return this.#write(() => this.#editing.removeStep(ref, stepId))
  }

  moveStep(ref: Ref, stepId: string, before: string | null): Promise<ChangeHash[]> {
    return this.#write(() => this.#editing.moveStep(ref, stepId, before))
  }

  // ---- files ---------------------------------------------------------------------------------

  attachFile(ref: Ref, input: FileInput): Promise<{ id: string; hash: BlobHash; heads: ChangeHash[]; file: FileRef }> {
    return this.#write(() => this.#files.attachFile(ref, input))
  }

  attachBlob(ref: Ref, meta: { name: string; mediaType?: string; role?: FileRole | string }, info: BlobInfo) {
    return this.#write(() => this.#files.attachBlob(ref, meta, info))
  }

  files(ref: Ref): Promise<FileEntry[]> {
    return this.#files.files(ref)
  }

  file(ref: Ref, fileId: string): Promise<FileRef> {
    return this.#files.file(ref, fileId)
  }

  removeFile(ref: Ref, fileId: string): Promise<ChangeHash[]> {
    return this.#write(() => this.#files.removeFile(ref, fileId))
  }

  setFile(ref: Ref, fileId: string, input: { name?: string; role?: FileRole | string }): Promise<ChangeHash[]> {
    return this.#write(() => this.#files.setFile(ref, fileId, input))
  }

  // ---- maintainers ---------------------------------------------------------------------------

  addMaintainer(ref: Ref, person: string): Promise<DesignState> {
    return this.#write(() => this.#maintainers.addMaintainer(ref, person))
  }

  removeMaintainer(ref: Ref, person: string): Promise<DesignState> {
    return this.#write(() => this.#maintainers.removeMaintainer(ref, person))
  }

  setThreshold(ref: Ref, k: number): Promise<DesignState> {
    return this.#write(() => this.#maintainers.setThreshold(ref, k))
  }

  approve(ref: Ref): Promise<HeadsApproval[]> {
    return this.#write(() => this.#maintainers.approve(ref))
  }

  // ---- forks and proposals -------------------------------------------------------------------

  fork(ref: Ref, options: { title?: string } = {}): Promise<DesignId> {
    return this.#write(() => this.#proposals.fork(ref, options))
  }

  /** `needs`: needs of the target the proposal resolves (ids or unique prefixes); accepting it closes them. */
  propose(input: Omit<ProposeInput, 'needs'> & { needs?: readonly string[] }): Promise<ProposeResult> {
    return this.#write(async () => {
      const needs = input.needs === undefined ? undefined : await this.#needs.citable(input.to, input.needs)
      return await this.#proposals.propose({ ...input, needs })
    })
  }

  proposal(ref: string): Promise<VerifiedProposal> {
    return this.#proposals.proposal(ref)
  }

  proposals(ref: Ref): Promise<ProposalSummary[]> {
    return this.#proposals.proposals(ref)
  }

  diff(ref: string, revisionNumber?: number): Promise<ProposalDiff> {
    return this.#proposals.diff(ref, revisionNumber)
  }

  review(ref: string, input: { verdict: 'accept' | 'reject'; comment?: string }): Promise<VerifiedProposal> {
    return this.#write(() => this.#proposals.review(ref, input))
  }

  commentOnProposal(ref: string, text: string, options: { replyTo?: string } = {}): Promise<RecordId> {
    return this.#write(() => this.#proposals.commentOnProposal(ref, text, options))
  }

  // ---- build reports and contributions -------------------------------------------------------

  /** Reports a build of the design's canonical version (anyone may): photos go to the blob store. */
  reportMake(ref: Ref, input: MakeInput): Promise<{ make: RecordId }> {
    return this.#write(() => this.#makes.report(ref, input))
  }

  /** The design's verified build reports; with `held`, nothing is asked of peers. */
  makes(ref: Ref, options: { held?: boolean } = {}): Promise<MakesView> {
    return this.#makes.makes(ref, options)
  }

  /** Who contributed what to the design, from verified records only (folds/contributions.ts). */
  contributions(ref: Ref): Promise<ContributionsView> {
    return this.#credit.contributions(ref)
  }

  // ---- forks as living branches (forks.ts) ----------------------------------------------------

  /**
   * Takes another related design's canonical content (default: the upstream's) into this one and
   * signs it as this maintainer; with `dryRun`, only the diff it would bring (anyone may ask).
   */
  update(ref: Ref, options: { from?: string; dryRun?: boolean } = {}): Promise<UpdateResult> {
    return options.dryRun === true ? this.#forks.update(ref, options) : this.#write(() => this.#forks.update(ref, options))
  }

  /** Signed content changes each of two related designs has that the other lacks (default: against the upstream). */
  compare(ref: Ref, other?: Ref): Promise<Comparison> {
    return this.#forks.compare(ref, other)
  }

  /** The lineage tree a design belongs to, as far as this store holds it, with ahead / behind per fork. */
  lineage(ref: Ref): Promise<LineageNode> {
    return this.#forks.lineage(ref)
  }

  // ---- needs and discussion (needs.ts) ---------------------------------------------------------

  /** A design's needs, verified (newest first), with their summary; equal `version`, equal view. */
  needs(ref: Ref, options: { held?: boolean } = {}): Promise<VerifiedNeeds> {
    return this.#needs.needs(ref, options)
  }

  /** One need, by id or a unique prefix of it. */
  need(ref: Ref, need: string): Promise<NeedView> {
    return this.#needs.need(ref, need)
  }

  openNeed(ref: Ref, input: NeedInput): Promise<NeedView> {
    return this.#write(() => this.#needs.openNeed(ref, input))
  }

  claimNeed(ref: Ref, need: string): Promise<NeedView> {
    return this.#write(() => this.#needs.act(ref, need, 'claim'))
  }

  releaseNeed(ref: Ref, need: string): Promise<NeedView> {
    return this.#write(() => this.#needs.act(ref, need, 'release'))
  }

  /** `by`: the proposal or design (a fork) that resolved it. Only its author or a maintainer may. */
  closeNeed(ref: Ref, need: string, options: { by?: string } = {}): Promise<NeedView> {
    return this.#write(() => this.#needs.act(ref, need, 'close', options))
  }

  reopenNeed(ref: Ref, need: string): Promise<NeedView> {
    return this.#write(() => this.#needs.act(ref, need, 'reopen'))
  }

  /** A design's own discussion, verified: comments in causal order, with anchors and names. */
  discussion(ref: Ref, options: { held?: boolean } = {}): Promise<Discussion> {
    return this.#needs.discussion(ref, options)
  }

  commentOnDesign(ref: Ref, text: string, options: { about?: string; replyTo?: string } = {}): Promise<RecordId> {
    return this.#write(() => this.#needs.commentOnDesign(ref, text, options))
  }

  // ---- activity (activity.ts) ----------------------------------------------------------------

  /** What happened on these designs (held here), newest first, read or not by `marks` (local state). */
  activity(designs: readonly string[], marks: ReadMarks, options: { now?: number } = {}): Promise<ActivityResult> {
    return this.#activities.activity(designs, marks, options)
  }
}

export type { DesignDiff }
