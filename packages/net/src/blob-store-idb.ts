/**
 * The browser `BlobStore`: core's `VerifyingBlobStore` over IndexedDB (database `cosmolocal-blobs`
 * unless named). The backend here keeps bytes; every check is core's.
 *
 *   blobs     hash → { hash, size, root, chunkList }     complete blobs (index `root`)
 *   chunks    [root, index] → bytes                       verified chunks, complete or not
 *             ['upload:ID', index] → bytes                what `put` stores before the hash is known
 *   partials  'HASH.ROOT' → { chunkList }                 downloads in progress
 *
 * Chunks are keyed by the blob's root, not its hash: a chunk is verified against a chunk list
 * whose sha-256 is the root, so the root is what it is known to belong to. A download's chunks are
 * written where the complete blob will read them, and completing it is one small record; so a
 * download's chunks are only dropped when no complete blob and no other download has that root.
 */
import {
  VerifyingBlobStore,
  type BlobBackend,
  type BlobChunkSet,
  type BlobHash,
  type ChunkSet,
  type DownloadChunkSet,
  type StoredBlob,
  type UploadChunkSet,
} from '@cosmolocal/core'
import { STALE_BLOB_UPLOAD_MS } from './limits.js'

/** Staging keys of chunks being stored by `put` (roots are hex: they never start with this). */
const STAGING_PREFIX = 'upload:'
/** Version 2 added the `root` index and keys downloads by hash and root (version 1's are dropped: they restart). */
const DB_VERSION = 2

interface BlobRow extends StoredBlob {
  hash: BlobHash
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
  })
}

const chunkPrefix = (set: ChunkSet): string => (set.kind === 'upload' ? `${STAGING_PREFIX}${set.id}` : set.root)
const chunkRange = (prefix: string) => IDBKeyRange.bound([prefix, 0], [prefix, Infinity])
const downloadKey = (set: DownloadChunkSet) => `${set.hash}.${set.root}`

/** A structured clone copies a view's whole buffer: store a chunk that is a view of a larger one as its own copy. */
const compact = (bytes: Uint8Array) => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice())

export class IdbBlobBackend implements BlobBackend {
  readonly #db: Promise<IDBDatabase>

  constructor(name = 'cosmolocal-blobs', factory: IDBFactory = indexedDB) {
    const req = factory.open(name, DB_VERSION)
    req.onupgradeneeded = (event) => {
      const db = req.result
      const tx = req.transaction!
      if (event.oldVersion < 1) {
        db.createObjectStore('blobs', { keyPath: 'hash' })
        db.createObjectStore('chunks')
        db.createObjectStore('partials')
      }
      if (event.oldVersion < 2) {
        tx.objectStore('blobs').createIndex('root', 'root')
        tx.objectStore('partials').clear()
      }
    }
    this.#db = done(req)
    void this.#sweepStaging().catch(() => undefined)
  }

  async #tx(stores: string[], mode: IDBTransactionMode): Promise<IDBTransaction> {
    return (await this.#db).transaction(stores, mode)
  }

  async #write(stores: string[], fn: (tx: IDBTransaction) => void): Promise<void> {
    const tx = await this.#tx(stores, 'readwrite')
    fn(tx)
    await committed(tx)
  }

  async getBlob(hash: BlobHash): Promise<StoredBlob | null> {
    const tx = await this.#tx(['blobs'], 'readonly')
    const row = (await done(tx.objectStore('blobs').get(hash))) as BlobRow | undefined
    return row === undefined ? null : { size: row.size, root: row.root, chunkList: row.chunkList }
  }

  async putBlob(hash: BlobHash, blob: StoredBlob): Promise<void> {
    await this.#write(['blobs'], (tx) => tx.objectStore('blobs').put({ hash, size: blob.size, root: blob.root, chunkList: compact(blob.chunkList) } satisfies BlobRow))
  }

  async listBlobs(): Promise<BlobHash[]> {
    const tx = await this.#tx(['blobs'], 'readonly')
    return (await done(tx.objectStore('blobs').getAllKeys())) as BlobHash[]
  }

  async getDownload(set: DownloadChunkSet): Promise<Uint8Array | null> {
    const tx = await this.#tx(['partials'], 'readonly')
    const saved = (await done(tx.objectStore('partials').get(downloadKey(set)))) as { chunkList: Uint8Array } | undefined
    return saved?.chunkList ?? null
  }

  async putDownload(set: DownloadChunkSet, chunkList: Uint8Array): Promise<void> {
    await this.#write(['partials'], (tx) => tx.objectStore('partials').put({ chunkList: compact(chunkList) }, downloadKey(set)))
  }

  async deleteDownload(set: DownloadChunkSet): Promise<void> {
    await this.#write(['partials'], (tx) => tx.objectStore('partials').delete(downloadKey(set)))
  }

  async putChunk(set: DownloadChunkSet | UploadChunkSet, index: number, bytes: Uint8Array): Promise<void> {
    await this.#write(['chunks'], (tx) => tx.objectStore('chunks').put(compact(bytes), [chunkPrefix(set), index]))
  }

  async getChunk(set: ChunkSet, index: number, length: number): Promise<Uint8Array | null> {
    const tx = await this.#tx(['chunks'], 'readonly')
    const bytes = (await done(tx.objectStore('chunks').get([chunkPrefix(set), index]))) as Uint8Array | undefined
    return bytes === undefined || bytes.length < length ? null : bytes.subarray(0, length)
  }

  async listChunks(set: DownloadChunkSet): Promise<number[]> {
    const tx = await this.#tx(['chunks'], 'readonly')
    const keys = (await done(tx.objectStore('chunks').getAllKeys(chunkRange(chunkPrefix(set))))) as [string, number][]
    return keys.map(([, i]) => i)
  }

  /** A download's chunks are already where the blob reads them; an upload's move under the root in one transaction. */
  async moveChunks(from: DownloadChunkSet | UploadChunkSet, to: BlobChunkSet): Promise<void> {
    if (chunkPrefix(from) === chunkPrefix(to)) return
    const tx = await this.#tx(['chunks'], 'readwrite')
    const chunks = tx.objectStore('chunks')
    const staged = chunkPrefix(from)
    const keys = (await done(chunks.getAllKeys(chunkRange(staged)))) as [string, number][]
    for (const [, i] of keys) {
      const bytes = (await done(chunks.get([staged, i]))) as Uint8Array
      chunks.put(bytes, [to.root, i])
    }
    chunks.delete(chunkRange(staged))
    await committed(tx)
  }

  async deleteChunks(set: DownloadChunkSet | UploadChunkSet): Promise<void> {
    const tx = await this.#tx(['blobs', 'partials', 'chunks'], 'readwrite')
    if (set.kind === 'download') {
      const held = await done(tx.objectStore('blobs').index('root').count(set.root))
      const others = ((await done(tx.objectStore('partials').getAllKeys())) as string[]).filter((k) => k.endsWith(`.${set.root}`) && k !== downloadKey(set))
      if (held > 0 || others.length > 0) return
    }
    tx.objectStore('chunks').delete(chunkRange(chunkPrefix(set)))
    await committed(tx)
  }

  /** Drops what uploads interrupted by a closed tab left (staged over STALE_BLOB_UPLOAD_MS ago). */
  async #sweepStaging(): Promise<void> {
    const tx = await this.#tx(['chunks'], 'readonly')
    const keys = (await done(tx.objectStore('chunks').getAllKeys(IDBKeyRange.bound([STAGING_PREFIX, 0], [`${STAGING_PREFIX}\uffff`, Infinity])))) as [string, number][]
    const stale = new Set(
      keys.map(([k]) => k).filter((k) => Date.now() - Number.parseInt(k.slice(STAGING_PREFIX.length), 10) > STALE_BLOB_UPLOAD_MS),
    )
    for (const k of stale) await this.#write(['chunks'], (w) => w.objectStore('chunks').delete(chunkRange(k)))
  }
}

/** Blobs in this browser's IndexedDB, verified by core. */
export class IdbBlobStore extends VerifyingBlobStore {
  constructor(name = 'cosmolocal-blobs', factory: IDBFactory = indexedDB) {
    super(new IdbBlobBackend(name, factory), { where: "this browser's store" })
  }
}
