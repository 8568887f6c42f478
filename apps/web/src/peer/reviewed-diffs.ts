/**
 * The diff a proposal's revision showed while it was open, kept in this browser so that the
 * revision still shows what it proposed once it is merged (when the design already holds it, a
 * diff against the design as it is now is empty). Bounded; the oldest go first.
 */
import type { DesignDiff } from '@cosmolocal/core'
import { MAX_KEPT_DIFF_CHARS, MAX_KEPT_DIFFS } from '../limits.js'

export const REVIEWED_DIFFS_KEY = 'cosmolocal/reviewed-diffs'

type Kept = { key: string; diff: DesignDiff }[]

function load(storage: Storage): Kept {
  try {
    const raw = JSON.parse(storage.getItem(REVIEWED_DIFFS_KEY) ?? '[]') as unknown
    return Array.isArray(raw) ? (raw as Kept) : []
  } catch {
    return []
  }
}

const keyOf = (proposal: string, revision: number) => `${proposal}#${revision}`

export function keepDiff(proposal: string, revision: number, diff: DesignDiff, storage: Storage = localStorage): void {
  if (diff.empty) return
  const text = JSON.stringify(diff)
  if (text.length > MAX_KEPT_DIFF_CHARS) return
  const key = keyOf(proposal, revision)
  const list = load(storage).filter((k) => k.key !== key)
  list.push({ key, diff })
  try {
    storage.setItem(REVIEWED_DIFFS_KEY, JSON.stringify(list.slice(-MAX_KEPT_DIFFS)))
  } catch {
    // Storage full: the page still works, the merged proposal just has nothing kept to show.
  }
}

export function keptDiff(proposal: string, revision: number, storage: Storage = localStorage): DesignDiff | null {
  return load(storage).find((k) => k.key === keyOf(proposal, revision))?.diff ?? null
}
