/**
 * Frontiers of sets of content heads: the heads that are not ancestors of another. Computed from
 * what Automerge says is *not* reachable from a set of heads (`getChangesMetaSince`), which for the
 * sets verification deals in (recent canonical heads) is only the few changes after them: the cost
 * follows what is new, not the length of the history.
 */
import * as A from '@automerge/automerge'
import { holds } from '../held.js'
import { normalizeHeads, type ChangeHash } from '../ids.js'

/** Changes of `doc` that are not ancestors of (or equal to) `heads`. */
function sinceSet(doc: A.Doc<unknown>, heads: readonly string[]): Set<string> {
  return new Set(A.getChangesMetaSince(doc, [...heads]).map((m) => m.hash))
}

/** True when every hash in `heads` is in `doc` and an ancestor of (or one of) `of`. */
export function covers(doc: A.Doc<unknown>, of: readonly string[], heads: readonly string[]): boolean {
  if (heads.length === 0) return true
  if (!holds(doc, [...heads]) || !holds(doc, [...of])) return false
  if (of.length === 0) return false
  const since = sinceSet(doc, of)
  return heads.every((h) => !since.has(h))
}

/**
 * The heads among `heads` that are not ancestors of another: the frontier of their union. Heads
 * the document does not hold are kept as they are (they cannot be compared).
 */
export function frontier(doc: A.Doc<unknown>, heads: readonly string[]): ChangeHash[] {
  const set = normalizeHeads(heads)
  if (set.length <= 1) return set
  const known = set.filter((h) => holds(doc, [h]))
  const out = set.filter((h) => !known.includes(h))
  for (const h of known) {
    const others = known.filter((x) => x !== h)
    // h stays unless it is an ancestor of the others: then it is not in what is new since them.
    if (sinceSet(doc, others).has(h)) out.push(h)
  }
  return normalizeHeads(out)
}

/**
 * The frontier of the union of many heads sets (the approved ones of a design), all held by `doc`.
 * Newest first: once the frontier holds the latest heads, every older set is covered by one
 * look at what is new since it, instead of a walk over the whole history.
 */
export function frontierOfSets(doc: A.Doc<unknown>, sets: readonly (readonly string[])[]): ChangeHash[] {
  return frontierNewestFirst(doc, [...sets].sort((a, b) => recency(doc, b) - recency(doc, a)))
}

/**
 * `frontierOfSets` for sets the caller already has newest first (a fold's approvals in reverse
 * order). The order decides only the cost, never the result: asking Automerge how recent each set
 * is costs a change lookup per set, more than the frontier itself when the sets are many.
 */
export function frontierNewestFirst(doc: A.Doc<unknown>, sets: readonly (readonly string[])[]): ChangeHash[] {
  if (sets.length === 0) return []
  let current = frontier(doc, sets[0]!)
  let since: Set<string> | null = null
  for (const heads of sets.slice(1)) {
    since ??= sinceSet(doc, current)
    if (heads.every((h) => !since!.has(h))) continue
    current = frontier(doc, [...current, ...heads])
    since = null
  }
  return current
}

/** The largest op counter among the changes named: later changes have larger ones. */
function recency(doc: A.Doc<unknown>, heads: readonly string[]): number {
  const backend = A.getBackend(doc)
  let max = -1
  for (const h of heads) max = Math.max(max, backend.getChangeMetaByHash(h)?.maxOp ?? -1)
  return max
}
