/**
 * Moving content between related designs' documents without moving more than was signed: only
 * the changes up to given heads, and only those the receiving document lacks. Costs what is new
 * to the receiver, not the length of either history.
 */
import * as A from '@automerge/automerge'
import { holds } from '../held.js'

/** The changes of `from` that are ancestors of (or equal to) `heads` and that `into` lacks. */
export function missingChanges(from: A.Doc<unknown>, heads: readonly string[], into: A.Doc<unknown>): A.Change[] {
  const backend = A.getBackend(from)
  const out: A.Change[] = []
  const seen = new Set<string>()
  const stack = [...heads]
  while (stack.length > 0) {
    const h = stack.pop()!
    if (seen.has(h)) continue
    seen.add(h)
    if (holds(into, [h])) continue
    const change = backend.getChangeByHash(h)
    const meta = backend.getChangeMetaByHash(h)
    if (change === null || meta === null) continue
    out.push(change)
    stack.push(...meta.deps)
  }
  return out
}

/**
 * `into` with the changes of `from` up to `heads` merged in (nothing of `from` beyond them). When
 * `heads` are `from`'s own heads, every change of `from` is wanted, and Automerge's merge finds
 * what `into` lacks natively, as a stock merge does; otherwise the changes are gathered by
 * walking back from `heads` (`missingChanges`). For use inside a handle's update.
 */
export function mergeUpTo<T>(into: A.Doc<T>, from: A.Doc<unknown>, heads: readonly string[]): A.Doc<T> {
  // The backend's heads, not `A.getHeads`: a view reports the heads it was taken at, but merging
  // it would merge everything its backend holds.
  const own = A.getBackend(from).getHeads()
  if (own.length === heads.length && own.every((h) => heads.includes(h))) return A.merge(into, from as A.Doc<T>)
  const changes = missingChanges(from, heads, into as A.Doc<unknown>)
  return changes.length === 0 ? into : A.applyChanges(into, changes)[0]
}

/** True when the two documents share any history (designs forked from one another, or from a common ancestor). */
export function shareHistory(a: A.Doc<unknown>, b: A.Doc<unknown>, hints: readonly (readonly string[])[] = []): boolean {
  // Cheap first: a fork's genesis heads are changes of its upstream, and the other way round.
  for (const heads of hints) if (heads.length > 0 && holds(a, [...heads]) && holds(b, [...heads])) return true
  // Otherwise: do they have a first change in common? (Every fork keeps its ancestors' first change.)
  const roots = A.getChangesMetaSince(a, [])
    .filter((m) => m.deps.length === 0)
    .map((m) => m.hash)
  return roots.some((r) => holds(b, [r]))
}
