/**
 * How far apart two related designs are: how many signed content changes each has that the
 * other's canonical content lacks, and whether one carries changes the other rejected. Pure: the
 * designs come as their verified approvals (fold order, `GovernanceHistory.approvals`), their
 * canonical heads, and a way to ask their content documents' ancestry; tested by tables.
 *
 * A *signed content change* of design A is an approved content record of A (its heads held by
 * A's content document) whose heads name a change that
 *   1. B's canonical content does not cover (the change is not one of B's canonical heads or an
 *      ancestor of them), and
 *   2. no earlier approved record of A already signed (is not one of, or an ancestor of, an
 *      earlier approval's heads).
 * A is *ahead* of B by the number of such records, and *behind* B by B's number relative to A.
 * Rule 2 is what keeps an update or a merge from counting twice: its heads are the frontier of
 * what A had and what it took in, so the only heads B lacks are A's own, already counted. A merge
 * of a third design's proposal counts once (its changes are new to B); an update from B counts
 * nothing against B (all it brings is B's).
 *
 * Cost: each approval asks the other document one question about changes beyond its canonical
 * heads (few: unsigned or pending ones), and only the approvals that pass that ask about each
 * other (those the other side lacks: the recent ones). The whole history is never walked.
 */
import type { ChangeHash, DocumentId } from '../ids.js'
import type { HeadsApproval } from './governance.js'

/** A content document's ancestry, as far as this fold needs it. */
export interface ContentAncestry {
  /** True when every change in `heads` is in the document and is one of `of` or an ancestor of them. */
  covers(of: readonly ChangeHash[], heads: readonly ChangeHash[]): boolean
}

/** One design, as the comparison sees it. */
export interface LineageSide {
  /** Every approval of the design's verified history, in the fold's order. */
  approvals: readonly Pick<HeadsApproval, 'heads' | 'approved' | 'available'>[]
  canonicalHeads: readonly ChangeHash[]
  ancestry: ContentAncestry
}

/** A revision of a proposal from one design to another, which the other's maintainers rejected. */
export interface RejectedRevision {
  proposal: DocumentId
  revision: number
  title: string
  heads: ChangeHash[]
}

export interface Divergence {
  /** Signed content changes of the design that the other lacks. */
  ahead: number
  /** Signed content changes of the other that the design lacks. */
  behind: number
  /** Rejected revisions whose changes the design still carries and the other does not hold. */
  rejected: RejectedRevision[]
}

/** How many signed content changes `a` has that `b`'s canonical content lacks (see above). */
export function signedChangesAhead(a: LineageSide, b: LineageSide): number {
  const earlier: (readonly ChangeHash[])[] = []
  let count = 0
  for (const approval of a.approvals) {
    if (!approval.approved || !approval.available) continue
    const lacking = approval.heads.filter((h) => !b.ancestry.covers(b.canonicalHeads, [h]))
    // Covered by b: so is everything it descends from, so no later record needs it as "earlier".
    if (lacking.length === 0) continue
    if (lacking.some((h) => !earlier.some((heads) => a.ancestry.covers(heads, [h])))) count++
    earlier.push(approval.heads)
  }
  return count
}

/**
 * How far `a` is from `b`, and which of `rejected` (revisions of proposals from `a` that `b`'s
 * maintainers rejected) `a` still carries: their heads are in `a`'s canonical content and not
 * all in `b`'s.
 */
export function divergence(a: LineageSide, b: LineageSide, rejected: readonly RejectedRevision[] = []): Divergence {
  return {
    ahead: signedChangesAhead(a, b),
    behind: signedChangesAhead(b, a),
    rejected: rejected.filter((r) => a.ancestry.covers(a.canonicalHeads, r.heads) && !b.ancestry.covers(b.canonicalHeads, r.heads)),
  }
}
