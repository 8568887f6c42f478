/**
 * The fold of a design's inbox: the document anyone may append to. It holds signed pointers to the
 * design's forks and to proposals made to it, and the design's own discussion. Pure; tested by
 * tables. (Needs and build reports live in the same document and have folds of their own.)
 *
 * Anyone may write here, so every bound is per author: one key's flood of pointers or comments is
 * cut at its own bound and never hides anyone else's entries.
 */
import type { RejectedRecord } from '../history.js'
import type { DesignId, DocumentId, PersonId, RecordId } from '../ids.js'
import { MAX_COMMENTS_PER_AUTHOR, MAX_POINTERS_PER_AUTHOR } from '../limits.js'
import { NameBook, type NameClaim } from '../names.js'
import type { SignedRecord } from '../records.js'
import { orderRecords } from './order.js'
import type { Comment } from './proposal.js'

export interface ForkPointer {
  design: DesignId
  author: PersonId
  time: number
  record: RecordId
}

export interface ProposalPointer {
  proposal: DocumentId
  author: PersonId
  time: number
  record: RecordId
}

export interface DesignComment extends Comment {
  /** The BOM row, step or file it is about, if any (the entry may since have been removed). */
  about: string | null
}

export interface InboxState {
  forks: ForkPointer[]
  proposals: ProposalPointer[]
  comments: DesignComment[]
  ignored: RejectedRecord[]
  names: NameClaim[]
}

/** Kinds that belong in an inbox; any other kind is reported. */
export const INBOX_KINDS = new Set(['fork-pointer', 'proposal-pointer', 'comment', 'need', 'make'])

export function foldInbox(design: DesignId, records: readonly SignedRecord[], rejected: readonly RejectedRecord[] = []): InboxState {
  const ignored: RejectedRecord[] = [...rejected]
  const ignore = (r: SignedRecord, reason: string) => ignored.push({ id: r.id, kind: r.body.payload.kind, author: r.body.author, reason })
  const count = new Map<string, number>()
  const within = (r: SignedRecord, kind: string, max: number): boolean => {
    const key = `${kind}|${r.body.author}`
    const n = count.get(key) ?? 0
    if (n >= max) {
      ignore(r, `more than ${max} ${kind} records by one author`)
      return false
    }
    count.set(key, n + 1)
    return true
  }
  const forks: ForkPointer[] = []
  const proposals: ProposalPointer[] = []
  const comments: DesignComment[] = []
  const forkSeen = new Set<string>()
  const proposalSeen = new Set<string>()
  const counted: SignedRecord[] = []
  for (const r of orderRecords(records)) {
    const p = r.body.payload
    if (!INBOX_KINDS.has(p.kind)) {
      ignore(r, `a ${p.kind} record does not belong in an inbox`)
      continue
    }
    if (p.kind === 'fork-pointer') {
      if (forkSeen.has(p.fork) || !within(r, 'fork pointer', MAX_POINTERS_PER_AUTHOR)) continue
      forkSeen.add(p.fork)
      forks.push({ design: p.fork, author: r.body.author, time: r.body.time, record: r.id })
    } else if (p.kind === 'proposal-pointer') {
      if (proposalSeen.has(p.proposal) || !within(r, 'proposal pointer', MAX_POINTERS_PER_AUTHOR)) continue
      proposalSeen.add(p.proposal)
      proposals.push({ proposal: p.proposal, author: r.body.author, time: r.body.time, record: r.id })
    } else if (p.kind === 'comment') {
      if (p.subject !== design) {
        ignore(r, 'comment on something else')
        continue
      }
      if (!within(r, 'comment', MAX_COMMENTS_PER_AUTHOR)) continue
      comments.push({ record: r.id, author: r.body.author, time: r.body.time, text: p.text, replyTo: p.replyTo ?? null, about: p.about ?? null })
    } else continue
    counted.push(r)
  }
  return { forks, proposals, comments, ignored, names: NameBook.from(counted).claims() }
}
