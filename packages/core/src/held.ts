/**
 * Whether a document holds given changes. Automerge's `hasHeads` answers by rebuilding each change
 * it is asked about (`getChangeByHash`), a fraction of a millisecond per hash on a long history;
 * verification asks it about every approved heads set of a design on every fold, and a merge about
 * every change it gathers. `getMissingDeps` answers from the change index instead.
 *
 * One subtlety: `getMissingDeps` does not report a hash that sits in the document's queue (changes
 * received before their dependencies), although the document does not hold it yet. A queue always
 * has a missing dependency of its own, so an empty answer means an empty queue and every hash held;
 * with a queue, the slow exact question is asked.
 */
import * as A from '@automerge/automerge'

/** True when `doc` holds (has applied) every change in `heads`. */
export function holds(doc: A.Doc<unknown>, heads: readonly string[]): boolean {
  if (heads.length === 0) return true
  let missing: string[]
  try {
    missing = A.getMissingDeps(doc, [...heads])
  } catch {
    // A malformed hash (Automerge throws on one): no document holds it.
    return false
  }
  if (missing.length === 0) return true
  return A.getMissingDeps(doc, []).length === 0 ? false : A.hasHeads(doc, [...heads])
}
