/**
 * The document store: the only code that reads documents from the Repo and writes them.
 *
 * Reads hand out documents as raw Automerge values: what a document *is* is decided elsewhere, from
 * its signed history (verifier.ts), never from a field here. Writes are the few shapes an honest
 * client makes: create or import a document, change content at given heads, append a signed
 * record. An append never trusts the document's current state either: if someone deleted or
 * retyped the list records go in, the append makes a new one (records are read from history, so
 * where in the current state they sit does not matter).
 *
 * Every write marks its document; `durable()` hands the marked ids to the write hook (the
 * browser flushes them to IndexedDB, a hub flushes before acknowledging) and resolves once it has.
 */
import type * as A from '@automerge/automerge'
import type { DocHandle, HandleState, Repo } from '@automerge/automerge-repo'
import { decodeHeads, encodeHeads, type UrlHeads } from '@automerge/automerge-repo'
import { NotFoundError } from '../errors.js'
import { normalizeHeads, toUrl, type ChangeHash, type DocumentId } from '../ids.js'
import { FIND_TIMEOUT_MS } from '../limits.js'

/** Called with the documents a finished operation wrote; resolves once they are durable. */
export type WriteHook = (documents: DocumentId[]) => Promise<void>

/** The list field records are appended to, per kind of document (a hint only; history counts). */
export type RecordList = 'records' | 'entries'

export class DocumentStore {
  readonly #dirty = new Set<DocumentId>()

  constructor(
    readonly repo: Repo,
    readonly onWrite: WriteHook = async (ids) => {
      await repo.flush(ids)
    },
  ) {}

  /**
   * The document, from storage or from peers. Throws NotFoundError when neither has it (decided by
   * the repo's find state, not by any message text).
   */
  async find<T = unknown>(id: DocumentId, what = 'document'): Promise<DocHandle<T>> {
    const found = await this.#find<T>(id, false)
    if (found === null) throw new NotFoundError(`${what} ${toUrl(id)} is not in this store`, { id })
    return found
  }

  /**
   * The document if this store already holds it (in memory or in storage); null otherwise, without
   * waiting for peers. Listings use this: a pointer to something nobody here has costs nothing.
   */
  async findHeld<T = unknown>(id: DocumentId): Promise<DocHandle<T> | null> {
    return await this.#find<T>(id, true)
  }

  async #find<T>(id: DocumentId, localOnly: boolean): Promise<DocHandle<T> | null> {
    const handle = this.#startFind<T>(id)
    // A handle goes idle → loading (storage) → ready, or → requesting (peers) → ready | unavailable.
    const terminal: HandleState[] = ['ready', 'unavailable', 'deleted', 'unloaded']
    const states: HandleState[] = localOnly ? [...terminal, 'requesting'] : terminal
    if (!handle.inState(states)) {
      // Our own deadline, shorter than the handle's: on its own timeout automerge-repo logs to
      // stdout. A plain timer, cleared once answered (AbortSignal.timeout would keep one per find).
      const deadline = new AbortController()
      const timer = setTimeout(() => deadline.abort(), FIND_TIMEOUT_MS)
      try {
        await handle.whenReady(states, { signal: deadline.signal })
      } catch (err) {
        if (deadline.signal.aborted) return null
        throw err
      } finally {
        clearTimeout(timer)
      }
    }
    return handle.isReady() ? handle : null
  }

  /**
   * Starts the repo's find with a signal of its own, aborted once the repo's load has finished.
   * Without one, automerge-repo races the load against a promise that never settles, and that
   * race keeps every document the Repo ever loaded reachable, unloaded or not (nodejs/node#17469):
   * a hub's memory would grow with the documents it ever served, not those in use. Aborted only
   * after the load's last step: aborted earlier, the load would record itself as failed, and the
   * repo would answer later finds of the document with that failure. And aborted from a frame of
   * its own: the never-settling promise keeps the error the abort makes, and that error's stack
   * would hold the frames it was made in (the load's, and through them the repo).
   */
  #startFind<T>(id: DocumentId): DocHandle<T> {
    const loaded = new AbortController()
    const progress = this.repo.findWithProgress<T>(id, { signal: loaded.signal })
    if (!('subscribe' in progress)) return progress.handle
    const finished = (state: string) => state === 'ready' || state === 'unavailable' || state === 'failed'
    const release = () => void setTimeout(() => loaded.abort(), 0)
    if (finished(progress.peek().state)) release()
    else {
      const stop = progress.subscribe((step) => {
        if (!finished(step.state)) return
        stop()
        release()
      })
    }
    return progress.handle
  }

  /** The current document of a handle that is ready. */
  doc<T>(handle: DocHandle<T>): A.Doc<T> {
    return handle.doc()
  }

  create<T>(initial: T): DocHandle<T> {
    const handle = this.repo.create<T>(initial)
    this.#dirty.add(handle.documentId)
    return handle
  }

  /** Imports saved document bytes, merging them into the document of that id if it is here. */
  import<T>(bytes: Uint8Array, id?: DocumentId): DocHandle<T> {
    const handle = id === undefined ? this.repo.import<T>(bytes) : this.repo.import<T>(bytes, { docId: id })
    this.#dirty.add(handle.documentId)
    return handle
  }

  /** Replaces (merges into) a handle's document with `fn`'s result. */
  update<T>(handle: DocHandle<T>, fn: (doc: A.Doc<T>) => A.Doc<T>): void {
    handle.update(fn)
    this.#dirty.add(handle.documentId)
  }

  /**
   * Applies `fn` on top of `heads` (not on top of whatever else the document holds) and returns
   * the heads after it, or null when `fn` changed nothing.
   */
  changeAt<T>(handle: DocHandle<T>, heads: readonly ChangeHash[], fn: (doc: T) => void): ChangeHash[] | null {
    const result = handle.changeAt(encodeHeads([...heads]) as UrlHeads, fn as never)
    if (result === undefined) return null
    this.#dirty.add(handle.documentId)
    return normalizeHeads(decodeHeads(result))
  }

  /** Appends signed record bytes to a document, whatever its current state looks like. */
  async append(id: DocumentId, list: RecordList, bytes: Uint8Array, what = 'document'): Promise<void> {
    const handle = await this.find<Record<string, unknown>>(id, what)
    handle.change((doc) => {
      const current = doc[list]
      if (Array.isArray(current)) (current as Uint8Array[]).push(bytes)
      else doc[list] = [bytes]
    })
    this.#dirty.add(id)
  }

  /** Hands every document written since the last call to the write hook and waits for it. */
  async durable(): Promise<void> {
    if (this.#dirty.size === 0) return
    const ids = [...this.#dirty]
    this.#dirty.clear()
    // Only documents the repo holds ready can be flushed (a create is ready at once).
    const ready = ids.filter((id) => this.repo.handles[id]?.isReady() === true)
    if (ready.length > 0) await this.onWrite(ready)
  }
}
