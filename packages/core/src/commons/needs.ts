/**
 * Needs and a design's own discussion: opening, claiming, releasing, closing and reopening needs,
 * commenting on a design, and their verified views. Every view is a pure function of verified
 * documents (the design, its inbox, the proposals it merged), kept by their versions: a page
 * recomputes it whenever one of those documents changes, and gets the same object back while
 * none did.
 */
import * as A from '@automerge/automerge'
import { holds } from '../held.js'
import { InvalidInputError, NotFoundError, NotPermittedError, StateError } from '../errors.js'
import type { DesignComment } from '../folds/inbox.js'
import { anchorOf, foldNeeds, needsSummary, type Anchor, type Need, type NeedMerge, type NeedSection, type NeedsSummary } from '../folds/needs.js'
import type { RejectedRecord } from '../history.js'
import { headsKey, parseDocumentId, toUrl, type AutomergeUrl, type ChangeHash, type DesignId, type DocumentId, type PersonId, type RecordId } from '../ids.js'
import { MAX_NEED_LABEL_LENGTH, MAX_NEED_LABELS, MAX_NEEDS_PER_AUTHOR, MAX_RECORD_TEXT } from '../limits.js'
import { NameBook } from '../names.js'
import type { NeedPayload, SignedRecord } from '../records.js'
import { parseField, parseLongText, type DesignContent } from '../schema.js'
import type { Context } from './context.js'
import type { VerifiedDesign, VerifiedProposal } from './verifier.js'

type Ref = string | VerifiedDesign

export interface NeedView extends Need {
  authorName: string | null
}

/** A design's needs, verified: what a Needs section or a board shows. */
export interface VerifiedNeeds {
  design: DesignId
  url: AutomergeUrl
  /** Newest first (by the time their authors claim), then by id. */
  needs: NeedView[]
  summary: NeedsSummary
  /** Need records that do not count, and why. */
  ignored: RejectedRecord[]
  /** Display names from the need records that counted, the inbox and the design. */
  book: NameBook
  /** The design's merges of proposals, with what they cite (the activity inbox lists them). */
  merges: MergeView[]
  /** Merged proposals this store does not hold: the needs they cite stay as their records say until they arrive. */
  unchecked: DocumentId[]
  /** The documents this view is computed from: recompute it when one of them changes. */
  documents: DocumentId[]
  /** Identifies this exact verified state: equal versions, equal views. */
  version: string
}

export interface MergeView extends NeedMerge {
  title: string
  revisionNumber: number
}

export interface DiscussionComment extends Omit<DesignComment, 'about'> {
  authorName: string | null
  about: Anchor | null
}

/** A design's own discussion: comments with replies, anchored to entries if their authors said. */
export interface Discussion {
  design: DesignId
  url: AutomergeUrl
  /** In a causal order: a reply comes after what it answers. */
  comments: DiscussionComment[]
  /** The documents this view is computed from: recompute it when one of them changes. */
  documents: DocumentId[]
  version: string
}

export interface NeedInput {
  title: string
  body?: string
  labels?: readonly string[]
  /** A BOM row, step or file id of the design's canonical content. */
  about?: string
}

export class Needs {
  readonly #views = new Map<DesignId, VerifiedNeeds>()

  constructor(private readonly ctx: Context) {}

  /** A design's needs, verified. With `held`, nothing is asked of peers. */
  async needs(ref: Ref, options: { held?: boolean } = {}): Promise<VerifiedNeeds> {
    const d = await this.ctx.design(ref, options)
    const inbox = await this.ctx.verifier.inbox(d, options)
    const merged = await this.#merges(d)
    const version = `${inbox.version}|${d.version}|${merged.versions.join(',')}`
    const known = this.#views.get(d.id)
    if (known?.version === version) return known
    const records = await this.ctx.verifier.inboxRecords(d)
    const sectionAt = await this.#sectionAt(d)
    const state = foldNeeds(records, {
      design: d.id,
      maintainers: d.state.maintainers,
      merges: merged.merges,
      section: sectionIn(d.content),
      sectionAt,
    })
    const book = NameBook.fromClaims(state.names).merge(inbox.book)
    const needs = state.needs
      .map((n) => ({ ...n, authorName: book.get(n.author) }))
      .sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1))
    const view: VerifiedNeeds = {
      design: d.id,
      url: d.url,
      needs,
      summary: needsSummary(state),
      ignored: [...merged.ignored, ...state.ignored],
      book,
      merges: merged.merges,
      unchecked: merged.unchecked,
      documents: [d.id, d.contentId, d.inboxId, ...merged.merges.map((m) => m.proposal), ...merged.unchecked],
      version,
    }
    this.#views.set(d.id, view)
    return view
  }

  /** One need of a design, by its id (or a prefix of it that names one need). */
  async need(ref: Ref, needRef: string): Promise<NeedView> {
    return findNeed(await this.needs(ref), needRef)
  }

  async openNeed(ref: Ref, input: NeedInput): Promise<NeedView> {
    const me = this.ctx.me()
    const d = await this.ctx.design(ref)
    const title = parseField(input.title, 'title', { required: true })
    const body = input.body ?? ''
    if (typeof body !== 'string') throw new InvalidInputError('body must be text')
    if (body.length > MAX_RECORD_TEXT) throw new InvalidInputError(`body is longer than ${MAX_RECORD_TEXT} characters`, { length: body.length, max: MAX_RECORD_TEXT })
    const labels = parseLabels(input.labels ?? [])
    const about = input.about === undefined ? null : requireEntry(d, input.about)
    const current = await this.needs(d)
    if (current.needs.filter((n) => n.author === me.id).length >= MAX_NEEDS_PER_AUTHOR) {
      throw new StateError(`you already opened ${MAX_NEEDS_PER_AUTHOR} needs on "${d.content.title}": close some first`)
    }
    const record = await this.ctx.sign({
      design: d.id,
      // What the design was when the need was opened: an anchor since removed is found there.
      base: d.state.canonicalHeads,
      payload: { kind: 'need', op: 'open', title, body, labels, about },
    })
    await this.ctx.append(d.inboxId, 'entries', record, 'inbox')
    return await this.need(d.id, record.id)
  }

  /** Claims, releases, closes or reopens a need, after checking the fold would count it. */
  async act(ref: Ref, needRef: string, op: 'claim' | 'release' | 'close' | 'reopen', options: { by?: string } = {}): Promise<NeedView> {
    const me = this.ctx.me()
    const d = await this.ctx.design(ref)
    const need = findNeed(await this.needs(d), needRef)
    if (op === 'close' || op === 'reopen') {
      if (need.author !== me.id && !this.ctx.isMaintainer(d)) {
        throw new NotPermittedError(`only the need's author or a maintainer of "${d.content.title}" can ${op} it; you can comment on the design`, { design: d.id, need: need.id })
      }
    }
    if (op !== 'close' && options.by !== undefined) throw new InvalidInputError('only a close names what resolved the need (--by)')
    const closed = need.status === 'closed'
    const mine = need.claims.includes(me.id)
    if (op === 'claim' && closed) throw new StateError(`need "${need.title}" is closed`)
    if (op === 'claim' && mine) throw new StateError(`you already claim need "${need.title}"`)
    if (op === 'release' && !mine) throw new StateError(`you do not claim need "${need.title}"`)
    if (op === 'close' && closed) throw new StateError(`need "${need.title}" is already closed`)
    if (op === 'reopen' && !closed) throw new StateError(`need "${need.title}" is not closed`)
    const payload: NeedPayload =
      op === 'close'
        ? { kind: 'need', op, need: need.id, by: options.by === undefined ? null : parseDocumentId(options.by, 'proposal or design') }
        : { kind: 'need', op, need: need.id }
    // Naming the need's latest records says what this was judged against (the fold's rule).
    const record = await this.ctx.sign({ design: d.id, prev: need.heads, base: d.state.canonicalHeads, payload })
    await this.ctx.append(d.inboxId, 'entries', record, 'inbox')
    return await this.need(d.id, need.id)
  }

  /** The needs of `target` a proposal may cite: each must be one of its needs, not closed. */
  async citable(target: Ref, refs: readonly string[]): Promise<RecordId[]> {
    if (refs.length === 0) return []
    const view = await this.needs(target)
    const out = new Set<RecordId>()
    for (const r of refs) {
      const need = findNeed(view, r)
      if (need.status === 'closed') throw new StateError(`need "${need.title}" is already closed`)
      out.add(need.id)
    }
    return [...out].sort()
  }

  /** A design's own discussion, verified. */
  async discussion(ref: Ref, options: { held?: boolean } = {}): Promise<Discussion> {
    const d = await this.ctx.design(ref, options)
    const inbox = await this.ctx.verifier.inbox(d, options)
    const bases = new Map((await this.ctx.verifier.inboxRecords(d)).map((r) => [r.id, r.body.base]))
    const facts = { section: sectionIn(d.content), sectionAt: await this.#sectionAt(d) }
    return {
      design: d.id,
      url: d.url,
      comments: inbox.comments.map((c) => ({
        ...c,
        authorName: inbox.book.get(c.author),
        about: c.about === null ? null : anchorOf(c.about, bases.get(c.record) ?? [], facts),
      })),
      documents: [d.id, d.contentId, d.inboxId],
      version: `${inbox.version}|${d.version}`,
    }
  }

  /** A signed comment on a design, by anyone; optionally about an entry, or answering a comment. */
  async commentOnDesign(ref: Ref, textInput: string, options: { about?: string; replyTo?: string } = {}): Promise<RecordId> {
    this.ctx.me()
    const d = await this.ctx.design(ref)
    const text = parseLongText(textInput, 'comment')
    if (text.trim() === '') throw new InvalidInputError('comment is empty')
    const about = options.about === undefined ? undefined : requireEntry(d, options.about)
    let replyTo: RecordId | undefined
    if (options.replyTo !== undefined) {
      const inbox = await this.ctx.verifier.inbox(d)
      replyTo = byIdOrPrefix(inbox.comments.map((c) => c.record), options.replyTo, `no comment ${options.replyTo} on "${d.content.title}"`)
    }
    const record = await this.ctx.sign({
      design: d.id,
      // A reply names what it answers in `prev` too, so that it is ordered after it everywhere.
      prev: replyTo === undefined ? [] : [replyTo],
      base: d.state.canonicalHeads,
      payload: { kind: 'comment', subject: d.id, text, ...(replyTo === undefined ? {} : { replyTo }), ...(about === undefined ? {} : { about }) },
    })
    await this.ctx.append(d.inboxId, 'entries', record, 'inbox')
    return record.id
  }

  /**
   * The design's merges of proposals, each with the needs its merged revision cites. A merged
   * proposal this store does not hold cannot say what it cites: reported, and its needs stay as
   * their own records say.
   */
  async #merges(d: VerifiedDesign): Promise<{ merges: MergeView[]; versions: string[]; ignored: RejectedRecord[]; unchecked: DocumentId[] }> {
    const unchecked: DocumentId[] = []
    const merges: MergeView[] = []
    const versions: string[] = []
    const ignored: RejectedRecord[] = []
    for (const a of d.state.approvals) {
      if (a.reason !== 'merge' || !a.approved || a.proposal === null) continue
      const pid = a.proposal.proposal as DocumentId
      let p: VerifiedProposal
      try {
        p = await this.ctx.verifier.proposal(pid, { held: true })
      } catch {
        versions.push(`${pid}:-`)
        unchecked.push(pid)
        ignored.push({ id: a.proposal.revision, kind: 'revision', author: null, reason: `merged proposal ${toUrl(pid)} is not in this store: the needs it cites are not known yet` })
        continue
      }
      versions.push(`${pid}:${p.version}`)
      const rev = p.revisions.find((r) => r.record === a.proposal!.revision)
      if (rev === undefined) continue
      const accepts = p.verdicts.filter((v) => v.revision === rev.record && v.verdict === 'accept' && a.signers.includes(v.author))
      merges.push({
        proposal: p.id,
        revision: rev.record,
        needs: rev.needs,
        records: a.records,
        signers: a.signers,
        time: accepts.at(-1)?.time ?? rev.time,
        title: rev.title,
        revisionNumber: rev.number,
      })
    }
    return { merges, versions, ignored, unchecked }
  }

  /** Where an entry was at given heads of the design's content (for anchors since removed). */
  async #sectionAt(d: VerifiedDesign): Promise<(id: string, heads: readonly ChangeHash[]) => NeedSection | null> {
    let doc: A.Doc<unknown> | null = null
    try {
      doc = await this.ctx.verifier.contentDoc(d, true)
    } catch {
      doc = null
    }
    const views = new Map<string, Record<string, unknown>>()
    return (id, heads) => {
      if (doc === null || !holds(doc, [...heads])) return null
      const key = headsKey(heads)
      let view = views.get(key)
      if (view === undefined) {
        view = A.view(doc, [...heads]) as Record<string, unknown>
        views.set(key, view)
      }
      for (const section of ['bom', 'steps', 'files'] as const) {
        const map = view[section]
        if (typeof map === 'object' && map !== null && !Array.isArray(map) && typeof (map as Record<string, unknown>)[id] === 'object') return section
      }
      return null
    }
  }
}

/** The section of the canonical content holding an entry id. */
function sectionIn(content: DesignContent): (id: string) => NeedSection | null {
  const where = new Map<string, NeedSection>()
  for (const r of content.bom) where.set(r.id, 'bom')
  for (const s of content.steps) where.set(s.id, 'steps')
  for (const f of content.files) where.set(f.id, 'files')
  return (id) => where.get(id) ?? null
}

/** An entry id of the canonical design, or NotFoundError naming what is missing where. */
function requireEntry(d: VerifiedDesign, id: string): string {
  if (typeof id !== 'string' || sectionIn(d.content)(id) === null) {
    throw new NotFoundError(`"${d.content.title}" has no BOM row, step or file ${String(id)}`, { design: d.id, id })
  }
  return id
}

function parseLabels(raw: readonly string[]): string[] {
  const labels = [...new Set(raw.map((l) => parseField(l, 'label', { required: true })))]
  for (const l of labels) if (l.length > MAX_NEED_LABEL_LENGTH) throw new InvalidInputError(`label is longer than ${MAX_NEED_LABEL_LENGTH} characters: ${l.slice(0, 20)}…`)
  if (labels.length > MAX_NEED_LABELS) throw new InvalidInputError(`a need carries at most ${MAX_NEED_LABELS} labels`)
  return labels
}

/** A need by its id, or by a prefix (8 characters or more) that names exactly one. */
export function findNeed(view: VerifiedNeeds, ref: string): NeedView {
  const id = byIdOrPrefix(view.needs.map((n) => n.id), ref, `no need ${ref} on this design`)
  return view.needs.find((n) => n.id === id)!
}

function byIdOrPrefix(ids: readonly RecordId[], ref: string, missing: string): RecordId {
  const r = ref.trim().toLowerCase()
  if (ids.includes(r as RecordId)) return r as RecordId
  const matches = r.length >= 8 ? ids.filter((id) => id.startsWith(r)) : []
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1) throw new InvalidInputError(`${ref} names ${matches.length} records: give more of the id`)
  throw new NotFoundError(missing, { ref })
}

