/**
 * Reading stored documents for the catalogue index, apart from the hub's own Repo.
 *
 * Indexing reads every document it checks and keeps none of them: the hub's Repo is the wrong
 * place for that. Each document it loads there gets a handle the repo keeps (a synchronizer, a
 * save throttle, the peers it may be shared with), and letting it go again costs a flush and an
 * unload; a rebuild of thousands of designs spent most of its time there, and held whatever had not
 * been unloaded yet. So the index reads through a reader: a Repo of its own, without network,
 * over the hub's storage adapter made read-only, used for a batch of documents and then dropped
 * whole, its documents freed at once. It loads the same chunks the hub's Repo would load, through
 * the same adapter (so in order with the hub's own writes, damaged chunks set aside the same way),
 * and verification is the same `Commons` on the same bytes: history still decides.
 *
 * What the reader sees is what is on disk: a change the hub holds in memory but has not saved yet
 * is indexed when its save marks the document (the index never runs ahead of the store anyway).
 */
import * as A from '@automerge/automerge'
import { Repo, type AnyDocumentId, type Chunk, type DocumentId, type StorageAdapterInterface, type StorageKey } from '@automerge/automerge-repo'
import type { ChangeHash, Commons } from '@cosmolocal/core'
import { setMaxListeners } from 'node:events'
import { ReadOnlyStorageError } from './errors.js'

const STORAGE_ID_KEY = 'storage-adapter-id'
const READER_CLOSED = 'the catalogue index reader was closed'

/** The hub's storage, for reading only: a reader that tried to write would be a bug, and says so. */
export class ReadOnlyStorage implements StorageAdapterInterface {
  readonly #inner: StorageAdapterInterface

  constructor(inner: StorageAdapterInterface) {
    this.#inner = inner
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    return await this.#inner.load(key)
  }

  async loadRange(keyPrefix: StorageKey): Promise<Chunk[]> {
    return await this.#inner.loadRange(keyPrefix)
  }

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    // A Repo makes up a storage id when the store has none yet (a first start, racing the hub's own
    // Repo): the reader has no peers to tell it to, so it is not kept.
    if (key.length === 1 && key[0] === STORAGE_ID_KEY) return
    throw new ReadOnlyStorageError(`the catalogue index's reader tried to write ${key.join('/')} (${data.length} bytes)`, { key: key.join('/') })
  }

  async remove(key: StorageKey): Promise<void> {
    throw new ReadOnlyStorageError(`the catalogue index's reader tried to remove ${key.join('/')}`, { key: key.join('/') })
  }

  async removeRange(keyPrefix: StorageKey): Promise<void> {
    throw new ReadOnlyStorageError(`the catalogue index's reader tried to remove ${keyPrefix.join('/')}`, { key: keyPrefix.join('/') })
  }
}

/**
 * A Repo whose loads can all be let go of. automerge-repo races each load against a promise that
 * never settles unless the find was given a signal (Promise.race with a never-settling promise keeps
 * every result it ever raced: nodejs/node#17469), so each document it ever loaded would stay in
 * memory, unloaded or not. Every find here carries the reader's signal, aborted when the reader is
 * closed: what the races held is released then.
 */
class ReaderRepo extends Repo {
  readonly #done = new AbortController()

  constructor(storage: ReadOnlyStorage) {
    super({ storage, network: [] })
    // One listener per find, all removed at once by `release` (not a leak to warn about).
    setMaxListeners(Infinity, this.#done.signal)
  }

  override findWithProgress<T>(id: AnyDocumentId, options: { signal?: AbortSignal } = {}): ReturnType<typeof Repo.prototype.findWithProgress<T>> {
    const signal = options.signal === undefined ? this.#done.signal : AbortSignal.any([options.signal, this.#done.signal])
    return super.findWithProgress<T>(id, { ...options, signal })
  }

  release(): void {
    // Aborted from a frame of its own, with a reason that is a plain string: automerge-repo keeps
    // what an aborted find rejected with (an error whose stack trace holds the objects of the frames
    // it was made in), and from here those frames would hold this repo and all it read.
    const done = this.#done
    setImmediate(() => done.abort(READER_CLOSED))
  }
}

/** Documents read and verified for one batch of indexing, then let go of together (`close`). */
export class DocumentReader {
  readonly repo: Repo
  readonly commons: Commons
  readonly #repo: ReaderRepo

  constructor(storage: ReadOnlyStorage, commons: (repo: Repo) => Commons) {
    this.#repo = new ReaderRepo(storage)
    this.repo = this.#repo
    this.commons = commons(this.repo)
  }

  /** How many documents this reader holds in memory. */
  get resident(): number {
    return Object.keys(this.repo.handles).length
  }

  /** The heads of a document this reader loaded (sorted), or null. */
  heads(id: DocumentId): ChangeHash[] | null {
    const handle = this.repo.handles[id]
    return handle?.isReady() === true ? ([...A.getHeads(handle.doc())].sort() as ChangeHash[]) : null
  }

  /**
   * Frees every document this reader loaded. Nothing may use the reader (or anything read through
   * it but plain data, like a catalogue entry) afterwards. Freed now rather than whenever the
   * garbage collector gets to them: Automerge's memory is outside the JS heap, which does not see
   * how much a document holds, and would let it pile up over a rebuild.
   */
  close(): void {
    for (const handle of Object.values(this.repo.handles)) {
      // A handle's listeners are the repo's (its synchronizer, its saves): without them, a handle
      // something still holds cannot hold the repo and every other document with it.
      handle.removeAllListeners()
      if (!handle.isReady()) continue
      try {
        A.free(handle.doc())
      } catch {
        // Already freed, or never a document of its own: nothing to let go of.
      }
    }
    this.#repo.release()
  }
}
