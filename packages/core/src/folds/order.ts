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
    for (const p of parents) {
      const list = children.get(p)
      if (list === undefined) children.set(p, [r.id])
      else list.push(r.id)
    }
  }
  // The records ready to be placed, lowest id first: a binary heap, so that an inbox of many
  // records without `prev` (pointers, needs) costs n log n, not a sort per record placed.
  const ready = new IdHeap<R>()
  for (const r of records) if (indegree.get(r.id) === 0) ready.push(r)
  const out: R[] = []
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    out.push(next)
    for (const c of children.get(next.id) ?? []) {
      const n = indegree.get(c)! - 1
      indegree.set(c, n)
      if (n === 0) ready.push(byId.get(c)!)
    }
  }
  return out
}

class IdHeap<R extends { id: string }> {
  readonly #items: R[] = []

  push(item: R): void {
    const a = this.#items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (a[parent]!.id <= a[i]!.id) break
      ;[a[parent], a[i]] = [a[i]!, a[parent]!]
      i = parent
    }
  }

  pop(): R | undefined {
    const a = this.#items
    if (a.length === 0) return undefined
    const top = a[0]!
    const last = a.pop()!
    if (a.length > 0) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let min = i
        if (l < a.length && a[l]!.id < a[min]!.id) min = l
        if (r < a.length && a[r]!.id < a[min]!.id) min = r
        if (min === i) break
        ;[a[min], a[i]] = [a[i]!, a[min]!]
        i = min
      }
    }
    return top
  }
}
