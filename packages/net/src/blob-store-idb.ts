/**
 * The browser `BlobStore`: blobs in IndexedDB (database `cosmolocal-blobs` unless named).
 *
 *   blobs     hash → { hash, size, root, chunkList }     complete blobs
 *   chunks    [root, index] → bytes                       verified chunks, complete or not
 *   partials  root → { hash, size, chunkList }            downloads in progress
 *
 * `put` stages chunks under ['upload:TIME:RANDOM', index] while it hashes, then moves them.
 *
 * Chunks are keyed by the blob's root, not its hash: a chunk is verified against a chunk list
 * whose sha-256 is the root, so the root is what it is known to belong to. A download's chunks are
 * written where the complete blob will read them, and completing it is one small record.
 */
import {
  BLOB_CHUNK_BYTES,
  BlobHasher,
  BlobIntegrityError,
  BlobNotFoundError,
  CHUNK_DIGEST_BYTES,
  checkExpected,
  chunkCount,
  forEachPiece,
  verifyChunk,
  verifyChunkList,
  type BlobHash,
  type BlobInfo,
  type BlobSource,
  type BlobStore,
  type ChunkReader,
  type PartialBlob,
} from '@cosmolocal/core'

/** Staging keys of chunks being stored by `put` (roots are hex: they never start with this). */
const STAGING_PREFIX = 'upload:'
const STAGING_MAX_AGE_MS = 24 * 60 * 60 * 1000

interface BlobRecord extends BlobInfo {
  chunkList: Uint8Array
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

export class IdbBlobStore implements BlobStore {
  readonly #db: Promise<IDBDatabase>

  constructor(name = 'cosmolocal-blobs', factory: IDBFactory = indexedDB) {
    const req = factory.open(name, 1)
    req.onupgradeneeded = () => {
      const db = req.result
      db.createObjectStore('blobs', { keyPath: 'hash' })
      db.createObjectStore('chunks')
      db.createObjectStore('partials')
    }
    this.#db = done(req)
    void this.#sweepStaging().catch(() => undefined)
  }

  async #tx(stores: string[], mode: IDBTransactionMode): Promise<IDBTransaction> {
    return (await this.#db).transaction(stores, mode)
  }

  async #record(hash: BlobHash): Promise<BlobRecord | null> {
    const tx = await this.#tx(['blobs'], 'readonly')
    return ((await done(tx.objectStore('blobs').get(hash))) as BlobRecord | undefined) ?? null
  }

  async #require(hash: BlobHash): Promise<BlobRecord> {
    const r = await this.#record(hash)
    if (r === null) throw new BlobNotFoundError(`blob ${hash} is not in this browser's store`, { hash })
    return r
  }

  async info(hash: BlobHash): Promise<BlobInfo | null> {
    const r = await this.#record(hash)
    return r === null ? null : { hash: r.hash, size: r.size, root: r.root }
  }

  async has(hash: BlobHash): Promise<boolean> {
    return (await this.#record(hash)) !== null
  }

  /**
   * Stores bytes a chunk at a time: each full chunk is written under a staging key as it arrives
   * (the root is only known at the end), then moved under the root in one transaction. Memory
   * stays at about one chunk whatever the size (an attachment may be up to MAX_BLOB_BYTES).
   */
  async put(data: BlobSource, expected: { hash?: BlobHash; size?: number } = {}): Promise<BlobInfo> {
    const staging = `${STAGING_PREFIX}${Date.now()}:${Math.random().toString(36).slice(2)}`
    const hasher = new BlobHasher()
    const buffer = new Uint8Array(BLOB_CHUNK_BYTES)
    let filled = 0
    let staged = 0
    const stage = async (bytes: Uint8Array) => {
      const w = await this.#tx(['chunks'], 'readwrite')
      w.objectStore('chunks').put(bytes.slice(), [staging, staged++])
      await committed(w)
    }
    try {
      await forEachPiece(data, async (piece) => {
        hasher.update(piece)
        let rest = piece
        while (rest.length > 0) {
          const take = Math.min(rest.length, BLOB_CHUNK_BYTES - filled)
          buffer.set(rest.subarray(0, take), filled)
          filled += take
          rest = rest.subarray(take)
          if (filled === BLOB_CHUNK_BYTES) {
            await stage(buffer)
            filled = 0
          }
        }
      })
      if (filled > 0) await stage(buffer.subarray(0, filled))
      const { info, chunkList } = hasher.finish()
      checkExpected(info, expected)
      if (await this.has(info.hash)) return info
      const tx = await this.#tx(['blobs', 'chunks'], 'readwrite')
      const chunks = tx.objectStore('chunks')
      for (let i = 0; i < staged; i++) {
        const bytes = (await done(chunks.get([staging, i]))) as Uint8Array
        chunks.put(bytes, [info.root, i])
        chunks.delete([staging, i])
      }
      tx.objectStore('blobs').put({ ...info, chunkList } satisfies BlobRecord)
      await committed(tx)
      staged = 0
      return info
    } finally {
      if (staged > 0) await this.#dropStaging(staging).catch(() => undefined)
    }
  }

  async #dropStaging(staging: string): Promise<void> {
    const w = await this.#tx(['chunks'], 'readwrite')
    w.objectStore('chunks').delete(IDBKeyRange.bound([staging, 0], [staging, Infinity]))
    await committed(w)
  }

  /** Drops what uploads interrupted by a closed tab left (staged over a day ago: no upload runs that long). */
  async #sweepStaging(): Promise<void> {
    const tx = await this.#tx(['chunks'], 'readonly')
    const keys = (await done(tx.objectStore('chunks').getAllKeys(IDBKeyRange.bound([STAGING_PREFIX, 0], [`${STAGING_PREFIX}\uffff`, Infinity])))) as [string, number][]
    const old = new Set(keys.map(([k]) => k).filter((k) => Date.now() - Number(k.slice(STAGING_PREFIX.length).split(':')[0]) > STAGING_MAX_AGE_MS))
    for (const k of old) await this.#dropStaging(k)
  }

  async readChunk(hash: BlobHash, index: number): Promise<Uint8Array> {
    const r = await this.#require(hash)
    const tx = await this.#tx(['chunks'], 'readonly')
    const bytes = (await done(tx.objectStore('chunks').get([r.root, index]))) as Uint8Array | undefined
    if (bytes === undefined) throw new BlobNotFoundError(`blob ${hash} has no chunk ${index}`, { hash, index })
    return bytes
  }

  async openChunks(hash: BlobHash): Promise<ChunkReader> {
    await this.#require(hash)
    return { readChunk: (index) => this.readChunk(hash, index), close: async () => {} }
  }

  async *stream(hash: BlobHash): AsyncIterable<Uint8Array> {
    const r = await this.#require(hash)
    for (let i = 0; i < chunkCount(r.size); i++) yield await this.readChunk(hash, i)
  }

  async get(hash: BlobHash): Promise<Uint8Array> {
    const r = await this.#require(hash)
    const out = new Uint8Array(r.size)
    let o = 0
    for await (const c of this.stream(hash)) {
      out.set(c, o)
      o += c.length
    }
    return out
  }

  async chunkList(hash: BlobHash): Promise<Uint8Array> {
    return (await this.#require(hash)).chunkList
  }

  async list(): Promise<BlobHash[]> {
    const tx = await this.#tx(['blobs'], 'readonly')
    return ((await done(tx.objectStore('blobs').getAllKeys())) as BlobHash[]).sort()
  }

  async partial(info: BlobInfo): Promise<PartialBlob> {
    const tx = await this.#tx(['partials', 'chunks'], 'readonly')
    const saved = (await done(tx.objectStore('partials').get(info.root))) as { chunkList: Uint8Array } | undefined
    const keys = (await done(tx.objectStore('chunks').getAllKeys(IDBKeyRange.bound([info.root, 0], [info.root, Infinity])))) as [string, number][]
    let list: Uint8Array | null = null
    const received = new Set<number>()
    if (saved !== undefined) {
      try {
        verifyChunkList(info, saved.chunkList)
        list = saved.chunkList
        for (const [, i] of keys) if (i < chunkCount(info.size)) received.add(i)
      } catch {
        list = null
      }
    }
    return {
      info,
      chunkList: () => list,
      setChunkList: async (chunkList) => {
        verifyChunkList(info, chunkList)
        const w = await this.#tx(['partials'], 'readwrite')
        w.objectStore('partials').put({ hash: info.hash, size: info.size, chunkList }, info.root)
        await committed(w)
        list = chunkList.slice()
      },
      received: () => new Set(received),
      putChunk: async (index, bytes) => {
        if (list === null) throw new BlobIntegrityError(`no verified chunk list for ${info.hash} yet`, { hash: info.hash })
        verifyChunk(info, list, index, bytes)
        const w = await this.#tx(['chunks'], 'readwrite')
        w.objectStore('chunks').put(bytes.slice(), [info.root, index])
        await committed(w)
        received.add(index)
      },
      complete: async () => {
        if (list === null || received.size !== list.length / CHUNK_DIGEST_BYTES) {
          throw new BlobIntegrityError(`blob ${info.hash} is incomplete`, { hash: info.hash })
        }
        const hasher = new BlobHasher()
        const r = await this.#tx(['chunks'], 'readonly')
        for (let i = 0; i < chunkCount(info.size); i++) hasher.update((await done(r.objectStore('chunks').get([info.root, i]))) as Uint8Array)
        const actual = hasher.finish()
        if (actual.info.hash !== info.hash || actual.info.root !== info.root) {
          throw new BlobIntegrityError(`the bytes fetched for ${info.hash} hash to ${actual.info.hash}: the file reference is inconsistent`, {
            hash: info.hash,
          })
        }
        const w = await this.#tx(['blobs', 'partials'], 'readwrite')
        w.objectStore('blobs').put({ ...actual.info, chunkList: list } satisfies BlobRecord)
        w.objectStore('partials').delete(info.root)
        await committed(w)
        return actual.info
      },
      close: async () => {},
    }
  }
}
