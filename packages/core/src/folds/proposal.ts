/**
 * The fold of a proposal document's records into what the proposal is: who opened it, from which
 * design, its revisions, verdicts and discussion, and its status. Pure; tested by tables.
 *
 * A proposal is what its author proposed. Its id is derived from its author's key and the nonce of
 * its opening revision (genesis.ts), so the opening (and with it the author, the source design and
 * the target design) cannot be replaced by anyone else's record, whatever its id. Further
 * revisions count only when signed by that author, from that source, and naming heads the source
 * design's maintainers signed (its canonical content): nobody can slip unsigned changes of a fork
 * into a proposal that names it. Verdicts count when signed by a maintainer of the target.
 */
import { isProposalBound } from '../genesis.js'
import type { RejectedRecord } from '../history.js'
import type { ChangeHash, DesignId, DocumentId, PersonId, RecordId } from '../ids.js'
import { MAX_COMMENTS_PER_AUTHOR } from '../limits.js'
import type { RecordPayload, SignedRecord } from '../records.js'
import type { HeadsApproval } from './governance.js'
import { orderRecords } from './order.js'

type RevisionPayload = Extract<RecordPayload, { kind: 'revision' }>

export type ProposalStatus = 'open' | 'accepted' | 'rejected'

export interface Revision {
  number: number
  /** accepted (its merge is canonical), rejected, superseded by a later revision, or open. */
  status: 'open' | 'accepted' | 'rejected' | 'superseded'
  record: RecordId
  author: PersonId
  time: number
  heads: ChangeHash[]
  /** The target's canonical heads the author proposed against. */
  base: ChangeHash[]
  title: string
  description: string
  /** Needs of the target this revision says it resolves: merging it closes them (folds/needs.ts). */
  needs: RecordId[]
}

export interface Verdict {
  record: RecordId
  author: PersonId
  time: number
  revision: RecordId
  verdict: 'accept' | 'reject'
  comment: string
  /** The target's canonical heads when the verdict was signed: what the reviewer saw. */
  base: ChangeHash[]
}

export interface Comment {
  record: RecordId
  author: PersonId
  time: number
  text: string
  /** The comment this one answers, if any. */
  replyTo: RecordId | null
}

/** What the fold needs to know of the target design. */
export interface TargetFacts {
  id: DesignId
  maintainers: readonly PersonId[]
  threshold: number
  /** The target's approvals that merge a proposal (DesignState.approvals). */
  approvals: readonly HeadsApproval[]
}

/** What the fold needs to know of the source design; null when it is not held or not verifiable. */
export interface SourceFacts {
  id: DesignId
  /**
   * True when `heads` are (ancestors of) the source's canonical heads: content its maintainers
   * signed; false when they are not; null when this store cannot tell yet (the source's content
   * has not arrived).
   */
  signed(heads: readonly ChangeHash[]): boolean | null
}

export interface ProposalState {
  id: DocumentId
  target: DesignId
  source: DesignId
  author: PersonId
  opening: RecordId
  /** False while the source design is not here: revisions are listed but cannot be checked or merged. */
  sourceAvailable: boolean
  title: string
  description: string
  revisions: Revision[]
  verdicts: Verdict[]
  comments: Comment[]
  status: ProposalStatus
  /** For the latest revision: maintainers who signed its merge, and how many are needed. */
  approvals: { signers: PersonId[]; needed: number }
  ignored: RejectedRecord[]
}

/** The opening revision among `records` (lowest id, should its author have signed several), or null. */
export function findOpening(id: DocumentId, records: readonly SignedRecord[]): SignedRecord<RevisionPayload> | null {
  const openings = records
    .filter((r): r is SignedRecord<RevisionPayload> => {
      const p = r.body.payload
      return p.kind === 'revision' && p.nonce !== undefined && p.proposal === id && r.body.prev.length === 0 && isProposalBound(id, r.body.author, p.nonce)
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1))
  return openings[0] ?? null
}

/**
 * Folds a proposal's valid records (signatures checked, bound to the target). Returns null when
 * none of them opens this proposal: there is nothing to show.
 */
export function foldProposal(
  id: DocumentId,
  records: readonly SignedRecord[],
  target: TargetFacts,
  source: SourceFacts | null,
  rejected: readonly RejectedRecord[] = [],
): ProposalState | null {
  const opening = findOpening(id, records)
  if (opening === null || opening.body.design !== target.id) return null
  const ignored: RejectedRecord[] = [...rejected]
  const ignore = (r: SignedRecord, reason: string) => ignored.push({ id: r.id, kind: r.body.payload.kind, author: r.body.author, reason })
  const author = opening.body.author
  const sourceId = opening.body.payload.source
  const sourceAvailable = source !== null && source.id === sourceId

  const revisions: Revision[] = []
  const ordered = orderRecords(records)
  for (const r of ordered) {
    const p = r.body.payload
    if (p.kind !== 'revision') continue
    if (p.proposal !== id) ignore(r, 'revision of another proposal')
    else if (r.body.author !== author) ignore(r, "revision by someone other than the proposal's author")
    else if (p.source !== sourceId) ignore(r, 'revision from another source design')
    else if (p.nonce !== undefined && r.id !== opening.id) ignore(r, 'a second opening for this proposal')
    else if (r.id !== opening.id && revisions.length === 0) ignore(r, 'revision before the opening')
    else if (sourceAvailable && source.signed(r.body.heads) === false) ignore(r, 'revision names changes the source design has not signed')
    else {
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
        needs: p.needs ?? [],
      })
    }
  }
  const revisionIds = new Set(revisions.map((r) => r.record))
  const verdicts: Verdict[] = []
  const comments: Comment[] = []
  const commentsBy = new Map<string, number>()
  for (const r of ordered) {
    const p = r.body.payload
    if (p.kind === 'verdict') {
      if (p.proposal !== id || !revisionIds.has(p.revision)) ignore(r, 'verdict on an unknown revision')
      else if (!target.maintainers.includes(r.body.author)) ignore(r, 'verdict by someone who is not a maintainer of the target')
      else verdicts.push({ record: r.id, author: r.body.author, time: r.body.time, revision: p.revision, verdict: p.verdict, comment: p.comment, base: r.body.base })
    } else if (p.kind === 'comment') {
      const n = commentsBy.get(r.body.author) ?? 0
      if (p.subject !== id) ignore(r, 'comment on something else')
      else if (n >= MAX_COMMENTS_PER_AUTHOR) ignore(r, `more than ${MAX_COMMENTS_PER_AUTHOR} comments by one author`)
      else {
        commentsBy.set(r.body.author, n + 1)
        comments.push({ record: r.id, author: r.body.author, time: r.body.time, text: p.text, replyTo: p.replyTo ?? null })
      }
    } else if (p.kind !== 'revision') {
      ignore(r, `a ${p.kind} record does not belong in a proposal`)
    }
  }
  const merges = target.approvals.filter((a) => a.proposal?.proposal === id)
  revisions.forEach((rev, i) => {
    const merge = merges.find((a) => a.proposal?.revision === rev.record)
    if (merge?.approved) rev.status = 'accepted'
    else if (merge === undefined && verdicts.some((v) => v.revision === rev.record && v.verdict === 'reject')) rev.status = 'rejected'
    else if (i < revisions.length - 1) rev.status = 'superseded'
  })
  // With no revision left (the opening names changes the source has not signed, or not yet), the
  // proposal is shown as its opening describes it, open.
  const latest = revisions.at(-1)
  const latestMerge = latest === undefined ? undefined : merges.find((a) => a.proposal?.revision === latest.record)
  const status: ProposalStatus = latest?.status === 'accepted' || latest?.status === 'rejected' ? latest.status : 'open'
  return {
    id,
    target: target.id,
    source: sourceId,
    author,
    opening: opening.id,
    sourceAvailable,
    title: latest?.title ?? opening.body.payload.title,
    description: latest?.description ?? opening.body.payload.description,
    revisions,
    verdicts,
    comments,
    status,
    approvals: { signers: latestMerge?.signers ?? [], needed: latestMerge?.needed ?? target.threshold },
    ignored,
  }
}
