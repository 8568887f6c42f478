/**
 * Verified state, kept by document heads: the only way designs, proposals and inboxes reach the
 * rest of core. Each read compares the documents' current heads with those the cached state was
 * computed at: equal, the state is reused as it is; different, the document's record log reads
 * the changes since (and only those), and the object's fold runs again over its kept records.
 * States are kept in memory and, sealed, in the cache backend (cache.ts), so the next process
 * starts where this one stopped. A cache is a shortcut to what history says, never a substitute:
 * an entry is used only for the exact heads it names.
 */
import * as A from '@automerge/automerge'
import { holds } from '../held.js'
import { InvalidInputError, NotFoundError } from '../errors.js'
import { covers } from '../folds/frontier.js'
import { findGenesis, foldGovernance, refreshAvailability, type DesignState, type GovernanceHistory, type HeadsApproval } from '../folds/governance.js'
import { foldInbox, type InboxState } from '../folds/inbox.js'
import { findOpening, foldProposal, type ProposalState, type SourceFacts } from '../folds/proposal.js'
import type { ScanCounters } from '../history.js'
import { headsKey, toUrl, type AutomergeUrl, type ChangeHash, type DesignId, type DocumentId, type PersonId, type RecordId } from '../ids.js'
import { NameBook } from '../names.js'
import { decodeRecord, type SignedRecord } from '../records.js'
import { parseContent, text, type ContentProblem, type DesignContent } from '../schema.js'
import { licenceNotice, licencesAt, type LicenceNotice } from '../licence-notice.js'
import type { ForkOrigin } from '../records.js'
import type { SealedCache } from './cache.js'
import { RecordLog, type LogPolicy } from './record-log.js'
import type { DocumentStore } from './store.js'

/** A design read from the store and verified: the only form in which designs reach callers. */
export interface VerifiedDesign {
  id: DesignId
  url: AutomergeUrl
  state: DesignState
  contentId: DocumentId
  inboxId: DocumentId
  forkedFrom: { design: DesignId; url: AutomergeUrl; heads: ChangeHash[] } | null
  /** The canonical content: the content document at the canonical heads. */
  content: DesignContent
  problems: ContentProblem[]
  /** Display names signed into the design's valid governance records (self-asserted; show them beside the id). */
  names: NameBook
  /** Identifies this exact verified state (documents' heads): equal versions, equal designs. */
  version: string
  /**
   * Set when the design's licences may break the share-alike or copyfair terms of a design its
   * content was taken from (its upstream at the fork, or content taken in later): shown to every
   * viewer. Null when nothing may be broken.
   */
  licenceNotice: LicenceNotice | null
}

export interface VerifiedProposal extends ProposalState {
  url: AutomergeUrl
  /** Display names from the proposal's verified records and its target design's. */
  names: NameBook
  version: string
}

/** A fork of a design, as its inbox points to it. */
export interface ForkSummary {
  design: AutomergeUrl
  author: PersonId
  authorName: string | null
  time: number
  record: RecordId
}

export interface VerifiedInbox extends Omit<InboxState, 'forks'> {
  forks: ForkSummary[]
  /** Display names signed into the inbox's counted records, and the design's. */
  book: NameBook
  version: string
}

/** Work done, for tests that prove reads cost what changed (see history.ts). */
export interface VerifyCounters extends ScanCounters {
  designFolds: number
  proposalFolds: number
  inboxFolds: number
}

interface DesignEntry {
  govHeads: string
  contentHeads: string
  state: DesignState
  content: DesignContent
  problems: ContentProblem[]
  /** Where the content came from (fork origin, approved updates), for the licence notice. */
  lineage: ForkOrigin[]
  licenceNotice: LicenceNotice | null
}

export class Verifier {
  readonly counters: VerifyCounters = { changesDecoded: 0, signaturesVerified: 0, designFolds: 0, proposalFolds: 0, inboxFolds: 0 }
  readonly #logs = new Map<string, RecordLog>()
  readonly #designs = new Map<DesignId, DesignEntry>()
  readonly #inboxes = new Map<DocumentId, VerifiedInbox>()
  readonly #proposals = new Map<DocumentId, VerifiedProposal>()

  constructor(
    readonly store: DocumentStore,
    readonly cache: SealedCache | null,
  ) {}

  #log(doc: DocumentId, design: DesignId | null, policy: LogPolicy): RecordLog {
    const key = `${policy}/${doc}`
    let log = this.#logs.get(key)
    if (log === undefined) {
      log = new RecordLog(doc, design, policy, this.cache, this.counters)
      this.#logs.set(key, log)
    }
    return log
  }

  // ---- designs ---------------------------------------------------------------------------------

  /** Loads and verifies a design. Throws NotFoundError or UnverifiableDesignError. */
  async design(id: DesignId, options: { held?: boolean } = {}): Promise<VerifiedDesign> {
    // The cached state is looked up while the document loads (both are storage reads): neither waits for the other.
    const cached = this.#designs.has(id) ? undefined : this.#cachedDesign(id)
    const gov = options.held ? await this.store.findHeld(id) : await this.store.find(id, 'design')
    if (gov === null) throw new NotFoundError(`design ${toUrl(id)} is not in this store`, { id })
    const govDoc = gov.doc()
    const govHeads = headsKey(A.getHeads(govDoc))
    let entry = this.#designs.get(id) ?? (await cached)
    if (entry === undefined || entry.govHeads !== govHeads) {
      entry = await this.#foldDesign(id, govDoc, govHeads, options.held === true)
    } else {
      const contentDoc = await this.#content(entry.state, options.held === true)
      const contentHeads = headsKey(A.getHeads(contentDoc))
      if (contentHeads !== entry.contentHeads) entry = this.#refresh(entry, contentDoc, contentHeads)
    }
    this.#designs.set(id, entry)
    return this.#view(entry)
  }

  /**
   * The state this store last verified for a design, from memory or its sealed cache entry, read
   * without its documents: what a page shows first while they load (a browser's first paint), never
   * what anything is decided on. It may be behind the documents, never ahead of them or beside
   * them: it is what verification of their signed history gave at the heads it names, and the next
   * `design()` checks those heads as for any cached state. Null when nothing was verified here or
   * the entry does not open (damaged, foreign, another version).
   */
  async lastVerified(id: DesignId): Promise<VerifiedDesign | null> {
    let entry = this.#designs.get(id)
    if (entry === undefined) {
      entry = await this.#cachedDesign(id)
      if (entry === undefined) return null
      // Kept for design(), which compares it with the documents' heads before using it, as it
      // would compare the entry it reads itself (and so does not read it a second time).
      if (!this.#designs.has(id)) this.#designs.set(id, entry)
    }
    return this.#view(entry)
  }

  /** The design's full record history: every valid record in order, every approval (for the log). */
  async history(id: DesignId): Promise<GovernanceHistory> {
    const gov = await this.store.find(id, 'design')
    const log = this.#log(id, id, 'governance')
    const contents = await log.update(gov.doc())
    const { genesis } = findGenesis(id, contents.valid)
    const contentDoc = (await this.store.find(genesis.body.payload.content, 'content document')).doc()
    return foldGovernance(id, contents.valid, contentDoc, [...contents.rejected, ...parkedRejections(contents.parked, contents.valid)])
  }

  /** A verified design's content document (raw: read it only at heads verification named). */
  async contentDoc(d: { state: DesignState }, held = false): Promise<A.Doc<unknown>> {
    return await this.#content(d.state, held)
  }

  async #content(state: DesignState, held: boolean): Promise<A.Doc<unknown>> {
    const id = state.genesis.body.payload.content
    const handle = held ? await this.store.findHeld(id) : await this.store.find(id, 'content document')
    if (handle === null) throw new NotFoundError(`the content of design ${toUrl(state.design)} is not in this store`, { id, missing: id })
    return handle.doc()
  }

  async #foldDesign(id: DesignId, govDoc: A.Doc<unknown>, govHeads: string, held: boolean): Promise<DesignEntry> {
    const contents = await this.#log(id, id, 'governance').update(govDoc)
    // The trusted genesis names the content document the fold needs.
    const { genesis } = findGenesis(id, contents.valid)
    const contentHandle = held
      ? await this.store.findHeld(genesis.body.payload.content)
      : await this.store.find(genesis.body.payload.content, 'content document')
    // `missing`: the document that is not here (a hub's index waits for it to retry).
    if (contentHandle === null) throw new NotFoundError(`the content of design ${toUrl(id)} is not in this store`, { id, missing: genesis.body.payload.content })
    const contentDoc = contentHandle.doc()
    this.counters.designFolds++
    const { state, approvals } = foldGovernance(id, contents.valid, contentDoc, [...contents.rejected, ...parkedRejections(contents.parked, contents.valid)])
    const lineage = lineageOf(state, approvals)
    const entry = { govHeads, contentHeads: headsKey(A.getHeads(contentDoc)), state, lineage, ...viewContent(state, contentDoc, lineage) }
    void this.cache?.put(`design/${id}`, persistDesign(entry))
    return entry
  }

  /** Only the content document moved: approvals waiting for their heads may now count. */
  #refresh(entry: DesignEntry, contentDoc: A.Doc<unknown>, contentHeads: string): DesignEntry {
    const state = refreshAvailability(entry.state, contentDoc)
    const next =
      state === entry.state
        ? { ...entry, contentHeads }
        : { govHeads: entry.govHeads, contentHeads, state, lineage: entry.lineage, ...viewContent(state, contentDoc, entry.lineage) }
    void this.cache?.put(`design/${entry.state.design}`, persistDesign(next))
    return next
  }

  async #cachedDesign(id: DesignId): Promise<DesignEntry | undefined> {
    if (this.cache === null) return undefined
    const raw = await this.cache.get(`design/${id}`)
    return raw === undefined ? undefined : restoreDesign(raw, id)
  }

  #view(entry: DesignEntry): VerifiedDesign {
    const { state } = entry
    const g = state.genesis.body.payload
    return {
      id: state.design,
      url: toUrl(state.design),
      state,
      contentId: g.content,
      inboxId: g.inbox,
      forkedFrom: g.forkedFrom === null ? null : { design: g.forkedFrom.design, url: toUrl(g.forkedFrom.design), heads: g.forkedFrom.heads },
      content: entry.content,
      problems: entry.problems,
      names: NameBook.fromClaims(state.names),
      version: `${entry.govHeads}|${entry.contentHeads}`,
      licenceNotice: entry.licenceNotice,
    }
  }

  // ---- inboxes ---------------------------------------------------------------------------------

  async inbox(design: VerifiedDesign, options: { held?: boolean } = {}): Promise<VerifiedInbox> {
    const handle = options.held ? await this.store.findHeld(design.inboxId) : await this.store.find(design.inboxId, 'inbox')
    if (handle === null) throw new NotFoundError(`the inbox of design ${design.url} is not in this store`, { id: design.inboxId, missing: design.inboxId })
    const heads = headsKey(A.getHeads(handle.doc()))
    const version = `${heads}|${design.id}`
    const known = this.#inboxes.get(design.inboxId)
    if (known?.version === version) return known
    const contents = await this.#log(design.inboxId, design.id, 'open').update(handle.doc())
    this.counters.inboxFolds++
    const state = foldInbox(design.id, contents.valid, contents.rejected)
    const book = NameBook.fromClaims(state.names).merge(design.names)
    const forks = state.forks.map((f) => ({ design: toUrl(f.design), author: f.author, authorName: book.get(f.author), time: f.time, record: f.record }))
    const inbox: VerifiedInbox = { ...state, forks, book, version }
    this.#inboxes.set(design.inboxId, inbox)
    return inbox
  }

  /** The inbox's valid records, for folds that read it beside `foldInbox` (needs, makes). */
  async inboxRecords(design: VerifiedDesign, options: { held?: boolean } = {}): Promise<SignedRecord[]> {
    const handle = options.held ? await this.store.findHeld(design.inboxId) : await this.store.find(design.inboxId, 'inbox')
    if (handle === null) throw new NotFoundError(`the inbox of design ${design.url} is not in this store`, { id: design.inboxId })
    return (await this.#log(design.inboxId, design.id, 'open').update(handle.doc())).valid
  }

  // ---- proposals -------------------------------------------------------------------------------

  /**
   * Loads and verifies a proposal and its target. With `held`, nothing is asked of peers (for
   * listings: a pointer to a proposal nobody here holds costs nothing).
   */
  async proposal(id: DocumentId, options: { held?: boolean } = {}): Promise<VerifiedProposal> {
    const handle = options.held ? await this.store.findHeld(id) : await this.store.find(id, 'proposal')
    if (handle === null) throw new NotFoundError(`proposal ${toUrl(id)} is not in this store`, { id })
    const log = this.#log(id, null, 'proposal')
    const contents = await log.update(handle.doc())
    if (log.design === null) throw new InvalidInputError(`${toUrl(id)} is not a proposal: it holds no opening revision bound to its id`, { id })
    const target = await this.design(log.design, options)
    const opening = findOpening(id, contents.valid)
    const sourceId = opening?.body.payload.source ?? null
    const source = sourceId === null ? null : await this.#sourceFacts(sourceId, options.held === true)
    const version = `${headsKey(contents.heads)}|${target.version}|${source?.version ?? '-'}`
    const known = this.#proposals.get(id)
    if (known?.version === version) return known
    this.counters.proposalFolds++
    const state = foldProposal(
      id,
      contents.valid,
      { id: target.id, maintainers: target.state.maintainers, threshold: target.state.threshold, approvals: target.state.approvals },
      source?.facts ?? null,
      contents.rejected,
    )
    if (state === null) throw new InvalidInputError(`${toUrl(id)} holds no valid opening revision for ${target.url}`, { id })
    const proposal: VerifiedProposal = { ...state, url: toUrl(id), names: NameBook.from(contents.valid).merge(target.names), version }
    this.#proposals.set(id, proposal)
    return proposal
  }

  async #sourceFacts(id: DesignId, held: boolean): Promise<{ facts: SourceFacts; version: string } | null> {
    let source: VerifiedDesign
    try {
      source = await this.design(id, { held: true })
    } catch (err) {
      if (held || !(err instanceof NotFoundError)) return null
      try {
        source = await this.design(id)
      } catch {
        return null
      }
    }
    const doc = await this.#content(source.state, true).catch(() => null)
    const canonical = source.state.canonicalHeads
    return {
      version: source.version,
      facts: {
        id: source.id,
        signed: (heads) => (doc === null || !holds(doc, [...heads]) ? null : covers(doc, canonical, heads)),
      },
    }
  }

  // ---- what a document is ----------------------------------------------------------------------

  /** What a document is, from its signed history: a design, a proposal, or neither (null). */
  async kind(id: DocumentId): Promise<'design' | 'proposal' | null> {
    const handle = await this.store.findHeld(id)
    if (handle === null) return null
    const gov = await this.#log(id, id as DesignId, 'governance').update(handle.doc())
    if (gov.valid.some((r) => r.body.payload.kind === 'genesis')) return 'design'
    const log = this.#log(id, null, 'proposal')
    await log.update(handle.doc())
    return log.design === null ? null : 'proposal'
  }
}

/** Records parked in a governance log, reported as the fold used to report them. */
function parkedRejections(parked: readonly SignedRecord[], valid: readonly SignedRecord[]) {
  const known = new Set([...valid, ...parked].map((r) => r.id))
  return parked.map((r) => ({
    id: r.id,
    kind: r.body.payload.kind,
    author: r.body.author,
    reason: r.body.prev.every((p) => known.has(p)) ? "author was not a maintainer at the record's base" : 'names a record that is missing or invalid',
  }))
}

/** The designs (and heads) the content was taken from: the fork's origin, then each approved update. */
function lineageOf(state: DesignState, approvals: readonly HeadsApproval[]): ForkOrigin[] {
  const origin = state.genesis.body.payload.forkedFrom
  const updates = approvals.filter((a) => a.reason === 'update' && a.approved && a.from !== undefined).map((a) => a.from!)
  return [...(origin === null ? [] : [origin]), ...updates]
}

/** The canonical content, and a fork's own name standing until a maintainer edits the title. */
function viewContent(
  state: DesignState,
  contentDoc: A.Doc<unknown>,
  lineage: readonly ForkOrigin[],
): { content: DesignContent; problems: ContentProblem[]; licenceNotice: LicenceNotice | null } {
  const parsed = parseContent(A.view(contentDoc, state.canonicalHeads), { design: state.design })
  let content = parsed.content
  const forkTitle = state.genesis.body.payload.title
  if (forkTitle !== '' && content.title === text((A.view(contentDoc, state.genesis.body.heads) as { title?: unknown }).title)) {
    content = { ...content, title: forkTitle }
  }
  const sources = lineage.map((o) => ({ ...o, licenses: holds(contentDoc, o.heads) ? licencesAt(A.view(contentDoc, o.heads)) : null }))
  return { content, problems: parsed.problems, licenceNotice: licenceNotice(content.licenses, sources) }
}

function persistDesign(entry: DesignEntry): unknown {
  const { genesis, ...rest } = entry.state
  return {
    govHeads: entry.govHeads,
    contentHeads: entry.contentHeads,
    state: { ...rest, genesis: genesis.bytes },
    content: entry.content,
    problems: entry.problems,
    lineage: entry.lineage,
    licenceNotice: entry.licenceNotice,
  }
}

function restoreDesign(raw: unknown, id: DesignId): DesignEntry | undefined {
  try {
    const r = raw as Omit<DesignEntry, 'state'> & { state: Omit<DesignState, 'genesis'> & { genesis: Uint8Array } }
    if (typeof r.govHeads !== 'string' || typeof r.contentHeads !== 'string' || r.state.design !== id) return undefined
    // An entry from before lineage was kept: folded again, from history.
    if (!Array.isArray(r.lineage) || r.licenceNotice === undefined) return undefined
    const genesis = decodeRecord(r.state.genesis) as DesignState['genesis']
    return { ...r, state: { ...r.state, genesis } }
  } catch {
    return undefined
  }
}
