/**
 * The page's document storage (automerge-repo's IndexedDB adapter), opened by the entry script
 * before the app's code and Automerge's wasm have arrived, with the reads of the documents the
 * opened page shows already under way: a design this browser holds is read from IndexedDB while
 * the code that verifies it is still loading, not after. (automerge-repo reads a document as two
 * key ranges, its snapshots then its incremental changes, one IndexedDB request per chunk: a
 * dozen round trips, one after the other, for a design's three documents.)
 *
 * A read started ahead is handed to the Repo's first read of the same range, once. A write to a
 * range drops a read started ahead of it (the Repo then reads afresh), and one that nothing asked
 * for within READ_AHEAD_KEEP_MS is dropped. What is read ahead is the same bytes from the same
 * store, trusted no more than any storage read: the Repo loads them, core verifies them.
 *
 * No import here may pull in the app's code: this module is part of the entry script.
 */
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb'
import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo/slim'
import type { CacheBackend } from '@cosmolocal/core'
import { IdbCacheBackend } from '@cosmolocal/net/browser'
import { READ_AHEAD_KEEP_MS } from '../limits.js'
import { parseRoute } from '../router.js'

/** The IndexedDB database automerge-repo keeps documents in, here. */
export const DOCUMENTS_DATABASE = 'cosmolocal'
/** Where the library (library.ts) is kept; read here only for the document ids of the opened design. */
export const LIBRARY_KEY = 'cosmolocal/library'

const rangeKey = (key: StorageKey) => JSON.stringify(key)
const within = (key: StorageKey, prefix: StorageKey) => prefix.length <= key.length && prefix.every((p, i) => key[i] === p)

export class StorageAhead implements StorageAdapterInterface {
  readonly #ahead = new Map<string, { prefix: StorageKey; read: Promise<Chunk[]>; timer: ReturnType<typeof setTimeout> }>()

  constructor(readonly inner: StorageAdapterInterface) {}

  /** Starts reading these ranges now, for the next `loadRange` of each. */
  readAhead(prefixes: readonly StorageKey[]): void {
    for (const prefix of prefixes) {
      const key = rangeKey(prefix)
      if (this.#ahead.has(key)) continue
      const read = this.inner.loadRange(prefix)
      // A read nobody takes must not reject unhandled; the Repo's own read would see the error.
      read.catch(() => undefined)
      this.#ahead.set(key, { prefix, read, timer: setTimeout(() => this.#ahead.delete(key), READ_AHEAD_KEEP_MS) })
    }
  }

  /** How many reads started ahead are still waiting to be taken (for tests). */
  get waiting(): number {
    return this.#ahead.size
  }

  #drop(touches: (prefix: StorageKey) => boolean): void {
    for (const [key, a] of this.#ahead) {
      if (!touches(a.prefix)) continue
      clearTimeout(a.timer)
      this.#ahead.delete(key)
    }
  }

  loadRange(prefix: StorageKey): Promise<Chunk[]> {
    const key = rangeKey(prefix)
    const ahead = this.#ahead.get(key)
    if (ahead === undefined) return this.inner.loadRange(prefix)
    clearTimeout(ahead.timer)
    this.#ahead.delete(key)
    return ahead.read
  }

  load(key: StorageKey): Promise<Uint8Array | undefined> {
    return this.inner.load(key)
  }

  save(key: StorageKey, data: Uint8Array): Promise<void> {
    this.#drop((prefix) => within(key, prefix))
    return this.inner.save(key, data)
  }

  remove(key: StorageKey): Promise<void> {
    this.#drop((prefix) => within(key, prefix))
    return this.inner.remove(key)
  }

  removeRange(prefix: StorageKey): Promise<void> {
    this.#drop((p) => within(p, prefix) || within(prefix, p))
    return this.inner.removeRange(prefix)
  }
}

/**
 * The document ids of the design the address opens, as the library lists them; empty for any
 * other page, or a design not in it. A hint only: nothing is trusted from it (a wrong id reads
 * nothing, or bytes the Repo loads and core verifies as it would anyway).
 */
export function heldDocuments(hash: string, library: string | null): string[] {
  const route = parseRoute(hash)
  if (route.page !== 'design' || library === null) return []
  const url = route.id.startsWith('automerge:') ? route.id : `automerge:${route.id}`
  try {
    const items = JSON.parse(library) as unknown
    if (!Array.isArray(items)) return []
    const item = items.find((i): i is { url: string; documents?: unknown } => typeof i === 'object' && i !== null && (i as { url?: unknown }).url === url)
    const docs = item?.documents
    return Array.isArray(docs) ? docs.filter((d): d is string => typeof d === 'string' && /^[1-9A-HJ-NP-Za-km-z]{1,64}$/.test(d)) : []
  } catch {
    return []
  }
}

/**
 * Core's verified-state cache (net's IndexedDB backend), with the entries the opened design's
 * first read asks for read ahead the same way: taken once, dropped by a write to the same key or
 * after READ_AHEAD_KEEP_MS. (The keys are core's: should they change, nothing is read ahead and
 * nothing else changes.)
 */
export class CacheAhead implements CacheBackend {
  readonly #ahead = new Map<string, { read: Promise<Uint8Array | undefined>; timer: ReturnType<typeof setTimeout> }>()

  constructor(readonly inner: CacheBackend) {}

  readAhead(keys: readonly string[]): void {
    for (const key of keys) {
      if (this.#ahead.has(key)) continue
      const read = this.inner.get(key)
      read.catch(() => undefined)
      this.#ahead.set(key, { read, timer: setTimeout(() => this.#ahead.delete(key), READ_AHEAD_KEEP_MS) })
    }
  }

  get waiting(): number {
    return this.#ahead.size
  }

  #take(key: string): Promise<Uint8Array | undefined> | undefined {
    const ahead = this.#ahead.get(key)
    if (ahead === undefined) return undefined
    clearTimeout(ahead.timer)
    this.#ahead.delete(key)
    return ahead.read
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.#take(key) ?? this.inner.get(key)
  }

  put(key: string, value: Uint8Array): Promise<void> {
    void this.#take(key)
    return this.inner.put(key, value)
  }

  delete(key: string): Promise<void> {
    void this.#take(key)
    return this.inner.delete(key)
  }
}

let storage: StorageAhead | null = null
let cache: CacheAhead | null = null

/** The page's one verified-state cache; the peer's Commons keeps its state in it. */
export function pageCache(): CacheAhead {
  return (cache ??= new CacheAhead(new IdbCacheBackend()))
}

/** The page's one document storage; the Repo (peer.ts) is built on it. */
export function pageStorage(): StorageAhead {
  return (storage ??= new StorageAhead(new IndexedDBStorageAdapter(DOCUMENTS_DATABASE)))
}

/** Opens the storage and starts reading the opened design's documents (main.tsx, at once). */
export function readAheadForPage(): void {
  let library: string | null = null
  try {
    library = localStorage.getItem(LIBRARY_KEY)
  } catch {
    // storage disabled: nothing to read ahead
  }
  const ids = heldDocuments(location.hash, library)
  pageStorage().readAhead(ids.flatMap((id) => [[id, 'snapshot'], [id, 'incremental']]))
  // The library lists a design's documents as governance (the design's id), content, inbox.
  const [design, , inbox] = ids
  if (design !== undefined) pageCache().readAhead([`design/${design}`, 'secret', ...(inbox === undefined ? [] : [`log/open/${inbox}`])])
}
