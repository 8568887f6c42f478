/**
 * Which documents a hub keeps in memory: those in use. A document loads when someone asks for it
 * (automerge-repo loads it from storage when a peer's sync message names it, or on `find`) and is
 * unloaded once nobody has used it for DOCUMENT_IDLE_MS: no sync message about it from any peer,
 * no change, no read by the hub. So memory grows with the designs in use, not with those held.
 *
 * Unloading never loses a write: the document is flushed first, and it stays if it changed or was
 * used while the flush ran. A document a peer is syncing is in use (its messages keep it), so a
 * live session is never cut under a peer; one that went quiet reloads from disk on its next
 * message, and sync resumes from the heads both sides already share.
 */
import * as A from '@automerge/automerge'
import type { DocumentId, Repo } from '@automerge/automerge-repo'
import { DOCUMENT_IDLE_MS, IDLE_SWEEP_INTERVAL_MS } from './limits.js'

export interface ResidencyInit {
  repo: Repo
  /** How long a document may go unused before it is unloaded (default DOCUMENT_IDLE_MS). */
  idleMs?: number
  log: (line: string) => void
}

export class Residency {
  readonly #repo: Repo
  readonly #idleMs: number
  readonly #log: (line: string) => void
  /** Document → when it was last used (ms). */
  readonly #used = new Map<DocumentId, number>()
  /** Document → when a sweep first found it loaded (whoever loaded it gets a whole idle period). */
  readonly #seen = new Map<DocumentId, number>()
  readonly #pinned = new Map<DocumentId, number>()
  #timer: ReturnType<typeof setInterval> | undefined
  #sweeping: Promise<void> | null = null
  /** Documents unloaded so far (for tests and the log). */
  unloaded = 0

  constructor(init: ResidencyInit) {
    this.#repo = init.repo
    this.#idleMs = init.idleMs ?? DOCUMENT_IDLE_MS
    this.#log = init.log
    init.repo.networkSubsystem.on('message', (m) => {
      if ('documentId' in m && m.documentId !== undefined) this.use(m.documentId)
    })
    // A change is a use (automerge-repo emits no event when it loads a document, only when it saves one).
    init.repo.on('doc-metrics', (e) => {
      if (e.type === 'doc-saved' && this.#repo.handles[e.documentId]?.isReady() === true) this.use(e.documentId)
    })
  }

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), Math.min(IDLE_SWEEP_INTERVAL_MS, Math.max(50, this.#idleMs / 2)))
    this.#timer.unref()
  }

  /** Marks a document as in use now. */
  use(id: DocumentId): void {
    this.#used.set(id, Date.now())
  }

  /** Keeps a document loaded until `unpin` (nested pins count). */
  pin(id: DocumentId): void {
    this.#pinned.set(id, (this.#pinned.get(id) ?? 0) + 1)
  }

  unpin(id: DocumentId): void {
    const n = (this.#pinned.get(id) ?? 1) - 1
    if (n <= 0) this.#pinned.delete(id)
    else this.#pinned.set(id, n)
  }

  /** Unloads every document idle for longer than the limit. */
  async sweep(): Promise<void> {
    this.#sweeping ??= (async () => {
      const now = Date.now()
      const idle: DocumentId[] = []
      for (const id of Object.keys(this.#repo.handles) as DocumentId[]) {
        let seen = this.#seen.get(id)
        // First seen loaded now (by a sync message, a command, a read): idle from here on.
        if (seen === undefined) this.#seen.set(id, (seen = now))
        if (now - Math.max(seen, this.#used.get(id) ?? 0) > this.#idleMs) idle.push(id)
      }
      for (const id of idle) await this.unload(id, now)
    })().finally(() => {
      this.#sweeping = null
    })
    await this.#sweeping
  }

  /**
   * Unloads a document that is ready, unpinned and unused since `since` (a sync message, a save,
   * `use`; a sweep having seen it loaded does not count), after flushing it; false when it stays. Documents still loading or being fetched from peers are left alone.
   */
  async unload(id: DocumentId, since: number): Promise<boolean> {
    const handle = this.#repo.handles[id]
    if (handle === undefined || !handle.isReady() || this.#pinned.has(id)) {
      return false
    }
    const heads = A.getHeads(handle.doc()).join(',')
    try {
      await this.#repo.flush([id])
    } catch (err) {
      this.#log(`cannot write ${id} before unloading it (it stays loaded): ${(err as Error).message}`)
      return false
    }
    // Changed or used while the flush ran: it stays, and its new state is written by the next save.
    const now = this.#repo.handles[id]
    if (now !== handle || !handle.isReady() || this.#pinned.has(id) || (this.#used.get(id) ?? 0) > since || A.getHeads(handle.doc()).join(',') !== heads) {
      return false
    }
    // Unloading empties the handle's document, which the repo's save listener would then write: a
    // compaction of an empty document replaces the stored one and deletes its chunks. The handle
    // is discarded here (a later find makes a new one), so its listeners go first.
    handle.removeAllListeners('heads-changed')
    await this.#repo.removeFromCache(id)
    this.#used.delete(id)
    this.#seen.delete(id)
    this.unloaded++
    return true
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#sweeping
  }
}
