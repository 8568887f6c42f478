/**
 * Whether each design this browser holds is in sync with its hub: the local heads of the design's
 * documents against the heads the hub acknowledged (stored), and how many local changes the hub
 * has not acknowledged yet. The last acknowledged heads are kept in localStorage, so a page
 * reloaded while offline still counts what is pending.
 */
import * as A from '@automerge/automerge'
import type { DocumentId, Repo } from '@automerge/automerge-repo'
import type { AckedHeads } from './hub-heads.js'

export const ACKED_KEY = 'cosmolocal/acked'

/** in-sync: the hub stored exactly our heads. pending: we hold changes it lacks. behind: it holds changes we lack. */
export type SyncStatus = 'in-sync' | 'pending' | 'behind' | 'unknown'

export interface DocumentSync {
  status: SyncStatus
  /** Local changes the hub has not acknowledged. */
  pending: number
}

export interface DesignSync {
  url: string
  title: string
  status: SyncStatus
  pending: number
}

const key = (heads: readonly string[]) => [...heads].sort().join(',')

/**
 * One document. `acked`: undefined when the hub was never asked, null when it does not hold the
 * document. `doc`: the local document, or undefined when this browser does not hold it.
 */
export function documentSync(doc: A.Doc<unknown> | undefined, acked: string[] | null | undefined): DocumentSync {
  if (doc === undefined) return { status: acked === undefined || acked === null ? 'unknown' : 'behind', pending: 0 }
  const local = A.getHeads(doc)
  if (acked === undefined || acked === null) return { status: 'pending', pending: A.getChangesMetaSince(doc, []).length }
  if (key(local) === key(acked)) return { status: 'in-sync', pending: 0 }
  if (A.hasHeads(doc, acked)) return { status: 'pending', pending: A.getChangesMetaSince(doc, acked).length }
  return { status: 'behind', pending: 0 }
}

/**
 * A design is as far behind as its furthest document. Its pending changes are counted in acts:
 * `docs[0]` is its governance document, where every signed act (an edit, a merge, a maintainer
 * change) is one record, so one edit counts once although it also changed the content; without
 * pending records, the most any other document has pending (an inbox entry, say).
 */
export function combine(docs: readonly DocumentSync[]): DocumentSync {
  const [acts, ...rest] = docs
  const pending = acts !== undefined && acts.pending > 0 ? acts.pending : Math.max(0, ...rest.map((d) => d.pending))
  const has = (s: SyncStatus) => docs.some((d) => d.status === s)
  const status: SyncStatus = docs.length === 0 || has('unknown') ? 'unknown' : has('pending') ? 'pending' : has('behind') ? 'behind' : 'in-sync'
  return { status, pending }
}

export function loadAcked(storage: Storage = localStorage): AckedHeads {
  try {
    const raw = JSON.parse(storage.getItem(ACKED_KEY) ?? '{}') as Record<string, string[] | null>
    return new Map(Object.entries(raw))
  } catch {
    return new Map()
  }
}

export function saveAcked(acked: AckedHeads, storage: Storage = localStorage): void {
  try {
    storage.setItem(ACKED_KEY, JSON.stringify(Object.fromEntries(acked)))
  } catch {
    // storage full: the counts start from the hub's next answer after a reload
  }
}

/** The local document if this browser holds it (from memory or IndexedDB; never asks the network for one it lacks). */
export async function localDoc(repo: Repo, id: string): Promise<A.Doc<unknown> | undefined> {
  const existing = repo.handles[id as DocumentId]
  if (existing?.isReady()) return existing.doc() as A.Doc<unknown>
  if (existing !== undefined) return undefined
  try {
    const handle = await repo.find<unknown>(id as DocumentId, { allowableStates: ['ready', 'unavailable', 'requesting'] })
    return handle.isReady() ? (handle.doc() as A.Doc<unknown>) : undefined
  } catch {
    return undefined
  }
}
