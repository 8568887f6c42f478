/**
 * The "What's needed" board: the needs not yet closed across the designs this browser holds and
 * those its hub's catalogue says have some. The catalogue's counts are a hint of where to look;
 * every need listed comes from the design's own verified records (core's `needs`), so a hub can
 * hide needs from the board but never invent or alter one.
 */
import { matchesNeed, summaryMatches, type NeedFilter, type NeedView, type VerifiedNeeds } from '@cosmolocal/core'
import { BOARD_CONCURRENCY, MAX_BOARD_DESIGNS } from '../limits.js'
import type { CatalogueItem } from './catalogue.js'
import type { Peer } from './peer.js'

export interface BoardNeed extends NeedView {
  designUrl: string
  designTitle: string
  place: string
}

export interface Board {
  needs: BoardNeed[]
  /** Every label of the needs listed, most used first. */
  labels: string[]
  /** Designs whose needs could not be read (not reachable, not verifiable). */
  unreadable: { url: string; title: string; reason: string }[]
  /** Designs with needs left unread beyond MAX_BOARD_DESIGNS. */
  skipped: number
  /** The documents the board was computed from: reload it when one changes. */
  documents: string[]
}

/**
 * The designs worth reading for the board: held here, or said by the hub to have open needs; held
 * ones first, then the most recently changed, at most MAX_BOARD_DESIGNS (`skipped`: how many more).
 */
export function boardDesigns(items: readonly CatalogueItem[], max = MAX_BOARD_DESIGNS): { designs: CatalogueItem[]; skipped: number } {
  const worth = items
    .filter((i) => i.local || (i.needs !== undefined && summaryMatches(i.needs)))
    .sort((a, b) => Number(b.local) - Number(a.local) || (b.lastChange ?? 0) - (a.lastChange ?? 0))
  return { designs: worth.slice(0, max), skipped: Math.max(0, worth.length - max) }
}

/** Runs `fn` over `list`, `limit` at a time, keeping the order of the results. */
async function pool<T, R>(list: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(list.length)
  let next = 0
  const worker = async () => {
    while (next < list.length) {
      const i = next++
      out[i] = await fn(list[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker))
  return out
}

export async function loadBoard(peer: Peer, items: readonly CatalogueItem[]): Promise<Board> {
  const needs: BoardNeed[] = []
  const unreadable: Board['unreadable'] = []
  const documents = new Set<string>()
  const { designs, skipped } = boardDesigns(items)
  const views = await pool(designs, BOARD_CONCURRENCY, async (item) => {
      try {
        return { item, view: await peer.commons.needs(item.url, { held: item.local && !item.hub }) }
      } catch (err) {
        unreadable.push({ url: item.url, title: item.title, reason: (err as Error).message })
        return null
      }
    })
  for (const v of views) {
    if (v === null) continue
    const { item, view } = v as { item: CatalogueItem; view: VerifiedNeeds }
    for (const d of view.documents) documents.add(d)
    for (const n of view.needs) if (n.status !== 'closed') needs.push({ ...n, designUrl: item.url, designTitle: item.title, place: item.place ?? '' })
  }
  needs.sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1))
  const uses = new Map<string, number>()
  for (const n of needs) for (const l of n.labels) uses.set(l, (uses.get(l) ?? 0) + 1)
  const labels = [...uses.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l]) => l)
  return { needs, labels, unreadable, skipped, documents: [...documents].sort() }
}

/** The board's needs for a label and search words (every word in the title, body, labels, design or place). */
export function filterBoard(needs: readonly BoardNeed[], filter: { label: string | null; text: string }): BoardNeed[] {
  const f: NeedFilter = filter.label === null ? {} : { label: filter.label }
  const words = filter.text.toLowerCase().split(/\s+/).filter((w) => w !== '')
  return needs.filter((n) => {
    if (!matchesNeed(n, f)) return false
    const hay = `${n.title}\n${n.body}\n${n.labels.join(' ')}\n${n.designTitle}\n${n.place}`.toLowerCase()
    return words.every((w) => hay.includes(w))
  })
}
