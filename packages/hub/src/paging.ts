/**
 * Catalogue pages: entries in a fixed order (newest change first, then by design id) and an
 * opaque cursor naming the last entry of a page, so that a page follows from where the previous
 * one ended even when designs were added or changed between the two requests.
 */
import type { DocumentId } from '@automerge/automerge-repo'
import type { CatalogueEntry, EntryCursor } from './protocols.js'

const before = (a: EntryCursor, b: EntryCursor) => b.lastChange - a.lastChange || (a.design < b.design ? -1 : a.design > b.design ? 1 : 0)

export const entryCursor = (e: EntryCursor): string => `${e.lastChange}.${e.design}`

export class CataloguePage {
  readonly entries: readonly CatalogueEntry[]

  constructor(entries: CatalogueEntry[]) {
    this.entries = entries.sort(before)
  }

  /** Up to `limit` entries after `cursor` (from the start without one), or from `offset`. */
  slice(options: { cursor?: EntryCursor | undefined; offset?: number | undefined; limit: number }): { designs: CatalogueEntry[]; next: string | null } {
    let from = options.offset ?? 0
    if (options.cursor !== undefined) {
      // The first entry that sorts after the cursor (binary search: a page costs O(log n + limit)).
      let lo = 0
      let hi = this.entries.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (before(this.entries[mid]!, options.cursor) <= 0) lo = mid + 1
        else hi = mid
      }
      from = lo
    }
    const designs = this.entries.slice(from, from + options.limit)
    const next = from + options.limit < this.entries.length && designs.length > 0 ? entryCursor(designs.at(-1)!) : null
    return { designs, next }
  }
}

/** Up to `limit` of the sorted `ids` after `cursor` (an id; from the start without one). */
export function idPage(ids: readonly DocumentId[], cursor: DocumentId | undefined, limit: number): { ids: DocumentId[]; next: string | null } {
  let lo = 0
  if (cursor !== undefined) {
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (ids[mid]! <= cursor) lo = mid + 1
      else hi = mid
    }
  }
  const page = ids.slice(lo, lo + limit)
  return { ids: page, next: lo + limit < ids.length && page.length > 0 ? page.at(-1)! : null }
}
