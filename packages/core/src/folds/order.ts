/** A deterministic causal order for records outside the governance fold (inbox, proposal). */
import type { RecordId } from '../ids.js'
import type { SignedRecord } from '../records.js'

/** Topological order by `prev` (names of records not in the set are ignored), ties by record id. */
export function orderRecords<R extends SignedRecord>(records: readonly R[]): R[] {
  const byId = new Map(records.map((r) => [r.id, r]))
  const indegree = new Map<RecordId, number>()
  const children = new Map<RecordId, RecordId[]>()
  for (const r of records) {
    const parents = r.body.prev.filter((p) => byId.has(p))
    indegree.set(r.id, parents.length)
    for (const p of parents) children.set(p, [...(children.get(p) ?? []), r.id])
  }
  const ready = records.filter((r) => indegree.get(r.id) === 0)
  const out: R[] = []
  while (ready.length > 0) {
    ready.sort((a, b) => (a.id < b.id ? -1 : 1))
    const next = ready.shift()!
    out.push(next)
    for (const c of children.get(next.id) ?? []) {
      const n = indegree.get(c)! - 1
      indegree.set(c, n)
      if (n === 0) ready.push(byId.get(c)!)
    }
  }
  return out
}
