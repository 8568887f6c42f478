/**
 * The store doctor: reads every document of a store the way a load does (so damaged chunks are
 * set aside and reported, and stale temporary files removed), checks that each document loads
 * whole, and lists what the quarantine holds and which documents must be fetched again from a
 * peer (or a bundle): those whose every chunk was set aside, that no longer load, or that load
 * with changes missing (a set-aside chunk held changes the rest depend on).
 */
import * as A from '@automerge/automerge'
import { isValidDocumentId, type DocumentId } from '@automerge/automerge-repo'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AtomicFsStorageAdapter, QuarantineEvent } from './fs-adapter.js'
import { readQuarantine, type QuarantineRecord } from './quarantine.js'

export type RefetchReason = 'all-chunks-set-aside' | 'does-not-load' | 'missing-changes'

export interface DoctorReport {
  store: string
  quarantine: string
  /** Documents found in the store. */
  documents: number
  /** Every chunk the quarantine holds, oldest first (including those set aside by this scan). */
  quarantined: QuarantineRecord[]
  /** Chunks this scan set aside. */
  setAside: number
  /** Documents to fetch again, by id. */
  refetch: { document: DocumentId; reason: RefetchReason }[]
  /** Stale temporary files removed. */
  temporaryFilesRemoved: number
}

export async function examineStore(storage: AtomicFsStorageAdapter): Promise<DoctorReport> {
  const temporaryFilesRemoved = await storage.sweepTemporaryFiles()
  let setAside = 0
  const count = (_: QuarantineEvent) => void setAside++
  storage.on('quarantine', count)
  const refetch = new Map<DocumentId, RefetchReason>()
  const stored = await documentIds(storage.baseDirectory)
  const withChunks = new Set<DocumentId>()
  try {
    for (const id of stored) {
      const chunks = [...(await storage.loadRange([id, 'snapshot'])), ...(await storage.loadRange([id, 'incremental']))]
      if (chunks.length === 0) continue
      withChunks.add(id)
      const problem = loadProblem(chunks.map((c) => c.data!))
      if (problem !== null) refetch.set(id, problem)
    }
  } finally {
    storage.off('quarantine', count)
  }
  const quarantined = await readQuarantine(storage.quarantineDirectory)
  for (const r of quarantined) {
    if (r.documentId !== null && !withChunks.has(r.documentId)) refetch.set(r.documentId, 'all-chunks-set-aside')
  }
  return {
    store: storage.baseDirectory,
    quarantine: storage.quarantineDirectory,
    documents: stored.length,
    quarantined,
    setAside,
    refetch: [...refetch].sort(([a], [b]) => (a < b ? -1 : 1)).map(([document, reason]) => ({ document, reason })),
    temporaryFilesRemoved,
  }
}

/** Why chunks that each check out still do not make a whole document, or null. */
function loadProblem(chunks: Uint8Array[]): RefetchReason | null {
  let doc: A.Doc<unknown>
  try {
    doc = A.init()
    for (const c of chunks) doc = A.loadIncremental(doc, c)
  } catch {
    return 'does-not-load'
  }
  return A.getMissingDeps(doc, []).length > 0 ? 'missing-changes' : null
}

/** The documents a store holds, from its two directory levels (no document is read). */
async function documentIds(base: string): Promise<DocumentId[]> {
  const out: DocumentId[] = []
  for (const prefix of await readdir(base).catch(() => [] as string[])) {
    if (prefix.length !== 2) continue
    for (const rest of await readdir(join(base, prefix)).catch(() => [] as string[])) {
      const id = prefix + rest
      if (isValidDocumentId(id)) out.push(id)
    }
  }
  return out.sort()
}
