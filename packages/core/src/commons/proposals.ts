/**
 * Forks and proposals: forking a design, proposing one design's canonical content to a related
 * design, the domain diff a reviewer reads, and the signed verdict (with the merge, on accept).
 */
import * as A from '@automerge/automerge'
import { holds } from '../held.js'
import { diffMerge, type DesignDiff } from '../diff.js'
import { InvalidInputError, NotFoundError, NotPermittedError, StateError } from '../errors.js'
import { covers, frontier } from '../folds/frontier.js'
import type { ProposalStatus, Revision } from '../folds/proposal.js'
import { newNonce, proposalIdFor } from '../genesis.js'
import { headsKey, parseDocumentId, toUrl, type AutomergeUrl, type ChangeHash, type DesignId, type DocumentId, type PersonId, type RecordId } from '../ids.js'
import { licenceWarnings, type LicenceWarning } from '../licences.js'
import { NameBook } from '../names.js'
import { PROPOSAL_SCHEMA, parseField, parseLongText } from '../schema.js'
import type { Context } from './context.js'
import type { Editing } from './editing.js'
import { mergeUpTo, shareHistory } from './merge.js'
import type { VerifiedDesign, VerifiedProposal } from './verifier.js'

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
  /** When it was proposed (the pointer's signed time; the author's clock). */
  time: number
  /** False when the design it comes from is not in this store: it can be read, not diffed or merged. */
  sourceAvailable: boolean
}

export interface ProposeResult {
  proposal: DocumentId
  revision: number
  created: boolean
  /** Licence changes the proposal makes that the target's licences may not allow (also in its diff). */
  licenceWarnings: LicenceWarning[]
}

export interface ProposeInput {
  from: string
  to: string
  title: string
  description?: string
  /** Needs of the target the proposal resolves (checked by the caller: see commons/needs.ts). */
  needs?: readonly RecordId[]
}

export type ProposalDiff = DesignDiff & { proposal: AutomergeUrl; revision: number; target: AutomergeUrl; source: AutomergeUrl }

type Ref = string | VerifiedDesign

export class Proposals {
  constructor(
    private readonly ctx: Context,
    private readonly editing: Editing,
  ) {}

  /** Forks a design: its canonical content (history shared, no junk), a new genesis by me. */
  async fork(ref: Ref, options: { title?: string } = {}): Promise<DesignId> {
    const me = this.ctx.me()
    const up = await this.ctx.design(ref)
    // The fork's name goes in its genesis, not its content: content changes travel back upstream
    // with every proposal, and a fork's name should not rename the design it came from.
    const title = options.title === undefined ? '' : parseField(options.title, 'title', { required: true })
    const upContent = await this.ctx.verifier.contentDoc(up)
    const canonical = up.state.canonicalHeads
    // Without unsigned changes past the canonical heads, the document itself is the view to copy
    // (a clone costs next to nothing); otherwise only the signed part is copied.
    const source = headsKey(A.getHeads(upContent)) === headsKey(canonical) ? upContent : A.view(upContent, canonical)
    const cloned = A.clone(source)
    const contentHandle = this.ctx.store.create<unknown>({})
    this.ctx.store.update(contentHandle, () => cloned)
    const fork = await this.editing.genesis(contentHandle, { design: up.id, heads: canonical }, title)
    const pointer = await this.ctx.sign({ design: up.id, payload: { kind: 'fork-pointer', fork } })
    await this.ctx.append(up.inboxId, 'entries', pointer, 'inbox')
    void me
    return fork
  }

  /**
   * Proposes one design's canonical content to a related design (its upstream, a fork of it, a
   * sibling). If I already have an open (or rejected) proposal from this design there, the new
   * heads become its next revision.
   */
  async propose(input: ProposeInput): Promise<ProposeResult> {
    const me = this.ctx.me()
    const from = await this.ctx.design(input.from)
    const target = await this.ctx.design(input.to)
    if (from.id === target.id) throw new InvalidInputError('a design cannot propose to itself')
    const fromContent = await this.ctx.verifier.contentDoc(from)
    const targetContent = await this.ctx.verifier.contentDoc(target)
    if (!shareHistory(fromContent, targetContent, [from.state.genesis.body.heads, target.state.genesis.body.heads])) {
      throw new InvalidInputError(`${from.url} shares no content history with ${target.url}: proposals go between a design and its forks or their relatives`, {
        from: from.id,
        to: target.id,
      })
    }
    if (!this.ctx.isMaintainer(from)) {
      throw new NotPermittedError(`only maintainers of "${from.content.title}" can propose it`, { design: from.id })
    }
    const title = parseField(input.title, 'title', { required: true })
    const description = parseLongText(input.description ?? '', 'description')
    const heads = from.state.canonicalHeads
    if (covers(targetContent, target.state.canonicalHeads, heads)) {
      throw new StateError(`nothing to propose: "${from.content.title}" has no changes that "${target.content.title}" lacks`)
    }
    const warnings = licenceWarnings(target.content.licenses, from.content.licenses)
    // An existing proposal of mine from this design?
    const inbox = await this.ctx.verifier.inbox(target)
    for (const pointer of inbox.proposals) {
      if (pointer.author !== me.id) continue
      let p: VerifiedProposal
      try {
        p = await this.ctx.verifier.proposal(pointer.proposal, { held: true })
      } catch {
        continue
      }
      if (p.source !== from.id || p.target !== target.id || p.author !== me.id || p.status === 'accepted') continue
      const latest = p.revisions.at(-1)
      if (latest !== undefined && headsKey(latest.heads) === headsKey(heads)) {
        throw new StateError(`revision ${latest.number} of this proposal already has these changes: edit the design first`)
      }
      // A new revision resolves what the one before it said it resolves, unless told otherwise.
      const needs = input.needs ?? latest?.needs ?? []
      const record = await this.ctx.sign({
        design: target.id,
        prev: [latest?.record ?? p.opening],
        base: target.state.canonicalHeads,
        heads,
        payload: { kind: 'revision', proposal: p.id, source: from.id, title, description, ...citing(needs) },
      })
      await this.ctx.append(p.id, 'records', record, 'proposal')
      return { proposal: p.id, revision: p.revisions.length + 1, created: false, licenceWarnings: warnings }
    }
    // A new proposal: its id is bound to my key and the opening's nonce, so nobody can take it over.
    const nonce = newNonce()
    const id = proposalIdFor(me.id, nonce)
    const opening = await this.ctx.sign({
      design: target.id,
      base: target.state.canonicalHeads,
      heads,
      payload: { kind: 'revision', proposal: id, source: from.id, title, description, nonce, ...citing(input.needs ?? []) },
    })
    const doc = A.change(A.from({ schema: PROPOSAL_SCHEMA, target: target.id, records: [] } as Record<string, unknown>), (d) => {
      ;(d.records as Uint8Array[]).push(opening.bytes)
    })
    this.ctx.store.import(A.save(doc), id)
    const pointer = await this.ctx.sign({ design: target.id, payload: { kind: 'proposal-pointer', proposal: id } })
    await this.ctx.append(target.inboxId, 'entries', pointer, 'inbox')
    return { proposal: id, revision: 1, created: true, licenceWarnings: warnings }
  }

  /** Loads and verifies a proposal (and its target). */
  async proposal(ref: string): Promise<VerifiedProposal> {
    return await this.ctx.verifier.proposal(parseDocumentId(ref, 'proposal'))
  }

  /**
   * The proposals made to a design. Those this store can read come first (newest first); pointers
   * to proposals it does not hold follow, marked unavailable: listed, not hidden, so a maintainer
   * knows they exist, but never fetched here (a flood of pointers to nothing costs nothing).
   */
  async proposals(ref: Ref): Promise<ProposalSummary[]> {
    const d = await this.ctx.design(ref)
    const inbox = await this.ctx.verifier.inbox(d)
    const readable: ProposalSummary[] = []
    const unavailable: ProposalSummary[] = []
    for (const pointer of inbox.proposals) {
      let p: VerifiedProposal
      try {
        p = await this.ctx.verifier.proposal(pointer.proposal, { held: true })
      } catch (err) {
        unavailable.push({
          proposal: toUrl(pointer.proposal),
          title: '',
          author: null,
          authorName: null,
          source: null,
          status: 'unavailable',
          reason: (err as Error).message,
          revisions: 0,
          approvals: 0,
          threshold: d.state.threshold,
          time: pointer.time,
          sourceAvailable: false,
        })
        continue
      }
      if (p.target !== d.id) continue
      readable.push({
        proposal: p.url,
        title: p.title,
        author: p.author,
        authorName: p.names.get(p.author),
        source: toUrl(p.source),
        status: p.status,
        revisions: p.revisions.length,
        approvals: p.approvals.signers.length,
        threshold: p.approvals.needed,
        time: pointer.time,
        sourceAvailable: p.sourceAvailable,
        ...(p.sourceAvailable ? {} : { reason: `the design it comes from (${toUrl(p.source)}) is not in this store yet` }),
      })
    }
    readable.sort((a, b) => b.time - a.time)
    return [...readable, ...unavailable]
  }

  /**
   * Who is who in a design, as far as names go: the latest display name each author signed into
   * the design's records, its inbox and the proposals made to it that this store holds. Names are
   * self-asserted and not unique: show them beside the id, never instead of it.
   */
  async names(ref: Ref): Promise<NameBook> {
    const d = await this.ctx.design(ref)
    const inbox = await this.ctx.verifier.inbox(d)
    const book = new NameBook().merge(d.names).merge(inbox.book)
    for (const pointer of inbox.proposals) {
      try {
        book.merge((await this.ctx.verifier.proposal(pointer.proposal, { held: true })).names)
      } catch {
        // Not readable here yet: its authors stay unnamed until it is.
      }
    }
    return book
  }

  /**
   * The diff of a proposal's latest revision (or the given one). An open revision is compared with
   * the target's canonical design; a reviewed one with the design as its reviewer saw it, so a
   * merged or rejected proposal keeps showing what it proposed.
   */
  async diff(ref: string, revisionNumber?: number): Promise<ProposalDiff> {
    const p = await this.proposal(ref)
    const rev = revisionNumber === undefined ? p.revisions.at(-1) : p.revisions[revisionNumber - 1]
    if (rev === undefined) throw new NotFoundError(revisionNumber === undefined ? 'proposal has no revision yet' : `proposal has no revision ${revisionNumber}`)
    const target = await this.ctx.design(p.target)
    const source = await this.ctx.design(p.source)
    const targetDoc = await this.ctx.verifier.contentDoc(target)
    const baseHeads = this.#reviewedAgainst(p, rev, target, targetDoc)
    const diff = diffMerge(A.view(targetDoc, baseHeads), await this.#revisionView(source, rev))
    return { proposal: p.url, revision: rev.number, target: target.url, source: source.url, ...diff }
  }

  /** The target heads a revision is to be compared with (see `diff`). */
  #reviewedAgainst(p: VerifiedProposal, rev: Revision, target: VerifiedDesign, targetDoc: A.Doc<unknown>): ChangeHash[] {
    if (rev.status === 'open' || rev.status === 'superseded') return target.state.canonicalHeads
    const verdict = p.verdicts.filter((v) => v.revision === rev.record && v.base.length > 0).at(-1)
    for (const heads of [verdict?.base, rev.base]) if (heads !== undefined && heads.length > 0 && holds(targetDoc, heads)) return heads
    return target.state.canonicalHeads
  }

  async #revisionView(source: VerifiedDesign, rev: Revision): Promise<A.Doc<unknown>> {
    const sourceDoc = await this.ctx.verifier.contentDoc(source)
    if (!holds(sourceDoc, rev.heads)) {
      throw new NotFoundError(`revision ${rev.number}'s changes are not in this store yet: sync ${source.url}`)
    }
    return A.view(sourceDoc, rev.heads)
  }

  /**
   * Accepts or rejects a proposal's latest revision. Accepting merges the revision's changes into
   * the target's content document and signs the merged heads; with a threshold above one, the
   * merge is canonical once enough maintainers accepted the same heads.
   */
  async review(ref: string, input: { verdict: 'accept' | 'reject'; comment?: string }): Promise<VerifiedProposal> {
    const me = this.ctx.me()
    const p = await this.proposal(ref)
    const target = await this.ctx.design(p.target)
    if (!this.ctx.isMaintainer(target)) {
      throw new NotPermittedError(`only maintainers of "${target.content.title}" can ${input.verdict} proposals; you can comment, or fork it`, {
        design: target.id,
        proposal: p.id,
      })
    }
    const comment = parseLongText(input.comment ?? '', 'comment')
    const latest = p.revisions.at(-1)
    if (latest === undefined) throw new StateError(`proposal "${p.title}" has no revision this store can check yet: sync its source design`)
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
        const source = await this.ctx.design(p.source)
        const sourceDoc = await this.ctx.verifier.contentDoc(source)
        if (!holds(sourceDoc, latest.heads)) {
          throw new NotFoundError(`revision ${latest.number}'s changes are not in this store yet: sync ${source.url}`)
        }
        const handle = await this.ctx.store.find(target.contentId, 'content document')
        if (!holds(handle.doc() as A.Doc<unknown>, latest.heads)) this.ctx.store.update(handle, (doc) => mergeUpTo(doc, sourceDoc, latest.heads))
        heads = frontier(handle.doc() as A.Doc<unknown>, [...target.state.canonicalHeads, ...latest.heads])
      }
      await this.ctx.appendGovernance(target, {
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
    const verdict = await this.ctx.sign({
      design: target.id,
      prev: [latest.record],
      // What the reviewer saw: a reviewed proposal's diff is shown against it later.
      base: target.state.canonicalHeads,
      payload: { kind: 'verdict', proposal: p.id, revision: latest.record, verdict: input.verdict, comment },
    })
    await this.ctx.append(p.id, 'records', verdict, 'proposal')
    return await this.proposal(p.id)
  }

  /** A signed comment on a proposal, by anyone. Returns the comment's record id. */
  async commentOnProposal(ref: string, textInput: string, options: { replyTo?: string } = {}): Promise<RecordId> {
    const p = await this.proposal(ref)
    const text = parseLongText(textInput, 'comment')
    if (text.trim() === '') throw new InvalidInputError('comment is empty')
    const replyTo = options.replyTo === undefined ? undefined : p.comments.find((c) => c.record === options.replyTo)?.record
    if (options.replyTo !== undefined && replyTo === undefined) throw new NotFoundError(`no comment ${options.replyTo} on this proposal`)
    const record = await this.ctx.sign({
      design: p.target,
      // A reply names what it answers in `prev` too, so that it is ordered after it everywhere.
      prev: replyTo === undefined ? [] : [replyTo],
      payload: { kind: 'comment', subject: p.id, text, ...(replyTo === undefined ? {} : { replyTo }) },
    })
    await this.ctx.append(p.id, 'records', record, 'proposal')
    return record.id
  }
}

/** A revision's `needs`, sorted and unique as records carry lists; absent when it cites none. */
function citing(needs: readonly RecordId[]): { needs?: RecordId[] } {
  return needs.length === 0 ? {} : { needs: [...new Set(needs)].sort() }
}
