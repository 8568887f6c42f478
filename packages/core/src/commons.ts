/**
 * The operations people perform on designs, over an automerge-repo `Repo` (whatever storage and
 * network the caller gave it). Every read verifies; every write is the honest-client write the
 * trust rules describe: maintainers write at the canonical heads and sign; everyone else forks.
 */
import * as A from '@automerge/automerge'
import { decodeHeads, encodeHeads, type DocHandle, type Repo, type UrlHeads } from '@automerge/automerge-repo'
import type { BlobHash, BlobInfo, BlobSource, BlobStore } from './blobs.js'
import { diffMerge, type DesignDiff } from './diff.js'
import { InvalidInputError, NoIdentityError, NotFoundError, NotPermittedError, StateError } from './errors.js'
import { designIdFor, newNonce } from './genesis.js'
import { collectRecords, type RejectedRecord, type VerificationCache } from './history.js'
import type { Identity } from './identity.js'
import {
  headsKey,
  normalizeHeads,
  parseDesignId,
  parseDocumentId,
  parsePersonId,
  toUrl,
  type AutomergeUrl,
  type ChangeHash,
  type DesignId,
  type DocumentId,
  type PersonId,
  type RecordId,
} from './ids.js'
import { findGenesis, foldGovernance, frontier, type DesignState, type HeadsApproval } from './governance.js'
import { NameBook, type PersonNames } from './names.js'
import { orderRecords } from './order.js'
import { signRecord, type RecordDraft, type RecordPayload, type SignedRecord } from './records.js'
import { licenceWarnings, type LicenceWarning } from './licences.js'
import { applyDetailsPatch, detailsDoc, detailsPatchFields, parseDetailsInput, type DetailsInput } from './details.js'
import {
  CONTENT_SCHEMA,
  GOVERNANCE_SCHEMA,
  INBOX_SCHEMA,
  PROPOSAL_SCHEMA,
  guessFileType,
  parseContent,
  parseField,
  parseFileName,
  parseFileRole,
  parseMediaType,
  parseLicense,
  parseLongText,
  parseQuantity,
  parseTag,
  text,
  LICENSE_KINDS,
  type ContentDoc,
  type ContentProblem,
  type DesignContent,
  type FileRef,
  type FileRole,
  type GovernanceDoc,
  type InboxDoc,
  type LicenseKind,
  type ProposalDoc,
} from './schema.js'

export interface DesignInit extends DetailsInput {
  title: string
  summary?: string
  readme?: string
  version?: string
  tags?: string[]
  licenses?: Partial<Record<LicenseKind, string | null>>
}

export interface DesignPatch extends Omit<DetailsInput, 'parts' | 'software'> {
  title?: string
  summary?: string
  readme?: string
  version?: string
  tags?: string[]
  licenses?: Partial<Record<LicenseKind, string | null>>
}

export interface BomRowInput {
  name?: string
  quantity?: number | string
  unit?: string
  material?: string
  notes?: string
}

export interface StepInput {
  title?: string
  body?: string
}

export interface FileInput {
  /** Shown to people and suggested on download; one line, no path. */
  name: string
  /** The bytes: whole, or a stream (a file read from disk). */
  data: BlobSource
  /** Default: guessed from the name's extension. */
  mediaType?: string
  /** Default: guessed from the name's extension (`document` when unknown). */
  role?: FileRole | string
}

/** A file of a design, and whether its bytes are in this store. */
export interface FileEntry extends FileRef {
  present: boolean
}

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
}

export type ProposalStatus = 'open' | 'accepted' | 'rejected'

export interface Revision {
  number: number
  /** accepted (its merge is canonical), rejected, superseded by a later revision, or open. */
  status: 'open' | 'accepted' | 'rejected' | 'superseded'
  record: RecordId
  author: PersonId
  time: number
  heads: ChangeHash[]
  base: ChangeHash[]
  title: string
  description: string
}

export interface Verdict {
  record: RecordId
  author: PersonId
  time: number
  revision: RecordId
  verdict: 'accept' | 'reject'
  comment: string
}

export interface VerifiedProposal {
  id: DocumentId
  url: AutomergeUrl
  target: DesignId
  source: DesignId
  title: string
  description: string
  author: PersonId
  revisions: Revision[]
  verdicts: Verdict[]
  comments: { record: RecordId; author: PersonId; time: number; text: string }[]
  status: ProposalStatus
  /** For the latest revision: maintainers who signed its merge, and how many are needed. */
  approvals: { signers: PersonId[]; needed: number }
  ignored: RejectedRecord[]
  /** Display names from the proposal's verified records and its target design's. */
  names: NameBook
}

export interface ProposalSummary {
  proposal: AutomergeUrl
  title: string
  author: PersonId | null
  /** The author's display name, when one of their records here carries it. */
  authorName: string | null
  source: AutomergeUrl | null
  /** The latest revision's status; 'unavailable' when the proposal cannot be read here (see `reason`). */
  status: ProposalStatus | 'unavailable'
  reason?: string
  revisions: number
  approvals: number
  threshold: number
}

export interface ForkSummary {
  design: AutomergeUrl
  author: PersonId
  authorName: string | null
  time: number
}

export interface InboxView {
  forks: ForkSummary[]
  proposals: DocumentId[]
  comments: { record: RecordId; author: PersonId; time: number; text: string }[]
  ignored: RejectedRecord[]
  /** Display names signed into the inbox's verified records. */
  names: NameBook
}

export interface LogEntry {
  record: RecordId
  kind: string
  author: PersonId
  /** The author's latest display name in this design's records (self-asserted), if any. */
  authorName: string | null
  time: number
  summary: string
  heads: ChangeHash[]
}

export interface VerificationReport {
  design: AutomergeUrl
  genesis: { record: RecordId; author: PersonId; time: number; bound: true }
  maintainers: PersonId[]
  threshold: number
  canonicalHeads: ChangeHash[]
  forkedFrom: AutomergeUrl | null
  records: { valid: number; ignored: number }
  pending: { kind: 'content' | 'governance'; summary: string; signers: PersonId[]; needed: number }[]
  ignored: RejectedRecord[]
  contentProblems: ContentProblem[]
  /** Display names signed into the design's valid records, by person id (self-asserted). */
  names: PersonNames
}

const NOT_MAINTAINER = (title: string, url: string) =>
  `you are not a maintainer of "${title}": fork it (cosmo fork ${url}) and propose your changes`

export class Commons {
  constructor(
    readonly repo: Repo,
    readonly identity: Identity | null,
    /** Where attachment bytes live; null for callers that never touch files. */
    readonly blobs: BlobStore | null = null,
  ) {}

  /** Signature checks already done by this instance (records are immutable: id = hash of bytes). */
  private readonly verified: VerificationCache = new Map()

  /** A document's records, read from its full history and verified for `design`. */
  async records(doc: A.Doc<unknown>, design: DesignId) {
    if (this.verified.size > 100_000) this.verified.clear()
    return await collectRecords(doc, design, this.verified)
  }

  private me(): Identity {
    if (this.identity === null) throw new NoIdentityError('no identity yet: create one with `cosmo id init --name NAME`')
    return this.identity
  }

  // ---- reading ---------------------------------------------------------------------------

  async handle<T>(id: DocumentId, what: string): Promise<DocHandle<T>> {
    try {
      return await this.repo.find<T>(id)
    } catch (err) {
      if (/unavailable|deleted/i.test((err as Error).message)) {
        throw new NotFoundError(`${what} ${toUrl(id)} is not in this store`, { id })
      }
      throw err
    }
  }

  /** Loads and verifies a design. Throws NotFoundError or UnverifiableDesignError. */
  async design(ref: string): Promise<VerifiedDesign> {
    const id = parseDesignId(ref)
    const gov = await this.handle<GovernanceDoc>(id, 'design')
    const { records, rejected } = await this.records(gov.doc(), id)
    // The trusted genesis names the content document the fold needs.
    const contentId = findGenesis(id, records).genesis.body.payload.content
    const contentDoc = (await this.handle<ContentDoc>(contentId, 'content document')).doc()
    const state = foldGovernance(id, records, contentDoc, rejected)
    // Names from the records that count only: anyone can write signed junk into a governance
    // document, and junk must not change what the design shows, not even a list of names.
    const names = NameBook.from(state.valid)
    const parsed = parseContent(A.view(contentDoc, state.canonicalHeads))
    const { problems } = parsed
    let content = parsed.content
    // A fork's own name stands until a maintainer edits the title in its content.
    const forkTitle = state.genesis.body.payload.title
    if (forkTitle !== '' && content.title === text(A.view(contentDoc, state.genesis.body.heads).title)) {
      content = { ...content, title: forkTitle }
    }
    const origin = state.genesis.body.payload.forkedFrom
    return {
      id,
      url: toUrl(id),
      state,
      contentId,
      inboxId: state.genesis.body.payload.inbox,
      forkedFrom: origin === null ? null : { design: origin.design, url: toUrl(origin.design), heads: origin.heads },
      content,
      problems,
      names,
    }
  }

  isMaintainer(design: VerifiedDesign, person: PersonId | null = this.identity?.id ?? null): boolean {
    return person !== null && design.state.maintainers.includes(person)
  }

  async verify(ref: string): Promise<VerificationReport> {
    const d = await this.design(ref)
    const s = d.state
    return {
      design: d.url,
      genesis: { record: s.genesis.id, author: s.genesis.body.author, time: s.genesis.body.time, bound: true },
      maintainers: s.maintainers,
      threshold: s.threshold,
      canonicalHeads: s.canonicalHeads,
      forkedFrom: d.forkedFrom?.url ?? null,
      records: { valid: s.valid.length, ignored: s.ignored.length },
      pending: [
        ...s.approvals
          .filter((a) => !a.approved)
          .map((a) => ({ kind: 'content' as const, summary: a.summary, signers: a.signers, needed: a.needed })),
        ...s.pending.map((p) => ({
          kind: 'governance' as const,
          summary: describeAction(p.action),
          signers: p.signers,
          needed: p.needed,
        })),
      ],
      ignored: s.ignored,
      contentProblems: d.problems,
      names: d.names.toJSON(),
    }
  }

  /** The design's valid signed records: who did what, when (in the fold's order). */
  async log(ref: string): Promise<LogEntry[]> {
    const d = await this.design(ref)
    return d.state.valid.map((r) => ({
      record: r.id,
      kind: r.body.payload.kind,
      author: r.body.author,
      authorName: d.names.get(r.body.author),
      time: r.body.time,
      summary: describeRecord(r.body.payload),
      heads: r.body.heads,
    }))
  }

  async inbox(design: VerifiedDesign): Promise<InboxView> {
    const handle = await this.handle<InboxDoc>(design.inboxId, 'inbox')
    const { records, rejected } = await this.records(handle.doc(), design.id)
    const names = NameBook.from(records).merge(design.names)
    const view: InboxView = { forks: [], proposals: [], comments: [], ignored: [...rejected], names }
    for (const r of orderRecords(records)) {
      const p = r.body.payload
      if (p.kind === 'fork-pointer') view.forks.push({ design: toUrl(p.fork), author: r.body.author, authorName: names.get(r.body.author), time: r.body.time })
      else if (p.kind === 'proposal-pointer') view.proposals.push(p.proposal)
      else if (p.kind === 'comment') view.comments.push({ record: r.id, author: r.body.author, time: r.body.time, text: p.text })
      else view.ignored.push({ id: r.id, kind: p.kind, author: r.body.author, reason: `a ${p.kind} record does not belong in an inbox` })
    }
    view.proposals = [...new Set(view.proposals)]
    return view
  }

  // ---- creating and editing ----------------------------------------------------------------

  async createDesign(init: DesignInit): Promise<DesignId> {
    const me = this.me()
    const title = parseField(init.title, 'title', { required: true })
    const content: Record<string, unknown> = {
      schema: CONTENT_SCHEMA,
      title: new A.ImmutableString(title),
      summary: new A.ImmutableString(parseField(init.summary, 'summary')),
      readme: parseLongText(init.readme, 'readme'),
      version: new A.ImmutableString(parseField(init.version, 'version')),
      tags: Object.fromEntries((init.tags ?? []).map((t) => [parseTag(t), true])),
      licenses: Object.fromEntries(
        LICENSE_KINDS.map((k) => {
          const l = parseLicense(init.licenses?.[k], k)
          return [k, l === null ? null : new A.ImmutableString(l)]
        }),
      ),
      bom: {},
      steps: {},
      files: {},
      ...detailsDoc(parseDetailsInput(init), newEntryId),
    }
    const contentHandle = this.repo.create<ContentDoc>(content as unknown as ContentDoc)
    return await this.genesis(me, contentHandle, null)
  }

  private async genesis(
    me: Identity,
    contentHandle: DocHandle<ContentDoc>,
    forkedFrom: { design: DesignId; heads: ChangeHash[] } | null,
    title = '',
  ) {
    const nonce = newNonce()
    const design = designIdFor(me.id, nonce)
    const inbox = this.repo.create<InboxDoc>({ schema: INBOX_SCHEMA, design, entries: [] })
    const genesis = await signRecord(me, {
      design,
      heads: A.getHeads(contentHandle.doc()),
      payload: { kind: 'genesis', nonce, content: contentHandle.documentId, inbox: inbox.documentId, forkedFrom, title },
    })
    const doc = A.from({ schema: GOVERNANCE_SCHEMA, records: [] } as Record<string, unknown>) as A.Doc<GovernanceDoc>
    const withGenesis = A.change(doc, (d) => {
      d.records.push(genesis.bytes)
    })
    this.repo.import(A.save(withGenesis), { docId: design })
    return design
  }

  /**
   * The honest maintainer write: apply `fn` at the canonical heads (never on top of changes
   * nobody signed) and sign the resulting heads. Returns the new heads, or the canonical heads
   * unchanged when `fn` changed nothing.
   */
  async changeContent(ref: string | VerifiedDesign, summary: string, fn: (doc: ContentDoc) => void): Promise<ChangeHash[]> {
    const me = this.me()
    const d = typeof ref === 'string' ? await this.design(ref) : ref
    if (!this.isMaintainer(d)) throw new NotPermittedError(NOT_MAINTAINER(d.content.title, d.url), { design: d.id })
    const handle = await this.handle<ContentDoc>(d.contentId, 'content document')
    const result = handle.changeAt(encodeHeads(d.state.canonicalHeads) as UrlHeads, fn)
    if (result === undefined) return d.state.canonicalHeads
    const heads = normalizeHeads(decodeHeads(result))
    if (headsKey(heads) === headsKey(d.state.canonicalHeads)) return heads
    await this.appendGovernance(d, me, { base: d.state.canonicalHeads, heads, payload: { kind: 'content', reason: 'edit', summary, proposal: null } })
    return heads
  }

  async editDesign(ref: string | VerifiedDesign, patch: DesignPatch): Promise<ChangeHash[]> {
    const title = patch.title === undefined ? undefined : parseField(patch.title, 'title', { required: true })
    const summary = patch.summary === undefined ? undefined : parseField(patch.summary, 'summary')
    const version = patch.version === undefined ? undefined : parseField(patch.version, 'version')
    const readme = patch.readme === undefined ? undefined : parseLongText(patch.readme, 'readme')
    const tags = patch.tags?.map(parseTag)
    const licenses = Object.entries(patch.licenses ?? {}).map(([k, v]) => [k, parseLicense(v, k as LicenseKind)] as const)
    const details = parseDetailsInput({ ...patch, parts: undefined, software: undefined } as DetailsInput)
    const what = [
      title !== undefined && 'title',
      summary !== undefined && 'summary',
      readme !== undefined && 'readme',
      version !== undefined && 'version',
      tags !== undefined && 'tags',
      licenses.length > 0 && 'licences',
      ...detailsPatchFields(details),
    ].filter(Boolean)
    if (what.length === 0) throw new InvalidInputError('nothing to edit: give at least one field')
    return await this.changeContent(ref, `edited ${what.join(', ')}`, (doc) => {
      if (title !== undefined && doc.title?.val !== title) doc.title = new A.ImmutableString(title)
      if (summary !== undefined && doc.summary?.val !== summary) doc.summary = new A.ImmutableString(summary)
      if (version !== undefined && doc.version?.val !== version) doc.version = new A.ImmutableString(version)
      if (readme !== undefined && doc.readme !== readme) A.updateText(doc, ['readme'], readme)
      if (tags !== undefined) {
        for (const t of Object.keys(doc.tags)) if (!tags.includes(t)) delete doc.tags[t]
        for (const t of tags) if (doc.tags[t] !== true) doc.tags[t] = true
      }
      for (const [k, v] of licenses) {
        const current = doc.licenses[k as LicenseKind]
        if ((current?.val ?? null) !== v) doc.licenses[k as LicenseKind] = v === null ? null : new A.ImmutableString(v)
      }
      applyDetailsPatch(doc, details)
    })
  }

  async addBomRow(ref: string, input: BomRowInput, options: { before?: string } = {}): Promise<{ id: string; heads: ChangeHash[] }> {
    const name = parseField(input.name, 'name', { required: true })
    const quantity = parseQuantity(input.quantity)
    const unit = parseField(input.unit ?? 'pcs', 'unit') || 'pcs'
    const material = parseField(input.material, 'material')
    const notes = parseLongText(input.notes, 'notes')
    const d = await this.design(ref)
    if (options.before !== undefined && !d.content.bom.some((r) => r.id === options.before)) {
      throw new NotFoundError(`no BOM row ${options.before} in "${d.content.title}" to insert before`, { design: d.id, row: options.before })
    }
    const id = newEntryId()
    const heads = await this.changeContent(d, `added BOM row "${name}"`, (doc) => {
      doc.bom[id] = {
        name: new A.ImmutableString(name),
        quantity,
        unit: new A.ImmutableString(unit),
        material: new A.ImmutableString(material),
        notes,
        position: positionFor(Object.entries(doc.bom).map(([k, v]) => ({ id: k, position: v.position })), options.before),
      }
    })
    return { id, heads }
  }

  async setBomRow(ref: string, rowId: string, input: BomRowInput): Promise<ChangeHash[]> {
    const d = await this.design(ref)
    const row = d.content.bom.find((r) => r.id === rowId)
    if (row === undefined) throw new NotFoundError(`no BOM row ${rowId} in "${d.content.title}"`, { design: d.id, row: rowId })
    const name = input.name === undefined ? undefined : parseField(input.name, 'name', { required: true })
    const quantity = input.quantity === undefined ? undefined : parseQuantity(input.quantity)
    const unit = input.unit === undefined ? undefined : parseField(input.unit, 'unit', { required: true })
    const material = input.material === undefined ? undefined : parseField(input.material, 'material')
    const notes = input.notes === undefined ? undefined : parseLongText(input.notes, 'notes')
    if ([name, quantity, unit, material, notes].every((v) => v === undefined)) {
      throw new InvalidInputError('nothing to change: give at least one of --name, --quantity, --unit, --material, --notes')
    }
    return await this.changeContent(d, `changed BOM row "${name ?? row.name}"`, (doc) => {
      const r = doc.bom[rowId]!
      if (name !== undefined && r.name.val !== name) r.name = new A.ImmutableString(name)
      if (quantity !== undefined && r.quantity !== quantity) r.quantity = quantity
      if (unit !== undefined && r.unit.val !== unit) r.unit = new A.ImmutableString(unit)
      if (material !== undefined && r.material.val !== material) r.material = new A.ImmutableString(material)
      if (notes !== undefined && r.notes !== notes) A.updateText(doc, ['bom', rowId, 'notes'], notes)
    })
  }

  async removeBomRow(ref: string, rowId: string): Promise<ChangeHash[]> {
    const d = await this.design(ref)
    const row = d.content.bom.find((r) => r.id === rowId)
    if (row === undefined) throw new NotFoundError(`no BOM row ${rowId} in "${d.content.title}"`, { design: d.id, row: rowId })
    return await this.changeContent(d, `removed BOM row "${row.name}"`, (doc) => {
      delete doc.bom[rowId]
    })
  }

  /** Moves a BOM row before another one (or to the end). Only the moved row's position changes. */
  async moveBomRow(ref: string, rowId: string, before: string | null): Promise<ChangeHash[]> {
    const d = await this.design(ref)
    const row = d.content.bom.find((r) => r.id === rowId)
    if (row === undefined) throw new NotFoundError(`no BOM row ${rowId} in "${d.content.title}"`, { design: d.id, row: rowId })
    if (before !== null && !d.content.bom.some((r) => r.id === before)) throw new NotFoundError(`no BOM row ${before}`)
    return await this.changeContent(d, `moved BOM row "${row.name}"`, (doc) => {
      const others = Object.entries(doc.bom)
        .filter(([k]) => k !== rowId)
        .map(([k, v]) => ({ id: k, position: v.position }))
      doc.bom[rowId]!.position = positionFor(others, before ?? undefined)
    })
  }

  async addStep(ref: string, input: StepInput): Promise<{ id: string; heads: ChangeHash[] }> {
    const title = parseField(input.title, 'title', { required: true })
    const body = parseLongText(input.body, 'body')
    const id = newEntryId()
    const heads = await this.changeContent(ref, `added step "${title}"`, (doc) => {
      doc.steps[id] = {
        title: new A.ImmutableString(title),
        body,
        position: positionFor(Object.entries(doc.steps).map(([k, v]) => ({ id: k, position: v.position }))),
      }
    })
    return { id, heads }
  }

  async setStep(ref: string, stepId: string, input: StepInput): Promise<ChangeHash[]> {
    const d = await this.design(ref)
    const step = d.content.steps.find((s) => s.id === stepId)
    if (step === undefined) throw new NotFoundError(`no step ${stepId} in "${d.content.title}"`, { design: d.id, step: stepId })
    const title = input.title === undefined ? undefined : parseField(input.title, 'title', { required: true })
    const body = input.body === undefined ? undefined : parseLongText(input.body, 'body')
    if (title === undefined && body === undefined) throw new InvalidInputError('nothing to change: give --title or --body')
    return await this.changeContent(d, `changed step "${title ?? step.title}"`, (doc) => {
      const s = doc.steps[stepId]!
      if (title !== undefined && s.title.val !== title) s.title = new A.ImmutableString(title)
      if (body !== undefined && s.body !== body) A.updateText(doc, ['steps', stepId, 'body'], body)
    })
  }

  async removeStep(ref: string, stepId: string): Promise<ChangeHash[]> {
    const d = await this.design(ref)
    const step = d.content.steps.find((s) => s.id === stepId)
    if (step === undefined) throw new NotFoundError(`no step ${stepId} in "${d.content.title}"`, { design: d.id, step: stepId })
    return await this.changeContent(d, `removed step "${step.title}"`, (doc) => {
      delete doc.steps[stepId]
    })
  }

  /** Moves a step before another one (or to the end). Only the moved step's position changes. */
  async moveStep(ref: string, stepId: string, before: string | null): Promise<ChangeHash[]> {
    const d = await this.design(ref)
    const step = d.content.steps.find((s) => s.id === stepId)
    if (step === undefined) throw new NotFoundError(`no step ${stepId} in "${d.content.title}"`, { design: d.id, step: stepId })
    if (before !== null && !d.content.steps.some((s) => s.id === before)) {
      throw new NotFoundError(`no step ${before} in "${d.content.title}" to move before`, { design: d.id, step: before })
    }
    return await this.changeContent(d, `moved step "${step.title}"`, (doc) => {
      const others = Object.entries(doc.steps)
        .filter(([k]) => k !== stepId)
        .map(([k, v]) => ({ id: k, position: v.position }))
      doc.steps[stepId]!.position = positionFor(others, before ?? undefined)
    })
  }

  // ---- files ----------------------------------------------------------------------------------

  private requireBlobs(): BlobStore {
    if (this.blobs === null) throw new StateError('this store has no place for attachment bytes (no blob store)')
    return this.blobs
  }

  /**
   * Attaches a file: its bytes go to the blob store once (by hash, verified there), the design's
   * content gets a reference (name, hash, size, root, media type, role), signed like any edit.
   */
  async attachFile(ref: string, input: FileInput): Promise<{ id: string; hash: BlobHash; heads: ChangeHash[]; file: FileRef }> {
    const blobs = this.requireBlobs()
    const name = parseFileName(input.name)
    const guess = guessFileType(name)
    const mediaType = parseMediaType(input.mediaType ?? guess.mediaType)
    const role = parseFileRole(input.role ?? guess.role)
    const d = await this.design(ref)
    if (!this.isMaintainer(d)) throw new NotPermittedError(NOT_MAINTAINER(d.content.title, d.url), { design: d.id })
    const info = await blobs.put(input.data)
    return await this.attachBlob(d, { name, mediaType, role }, info)
  }

  /** Attaches bytes already in the blob store (an upload that streamed there first). */
  async attachBlob(
    ref: string | VerifiedDesign,
    meta: { name: string; mediaType?: string; role?: FileRole | string },
    info: BlobInfo,
  ): Promise<{ id: string; hash: BlobHash; heads: ChangeHash[]; file: FileRef }> {
    const blobs = this.requireBlobs()
    const name = parseFileName(meta.name)
    const guess = guessFileType(name)
    const mediaType = parseMediaType(meta.mediaType ?? guess.mediaType)
    const role = parseFileRole(meta.role ?? guess.role)
    const stored = await blobs.info(info.hash)
    if (stored === null || stored.root !== info.root || stored.size !== info.size) {
      throw new NotFoundError(`blob ${info.hash} is not in this store: store the bytes before attaching them`, { hash: info.hash })
    }
    const d = typeof ref === 'string' ? await this.design(ref) : ref
    const id = newEntryId()
    let position = 0
    const heads = await this.changeContent(d, `attached "${name}"`, (doc) => {
      if (doc.files === undefined) doc.files = {}
      position = positionFor(Object.entries(doc.files).map(([k, v]) => ({ id: k, position: v.position })))
      doc.files[id] = {
        name: new A.ImmutableString(name),
        hash: new A.ImmutableString(stored.hash),
        size: stored.size,
        root: new A.ImmutableString(stored.root),
        mediaType: new A.ImmutableString(mediaType),
        role: new A.ImmutableString(role),
        position,
      }
    })
    return { id, hash: stored.hash, heads, file: { id, name, hash: stored.hash, size: stored.size, root: stored.root, mediaType, role, position } }
  }

  /** The design's canonical files, each saying whether its bytes are in this store. */
  async files(ref: string | VerifiedDesign): Promise<FileEntry[]> {
    const d = typeof ref === 'string' ? await this.design(ref) : ref
    const out: FileEntry[] = []
    for (const f of d.content.files) out.push({ ...f, present: (await this.blobs?.has(f.hash)) ?? false })
    return out
  }

  /** One canonical file of a design. Throws NotFoundError. */
  async file(ref: string | VerifiedDesign, fileId: string): Promise<FileRef> {
    const d = typeof ref === 'string' ? await this.design(ref) : ref
    const f = d.content.files.find((x) => x.id === fileId)
    if (f === undefined) throw new NotFoundError(`no file ${fileId} in "${d.content.title}"`, { design: d.id, file: fileId })
    return f
  }

  /** Removes a file reference (the bytes stay in stores: other designs and forks may share them). */
  async removeFile(ref: string, fileId: string): Promise<ChangeHash[]> {
    const d = await this.design(ref)
    const f = await this.file(d, fileId)
    return await this.changeContent(d, `removed file "${f.name}"`, (doc) => {
      delete doc.files[fileId]
    })
  }

  /** Says what a file is for (cad, mesh, drawing, photo, document); the bytes and the rest of the reference stay. */
  async setFileRole(ref: string, fileId: string, role: FileRole | string): Promise<ChangeHash[]> {
    const r = parseFileRole(role)
    const d = await this.design(ref)
    const f = await this.file(d, fileId)
    if (f.role === r) return d.state.canonicalHeads
    return await this.changeContent(d, `made "${f.name}" a ${r} file`, (doc) => {
      doc.files[fileId]!.role = new A.ImmutableString(r)
    })
  }

  // ---- governance --------------------------------------------------------------------------

  async addMaintainer(ref: string, person: string): Promise<DesignState> {
    const member = parsePersonId(person)
    const d = await this.requireMaintainer(ref, 'add maintainers')
    if (d.state.maintainers.includes(member)) throw new StateError(`${member} is already a maintainer`)
    return await this.governanceAction(d, { op: 'add', member })
  }

  async removeMaintainer(ref: string, person: string): Promise<DesignState> {
    const member = parsePersonId(person)
    const d = await this.requireMaintainer(ref, 'remove maintainers')
    if (!d.state.maintainers.includes(member)) throw new NotFoundError(`${member} is not a maintainer`)
    if (d.state.maintainers.length - 1 < d.state.threshold) {
      throw new StateError(
        d.state.maintainers.length === 1
          ? 'cannot remove the last maintainer: add another one first'
          : `cannot go below the threshold of ${d.state.threshold}: lower it first (cosmo maintainers threshold)`,
      )
    }
    return await this.governanceAction(d, { op: 'remove', member })
  }

  async setThreshold(ref: string, k: number): Promise<DesignState> {
    if (!Number.isSafeInteger(k) || k < 1) throw new InvalidInputError(`threshold must be a whole number of at least 1, not ${k}`)
    const d = await this.requireMaintainer(ref, 'change the threshold')
    if (k > d.state.maintainers.length) {
      throw new StateError(`threshold ${k} is larger than the number of maintainers (${d.state.maintainers.length})`)
    }
    return await this.governanceAction(d, { op: 'threshold', k })
  }

  /**
   * Signs a governance action. If other maintainers already signed the same action and it awaits
   * more signatures (threshold > 1), this signature joins theirs.
   */
  private async governanceAction(d: VerifiedDesign, action: import('./records.js').GovernanceAction): Promise<DesignState> {
    const me = this.me()
    const same = d.state.pending.find((p) => JSON.stringify(p.action) === JSON.stringify(action))
    if (same?.signers.includes(me.id)) {
      throw new StateError(`you already signed this; it needs ${same.needed - same.signers.length} more maintainer signature(s)`)
    }
    await this.appendGovernance(d, me, {
      base: d.state.canonicalHeads,
      payload: { kind: 'governance', action, nonce: same?.nonce ?? newNonce() },
    })
    return (await this.design(d.id)).state
  }

  /** Co-signs content heads awaiting more maintainer signatures (threshold > 1). */
  async approve(ref: string): Promise<HeadsApproval[]> {
    const me = this.me()
    const d = await this.requireMaintainer(ref, 'approve changes')
    const waiting = d.state.approvals.filter((a) => !a.approved && !a.signers.includes(me.id))
    const pendingActions = d.state.pending.filter((p) => !p.signers.includes(me.id))
    if (waiting.length === 0 && pendingActions.length === 0) throw new StateError('nothing awaits your signature')
    // Each signature names the one before it, so that they stand in the order they were made.
    let prev: readonly RecordId[] = d.state.recordHeads
    for (const a of waiting) {
      const record = await this.appendGovernance(
        d,
        me,
        {
          base: d.state.canonicalHeads,
          heads: a.heads,
          payload: { kind: 'content', reason: a.reason === 'merge' ? 'merge' : 'edit', summary: a.summary, proposal: a.proposal as never },
        },
        prev,
      )
      prev = [record.id]
    }
    for (const p of pendingActions) {
      const record = await this.appendGovernance(
        d,
        me,
        { base: d.state.canonicalHeads, payload: { kind: 'governance', action: p.action, nonce: p.nonce } },
        prev,
      )
      prev = [record.id]
    }
    return waiting
  }

  private async requireMaintainer(ref: string, what: string): Promise<VerifiedDesign> {
    const d = await this.design(ref)
    if (!this.isMaintainer(d)) {
      throw new NotPermittedError(`only maintainers of "${d.content.title}" can ${what}; you can fork it (cosmo fork ${d.url})`, {
        design: d.id,
      })
    }
    return d
  }

  /** Appends a record to the design's governance document, naming the current record heads. */
  private async appendGovernance(
    d: VerifiedDesign,
    me: Identity,
    draft: Omit<RecordDraft<RecordPayload>, 'design' | 'prev'>,
    prev: readonly RecordId[] = d.state.recordHeads,
  ): Promise<SignedRecord> {
    const record = await signRecord(me, { ...draft, design: d.id, prev })
    const gov = await this.handle<GovernanceDoc>(d.id, 'design')
    gov.change((doc) => {
      doc.records.push(record.bytes)
    })
    return record
  }

  private async appendTo<T extends { entries: Uint8Array[] } | { records: Uint8Array[] }>(
    id: DocumentId,
    what: string,
    record: SignedRecord,
  ): Promise<void> {
    const handle = await this.handle<T>(id, what)
    handle.change((doc) => {
      if ('entries' in doc) doc.entries.push(record.bytes)
      else (doc as { records: Uint8Array[] }).records.push(record.bytes)
    })
  }

  // ---- forks and proposals -----------------------------------------------------------------

  /** Forks a design: its canonical content (history shared, no junk), a new genesis by me. */
  async fork(ref: string, options: { title?: string } = {}): Promise<DesignId> {
    const me = this.me()
    const up = await this.design(ref)
    const upContent = await this.handle<ContentDoc>(up.contentId, 'content document')
    // The fork's name goes in its genesis, not its content: content changes travel back upstream
    // with every proposal, and a fork's name should not rename the design it came from.
    const title = options.title === undefined ? '' : parseField(options.title, 'title', { required: true })
    const cloned = A.clone(A.view(upContent.doc(), up.state.canonicalHeads))
    const contentHandle = this.repo.import<ContentDoc>(A.save(cloned))
    const fork = await this.genesis(me, contentHandle, { design: up.id, heads: up.state.canonicalHeads }, title)
    const pointer = await signRecord(me, { design: up.id, payload: { kind: 'fork-pointer', fork } })
    await this.appendTo<InboxDoc>(up.inboxId, 'inbox', pointer)
    return fork
  }

  /**
   * Proposes a fork's canonical content to its upstream. If this fork already has an open (or
   * rejected) proposal there, the fork's new heads become its next revision.
   */
  async propose(input: { from: string; to: string; title: string; description?: string }): Promise<{
    proposal: DocumentId
    revision: number
    created: boolean
    /** Licence changes the proposal makes that the target's licences may not allow (also in its diff). */
    licenceWarnings: LicenceWarning[]
  }> {
    const me = this.me()
    const fork = await this.design(input.from)
    const target = await this.design(input.to)
    if (fork.forkedFrom?.design !== target.id) {
      throw new InvalidInputError(`${fork.url} is not a fork of ${target.url}: propose to the design it was forked from`, {
        from: fork.id,
        to: target.id,
      })
    }
    if (!this.isMaintainer(fork)) {
      throw new NotPermittedError(`only maintainers of the fork "${fork.content.title}" can propose it`, { design: fork.id })
    }
    const title = parseField(input.title, 'title', { required: true })
    const description = parseLongText(input.description ?? '', 'description')
    const heads = fork.state.canonicalHeads
    const targetContent = (await this.handle<ContentDoc>(target.contentId, 'content document')).doc()
    if (A.hasHeads(targetContent, heads) && headsKey(frontier(targetContent, [...target.state.canonicalHeads, ...heads])) === headsKey(target.state.canonicalHeads)) {
      throw new StateError(`nothing to propose: "${fork.content.title}" has no changes that "${target.content.title}" lacks`)
    }
    // An existing proposal from this fork?
    const inbox = await this.inbox(target)
    for (const pid of inbox.proposals) {
      let p: VerifiedProposal
      try {
        p = await this.proposal(pid)
      } catch {
        continue
      }
      if (p.source !== fork.id || p.target !== target.id || p.status === 'accepted') continue
      const latest = p.revisions.at(-1)!
      if (headsKey(latest.heads) === headsKey(heads)) {
        throw new StateError(`revision ${latest.number} of this proposal already has these changes: edit the fork first`)
      }
      const record = await signRecord(me, {
        design: target.id,
        prev: [latest.record],
        base: target.state.canonicalHeads,
        heads,
        payload: { kind: 'revision', proposal: p.id, source: fork.id, title, description },
      })
      await this.appendTo<ProposalDoc>(p.id, 'proposal', record)
      return { proposal: p.id, revision: p.revisions.length + 1, created: false, licenceWarnings: licenceWarnings(target.content.licenses, fork.content.licenses) }
    }
    const handle = this.repo.create<ProposalDoc>({ schema: PROPOSAL_SCHEMA, target: target.id, records: [] })
    const revision = await signRecord(me, {
      design: target.id,
      base: target.state.canonicalHeads,
      heads,
      payload: { kind: 'revision', proposal: handle.documentId, source: fork.id, title, description },
    })
    handle.change((doc) => {
      doc.records.push(revision.bytes)
    })
    const pointer = await signRecord(me, { design: target.id, payload: { kind: 'proposal-pointer', proposal: handle.documentId } })
    await this.appendTo<InboxDoc>(target.inboxId, 'inbox', pointer)
    return { proposal: handle.documentId, revision: 1, created: true, licenceWarnings: licenceWarnings(target.content.licenses, fork.content.licenses) }
  }

  /** Loads and verifies a proposal (and its target). */
  async proposal(ref: string): Promise<VerifiedProposal> {
    const id = parseDocumentId(ref, 'proposal')
    const handle = await this.handle<ProposalDoc>(id, 'proposal')
    const raw = handle.doc()
    if (raw.schema !== PROPOSAL_SCHEMA) throw new InvalidInputError(`${toUrl(id)} is not a proposal`)
    const target = await this.design(raw.target)
    const { records, rejected } = await this.records(raw, target.id)
    const ignored: RejectedRecord[] = [...rejected]
    const ignore = (r: SignedRecord, reason: string) => ignored.push({ id: r.id, kind: r.body.payload.kind, author: r.body.author, reason })
    const ordered = orderRecords(records)
    const revisions: Revision[] = []
    let source: VerifiedDesign | null = null
    for (const r of ordered) {
      const p = r.body.payload
      if (p.kind !== 'revision') continue
      if (p.proposal !== id) {
        ignore(r, 'revision of another proposal')
        continue
      }
      if (source === null) {
        try {
          source = await this.design(p.source)
        } catch (err) {
          throw new NotFoundError(`the fork this proposal comes from (${toUrl(p.source)}) is not in this store`, { cause: String(err) })
        }
      }
      if (p.source !== source.id) {
        ignore(r, 'revision from another source design')
        continue
      }
      if (!source.state.maintainers.includes(r.body.author)) {
        ignore(r, 'revision author is not a maintainer of the source fork')
        continue
      }
      revisions.push({
        number: revisions.length + 1,
        status: 'open',
        record: r.id,
        author: r.body.author,
        time: r.body.time,
        heads: r.body.heads,
        base: r.body.base,
        title: p.title,
        description: p.description,
      })
    }
    if (source === null || revisions.length === 0) {
      throw new InvalidInputError(`${toUrl(id)} holds no valid revision for ${target.url}`, { ignored })
    }
    const revisionIds = new Set(revisions.map((r) => r.record))
    const verdicts: Verdict[] = []
    const comments: VerifiedProposal['comments'] = []
    for (const r of ordered) {
      const p = r.body.payload
      if (p.kind === 'verdict') {
        if (p.proposal !== id || !revisionIds.has(p.revision)) ignore(r, 'verdict on an unknown revision')
        else if (!target.state.maintainers.includes(r.body.author)) ignore(r, 'verdict by someone who is not a maintainer of the target')
        else verdicts.push({ record: r.id, author: r.body.author, time: r.body.time, revision: p.revision, verdict: p.verdict, comment: p.comment })
      } else if (p.kind === 'comment') {
        comments.push({ record: r.id, author: r.body.author, time: r.body.time, text: p.text })
      } else if (p.kind !== 'revision') {
        ignore(r, `a ${p.kind} record does not belong in a proposal`)
      }
    }
    const merges = target.state.approvals.filter((a) => a.proposal?.proposal === id)
    revisions.forEach((rev, i) => {
      const merge = merges.find((a) => a.proposal?.revision === rev.record)
      if (merge?.approved) rev.status = 'accepted'
      else if (merge === undefined && verdicts.some((v) => v.revision === rev.record && v.verdict === 'reject')) rev.status = 'rejected'
      else if (i < revisions.length - 1) rev.status = 'superseded'
    })
    const latest = revisions.at(-1)!
    const latestMerge = merges.find((a) => a.proposal?.revision === latest.record)
    const status: ProposalStatus = latest.status === 'accepted' || latest.status === 'rejected' ? latest.status : 'open'
    return {
      id,
      url: toUrl(id),
      target: target.id,
      source: source.id,
      title: latest.title,
      description: latest.description,
      author: revisions[0]!.author,
      revisions,
      verdicts,
      comments,
      status,
      approvals: { signers: latestMerge?.signers ?? [], needed: latestMerge?.needed ?? target.state.threshold },
      ignored,
      names: NameBook.from(records).merge(target.names),
    }
  }

  async proposals(ref: string): Promise<ProposalSummary[]> {
    const d = await this.design(ref)
    const inbox = await this.inbox(d)
    const out: ProposalSummary[] = []
    for (const pid of inbox.proposals) {
      let p: VerifiedProposal
      try {
        p = await this.proposal(pid)
      } catch (err) {
        // Listed, not hidden: a maintainer should know a proposal exists that this store cannot read yet.
        out.push({
          proposal: toUrl(pid),
          title: '',
          author: null,
          authorName: null,
          source: null,
          status: 'unavailable',
          reason: (err as Error).message,
          revisions: 0,
          approvals: 0,
          threshold: d.state.threshold,
        })
        continue
      }
      if (p.target !== d.id) continue
      out.push({
        proposal: p.url,
        title: p.title,
        author: p.author,
        authorName: p.names.get(p.author),
        source: toUrl(p.source),
        status: p.status,
        revisions: p.revisions.length,
        approvals: p.approvals.signers.length,
        threshold: p.approvals.needed,
      })
    }
    return out
  }

  /**
   * Who is who in a design, as far as names go: the latest display name each author signed into
   * the design's governance records, its inbox and the proposals made to it that this store can
   * read. Names are self-asserted and not unique: show them beside the id, never instead of it.
   */
  async names(ref: string): Promise<NameBook> {
    const d = await this.design(ref)
    const inbox = await this.inbox(d)
    const book = new NameBook().merge(inbox.names)
    for (const pid of inbox.proposals) {
      try {
        book.merge((await this.proposal(pid)).names)
      } catch {
        // Not readable here yet: its authors stay unnamed until it is.
      }
    }
    return book
  }

  /** The diff of a proposal's latest revision (or the given one) against the target's canonical design. */
  async diff(ref: string, revisionNumber?: number): Promise<DesignDiff & { proposal: AutomergeUrl; revision: number; target: AutomergeUrl; source: AutomergeUrl }> {
    const p = await this.proposal(ref)
    const rev = revisionNumber === undefined ? p.revisions.at(-1)! : p.revisions[revisionNumber - 1]
    if (rev === undefined) throw new NotFoundError(`proposal has no revision ${revisionNumber}`)
    const target = await this.design(p.target)
    const source = await this.design(p.source)
    const targetDoc = (await this.handle<ContentDoc>(target.contentId, 'content document')).doc()
    const revisionView = await this.revisionView(source, rev)
    const diff = diffMerge(A.view(targetDoc, target.state.canonicalHeads), revisionView)
    return { proposal: p.url, revision: rev.number, target: target.url, source: source.url, ...diff }
  }

  private async revisionView(source: VerifiedDesign, rev: Revision): Promise<A.Doc<unknown>> {
    const sourceDoc = (await this.handle<ContentDoc>(source.contentId, 'content document')).doc()
    if (!A.hasHeads(sourceDoc, rev.heads)) {
      throw new NotFoundError(`revision ${rev.number}'s changes are not in this store yet: sync the fork ${source.url}`)
    }
    return A.view(sourceDoc, rev.heads)
  }

  /**
   * Accepts or rejects a proposal's latest revision. Accepting merges the revision's changes into
   * the target's content document and signs the merged heads; with a threshold above one, the
   * merge is canonical once enough maintainers accepted the same heads.
   */
  async review(ref: string, input: { verdict: 'accept' | 'reject'; comment?: string }): Promise<VerifiedProposal> {
    const me = this.me()
    const p = await this.proposal(ref)
    const target = await this.design(p.target)
    if (!this.isMaintainer(target)) {
      throw new NotPermittedError(
        `only maintainers of "${target.content.title}" can ${input.verdict} proposals; you can comment, or fork it`,
        { design: target.id, proposal: p.id },
      )
    }
    const comment = parseLongText(input.comment ?? '', 'comment')
    const latest = p.revisions.at(-1)!
    if (p.status === 'accepted') throw new StateError(`proposal "${p.title}" is already accepted`)
    if (input.verdict === 'accept') {
      const merge = target.state.approvals.find((a) => a.proposal?.proposal === p.id && a.proposal.revision === latest.record)
      if (merge?.signers.includes(me.id)) {
        throw new StateError(`you already accepted this revision; it needs ${merge.needed - merge.signers.length} more maintainer(s)`)
      }
      let heads: ChangeHash[]
      if (merge !== undefined) {
        heads = merge.heads
      } else {
        const source = await this.design(p.source)
        const revision = A.clone(await this.revisionView(source, latest))
        const handle = await this.handle<ContentDoc>(target.contentId, 'content document')
        handle.update((doc) => A.merge(doc, revision as A.Doc<ContentDoc>))
        heads = frontier(handle.doc(), [...target.state.canonicalHeads, ...latest.heads])
      }
      await this.appendGovernance(target, me, {
        base: target.state.canonicalHeads,
        heads,
        payload: {
          kind: 'content',
          reason: 'merge',
          summary: `merged "${latest.title}" (revision ${latest.number})`,
          proposal: { proposal: p.id, revision: latest.record },
        },
      })
    }
    const verdict = await signRecord(me, {
      design: target.id,
      prev: [latest.record],
      payload: { kind: 'verdict', proposal: p.id, revision: latest.record, verdict: input.verdict, comment },
    })
    await this.appendTo<ProposalDoc>(p.id, 'proposal', verdict)
    return await this.proposal(p.id)
  }

  /** A signed comment on a proposal, by anyone. */
  async commentOnProposal(ref: string, textInput: string): Promise<void> {
    const me = this.me()
    const p = await this.proposal(ref)
    const text = parseLongText(textInput, 'comment')
    if (text.trim() === '') throw new InvalidInputError('comment is empty')
    const record = await signRecord(me, { design: p.target, payload: { kind: 'comment', subject: p.id, text } })
    await this.appendTo<ProposalDoc>(p.id, 'proposal', record)
  }

  /** The ids of every document that makes up a design: governance, content, inbox. */
  documentsOf(d: VerifiedDesign): DocumentId[] {
    return [d.id, d.contentId, d.inboxId]
  }
}

export function describeAction(a: import('./records.js').GovernanceAction): string {
  switch (a.op) {
    case 'add':
      return `add maintainer ${a.member}`
    case 'remove':
      return `remove maintainer ${a.member}`
    case 'threshold':
      return `set threshold to ${a.k}`
  }
}

export function describeRecord(p: RecordPayload): string {
  switch (p.kind) {
    case 'genesis':
      return p.forkedFrom === null ? 'created the design' : `forked from ${toUrl(p.forkedFrom.design)}`
    case 'content':
      return p.summary || (p.reason === 'merge' ? 'merged a proposal' : 'edited')
    case 'governance':
      return describeAction(p.action)
    case 'revision':
      return `proposed "${p.title}"`
    case 'verdict':
      return `${p.verdict === 'accept' ? 'accepted' : 'rejected'} a revision`
    case 'comment':
      return 'commented'
    case 'fork-pointer':
      return `forked into ${toUrl(p.fork)}`
    case 'proposal-pointer':
      return 'opened a proposal'
  }
}

function newEntryId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A position after all others, or between `before` and its predecessor. */
function positionFor(entries: { id: string; position: number }[], before?: string): number {
  const sorted = [...entries].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1))
  if (before === undefined) return (sorted.at(-1)?.position ?? 0) + 1
  const i = sorted.findIndex((e) => e.id === before)
  if (i < 0) return (sorted.at(-1)?.position ?? 0) + 1
  const next = sorted[i]!.position
  const prev = i === 0 ? next - 2 : sorted[i - 1]!.position
  return (prev + next) / 2
}
