/**
 * The one `BlobStore`: all of the verification (hashing what is stored, chunk lists against their
 * root, every downloaded chunk against its entry, the whole blob against its hash) over a
 * `BlobBackend` that only keeps bytes. Node's store on disk, the browser's in IndexedDB and the
 * in-memory one are this class over their backend.
 *
 * What a backend returns is not trusted either: a record is checked against its size and root
 * before the blob counts as held, and a download resumed from what a backend kept (after a restart
 * or a crash) re-verifies each kept chunk before counting it.
 */
import { bytesToHex } from '@noble/hashes/utils.js'
import type { BackendChunkReader, BlobBackend, BlobChunkSet, DownloadChunkSet, UploadChunkSet } from './backend.js'
import {
  BlobHasher,
  checkBlobSize,
  chunkCount,
  chunkLength,
  CHUNK_DIGEST_BYTES,
  defaultHasher,
  forEachPiece,
  isBlobHash,
  parseBlobHash,
  rootOf,
  verifyChunk,
  verifyChunkList,
  verifyChunkWith,
  webCryptoDigest,
  type AsyncDigest,
  type BlobHash,
  type BlobInfo,
  type BlobSource,
  type BlobStore,
  type ChunkReader,
  type HasherFactory,
  type PartialBlob,
  type Sha256Hasher,
} from './blob.js'
import { BlobIntegrityError, BlobNotFoundError } from '../errors.js'
import { BLOB_CHUNK_BYTES, MAX_BLOB_BYTES } from '../limits.js'

export interface VerifyingBlobStoreOptions {
  /** sha-256 to use (Node passes node:crypto's); the portable one by default. */
  hasher?: HasherFactory
  /**
   * One-shot sha-256 for downloaded chunks, which may hash on another thread: WebCrypto's where
   * there is one (null: `hasher`, on this thread).
   */
  digest?: AsyncDigest | null
  /** Named in errors ("not in <where>"). */
  where?: string
}

/** Refuses bytes whose hash or size differ from what the caller expected. */
export function checkExpected(info: BlobInfo, expected: { hash?: BlobHash; size?: number }): void {
  if (expected.hash !== undefined && expected.hash !== info.hash) {
    throw new BlobIntegrityError(`bytes hash to ${info.hash}, expected ${expected.hash}`, { hash: expected.hash, actual: info.hash })
  }
  if (expected.size !== undefined && expected.size !== info.size) {
    throw new BlobIntegrityError(`blob ${info.hash} has ${info.size} bytes, expected ${expected.size}`, { hash: info.hash })
  }
}

/** One download's state while it is open in this process. */
interface DownloadState {
  chunkList: Uint8Array | null
  readonly received: Set<number>
  /**
   * sha-256 of chunks 0 .. next-1, fed as they arrived in order (they do: the protocol asks in
   * order), so that completing a download reads back only what it did not see arrive.
   */
  whole: Sha256Hasher | null
  next: number
}

const blobSet = (info: BlobInfo): BlobChunkSet => ({ kind: 'blob', hash: info.hash, root: info.root })

function uploadId(): string {
  const random = new Uint8Array(8)
  globalThis.crypto.getRandomValues(random)
  return `${Date.now()}-${bytesToHex(random)}`
}

/** Cuts pieces of any size into chunks; a chunk lying whole inside one piece is passed on uncopied. */
class Chunker {
  #buffer: Uint8Array | null = null
  #filled = 0

  /** The chunks `piece` completes. */
  push(piece: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = []
    let rest = piece
    while (rest.length > 0) {
      if (this.#buffer === null && rest.length >= BLOB_CHUNK_BYTES) {
        out.push(rest.subarray(0, BLOB_CHUNK_BYTES))
        rest = rest.subarray(BLOB_CHUNK_BYTES)
        continue
      }
      this.#buffer ??= new Uint8Array(BLOB_CHUNK_BYTES)
      const take = Math.min(rest.length, BLOB_CHUNK_BYTES - this.#filled)
      this.#buffer.set(rest.subarray(0, take), this.#filled)
      this.#filled += take
      rest = rest.subarray(take)
      if (this.#filled === BLOB_CHUNK_BYTES) {
        out.push(this.#buffer)
        this.#buffer = null
        this.#filled = 0
      }
    }
    return out
  }

  /** The last, shorter chunk, if any. */
  flush(): Uint8Array | null {
    const last = this.#buffer?.subarray(0, this.#filled) ?? null
    this.#buffer = null
    this.#filled = 0
    return last !== null && last.length > 0 ? last : null
  }
}

export class VerifyingBlobStore implements BlobStore {
  readonly #backend: BlobBackend
  readonly #hasher: HasherFactory
  readonly #digest: AsyncDigest | null
  readonly #where: string
  /** Infos of blobs whose record was checked: blobs are never removed, so this stays true. */
  readonly #infos = new Map<BlobHash, BlobInfo>()
  readonly #downloads = new Map<string, Promise<DownloadState>>()

  constructor(backend: BlobBackend, options: VerifyingBlobStoreOptions = {}) {
    this.#backend = backend
    this.#hasher = options.hasher ?? defaultHasher
    this.#digest = options.digest === undefined ? webCryptoDigest : options.digest
    this.#where = options.where ?? 'this store'
  }

  async info(hash: BlobHash): Promise<BlobInfo | null> {
    if (!isBlobHash(hash)) return null
    const cached = this.#infos.get(hash)
    if (cached !== undefined) return cached
    const record = await this.#backend.getBlob(hash)
    if (record === null) return null
    const { size, chunkList } = record
    // A torn or tampered record counts as absent: the blob is fetched (or put) again over it.
    if (!Number.isSafeInteger(size) || size < 0 || size > MAX_BLOB_BYTES || chunkList.length !== chunkCount(size) * CHUNK_DIGEST_BYTES) return null
    const info: BlobInfo = { hash, size, root: rootOf(chunkList, this.#hasher) }
    this.#infos.set(hash, info)
    return info
  }

  async has(hash: BlobHash): Promise<boolean> {
    return (await this.info(hash)) !== null
  }

  async #require(hash: BlobHash): Promise<BlobInfo> {
    const info = await this.info(hash)
    if (info === null) throw new BlobNotFoundError(`blob ${hash} is not in ${this.#where}`, { hash })
    return info
  }

  async put(data: BlobSource, expected: { hash?: BlobHash; size?: number } = {}): Promise<BlobInfo> {
    const upload: UploadChunkSet = { kind: 'upload', id: uploadId() }
    const hasher = new BlobHasher(this.#hasher)
    const chunker = new Chunker()
    let index = 0
    let moved = false
    try {
      await forEachPiece(data, async (piece) => {
        hasher.update(piece)
        for (const chunk of chunker.push(piece)) await this.#backend.putChunk(upload, index++, chunk)
      })
      const last = chunker.flush()
      if (last !== null) await this.#backend.putChunk(upload, index++, last)
      const { info, chunkList } = hasher.finish()
      checkExpected(info, expected)
      if ((await this.info(info.hash)) === null) {
        await this.#commit(upload, info, chunkList)
        moved = true
      }
      return info
    } finally {
      await this.#backend.release?.(upload)
      // What a failed delete leaves is swept by the backend later; the caller's error matters more.
      if (!moved) await this.#backend.deleteChunks(upload).catch(() => undefined)
    }
  }

  /** Moves verified chunks into place, then records the blob: it is held from the record on. */
  async #commit(from: UploadChunkSet | DownloadChunkSet, info: BlobInfo, chunkList: Uint8Array): Promise<void> {
    await this.#backend.moveChunks(from, blobSet(info))
    await this.#backend.putBlob(info.hash, { size: info.size, root: info.root, chunkList })
    this.#infos.set(info.hash, info)
  }

  async get(hash: BlobHash): Promise<Uint8Array> {
    const info = await this.#require(hash)
    const out = new Uint8Array(info.size)
    const reader = await this.openChunks(hash)
    try {
      for (let i = 0; i < chunkCount(info.size); i++) out.set(await reader.readChunk(i), i * BLOB_CHUNK_BYTES)
    } finally {
      await reader.close()
    }
    return out
  }

  async *stream(hash: BlobHash): AsyncIterable<Uint8Array> {
    const info = await this.#require(hash)
    const reader = await this.openChunks(hash)
    try {
      for (let i = 0; i < chunkCount(info.size); i++) yield await reader.readChunk(i)
    } finally {
      await reader.close()
    }
  }

  async chunkList(hash: BlobHash): Promise<Uint8Array> {
    const info = await this.#require(hash)
    const record = await this.#backend.getBlob(hash)
    if (record === null || rootOf(record.chunkList, this.#hasher) !== info.root) {
      throw new BlobIntegrityError(`the chunk list of ${hash} changed in ${this.#where}`, { hash })
    }
    return record.chunkList
  }

  async readChunk(hash: BlobHash, index: number): Promise<Uint8Array> {
    const reader = await this.openChunks(hash)
    try {
      return await reader.readChunk(index)
    } finally {
      await reader.close()
    }
  }

  /**
   * Reads chunks as the backend has them, unverified: whoever receives them checks them against
   * the chunk list (a server does not pay a second hash for what the asker verifies anyway).
   */
  async openChunks(hash: BlobHash): Promise<ChunkReader> {
    const info = await this.#require(hash)
    const set = blobSet(info)
    const backend = this.#backend
    const reader: BackendChunkReader = (await backend.openChunks?.(set)) ?? { read: (i, n) => backend.getChunk(set, i, n), close: async () => {} }
    let closed: Promise<void> | null = null
    return {
      readChunk: async (index, into) => {
        if (!Number.isSafeInteger(index) || index < 0 || index >= chunkCount(info.size)) {
          throw new BlobNotFoundError(`blob ${hash} has no chunk ${index}`, { hash, index })
        }
        const bytes = await reader.read(index, chunkLength(info.size, index), into)
        if (bytes === null) throw new BlobIntegrityError(`blob ${hash} is shorter in ${this.#where} than recorded`, { hash, index })
        return bytes
      },
      close: () => (closed ??= reader.close()),
    }
  }

  async list(): Promise<BlobHash[]> {
    const out: BlobHash[] = []
    for (const hash of await this.#backend.listBlobs()) if ((await this.info(hash)) !== null) out.push(hash)
    return out.sort()
  }

  async partial(info: BlobInfo): Promise<PartialBlob> {
    checkBlobSize(info.size)
    const set: DownloadChunkSet = { kind: 'download', hash: parseBlobHash(info.hash), root: parseBlobHash(info.root) }
    const key = `${set.hash}.${set.root}`
    const host: DownloadHost = {
      backend: this.#backend,
      hasher: this.#hasher,
      verifyChunk: (chunkList, index, bytes) => this.#verifyChunk(info, chunkList, index, bytes),
      state: () => {
        let state = this.#downloads.get(key)
        if (state === undefined) {
          state = this.#loadDownload(info, set)
          this.#downloads.set(key, state)
          state.catch(() => this.#downloads.delete(key))
        }
        return state
      },
      forget: () => this.#downloads.delete(key),
      commit: async (chunkList) => {
        if ((await this.info(info.hash)) === null) await this.#commit(set, info, chunkList)
        else await this.#backend.deleteChunks(set)
        await this.#backend.deleteDownload(set)
        this.#downloads.delete(key)
      },
    }
    return await new Download(host, info, set).open()
  }

  /** Checks a downloaded chunk against its entry in a verified chunk list. Throws BlobIntegrityError. */
  async #verifyChunk(info: BlobInfo, chunkList: Uint8Array, index: number, bytes: Uint8Array): Promise<void> {
    if (this.#digest === null) verifyChunk(info, chunkList, index, bytes, this.#hasher)
    else await verifyChunkWith(this.#digest, info, chunkList, index, bytes)
  }

  /** What a backend kept of a download, each kept chunk verified again before it counts. */
  async #loadDownload(info: BlobInfo, set: DownloadChunkSet): Promise<DownloadState> {
    const state: DownloadState = { chunkList: null, received: new Set(), whole: this.#hasher(), next: 0 }
    const saved = await this.#backend.getDownload(set)
    if (saved === null) return state
    try {
      verifyChunkList(info, saved, this.#hasher)
    } catch {
      // Nothing usable kept: start over.
      await this.#backend.deleteChunks(set)
      await this.#backend.deleteDownload(set)
      return state
    }
    state.chunkList = saved.slice()
    const count = chunkCount(info.size)
    const kept = [...new Set(await this.#backend.listChunks(set))].filter((i) => Number.isSafeInteger(i) && i >= 0 && i < count).sort((a, b) => a - b)
    for (const index of kept) {
      const bytes = await this.#backend.getChunk(set, index, chunkLength(info.size, index))
      if (bytes === null) continue
      try {
        await this.#verifyChunk(info, state.chunkList, index, bytes)
      } catch {
        continue // lost or damaged (a crash before it reached the disk): fetched again
      }
      state.received.add(index)
      if (index === state.next) {
        state.whole!.update(bytes)
        state.next++
      }
    }
    return state
  }
}

/** What a download handle needs of its store. */
interface DownloadHost {
  readonly backend: BlobBackend
  readonly hasher: HasherFactory
  verifyChunk(chunkList: Uint8Array, index: number, bytes: Uint8Array): Promise<void>
  /** The download's state in this process, loaded from the backend the first time. */
  state(): Promise<DownloadState>
  /** Forgets the state in memory: the next `state()` loads what the backend has. */
  forget(): void
  /** Makes the verified download a held blob and drops the download. */
  commit(chunkList: Uint8Array): Promise<void>
}

/** A handle on one download (`PartialBlob`). Handles of one download in one process share its state. */
class Download implements PartialBlob {
  readonly info: BlobInfo
  readonly #host: DownloadHost
  readonly #backend: BlobBackend
  readonly #hasher: HasherFactory
  readonly #set: DownloadChunkSet
  /** The last state seen, for the synchronous getters. */
  #state: DownloadState | null = null
  #closed = false

  constructor(host: DownloadHost, info: BlobInfo, set: DownloadChunkSet) {
    this.info = info
    this.#host = host
    this.#backend = host.backend
    this.#hasher = host.hasher
    this.#set = set
  }

  /** Loads the state at once, so that the synchronous getters answer from the start. */
  async open(): Promise<this> {
    await this.#open()
    return this
  }

  async #open(): Promise<DownloadState> {
    if (this.#state === null || this.#closed) {
      this.#closed = false
      this.#state = await this.#host.state()
    }
    return this.#state
  }

  chunkList(): Uint8Array | null {
    return this.#state?.chunkList ?? null
  }

  received(): ReadonlySet<number> {
    return new Set(this.#state?.received)
  }

  async setChunkList(chunkList: Uint8Array): Promise<void> {
    const state = await this.#open()
    verifyChunkList(this.info, chunkList, this.#hasher)
    await this.#backend.putDownload(this.#set, chunkList)
    state.chunkList = chunkList.slice()
  }

  async putChunk(index: number, bytes: Uint8Array): Promise<void> {
    const state = await this.#open()
    if (state.chunkList === null) throw new BlobIntegrityError(`no verified chunk list for ${this.info.hash} yet`, { hash: this.info.hash })
    await this.#host.verifyChunk(state.chunkList, index, bytes)
    await this.#backend.putChunk(this.#set, index, bytes)
    state.received.add(index)
    if (state.whole !== null && index === state.next) {
      state.whole.update(bytes)
      state.next++
    }
  }

  async complete(): Promise<BlobInfo> {
    const state = await this.#open()
    const { info } = this
    const count = chunkCount(info.size)
    const chunkList = state.chunkList
    if (chunkList === null || state.received.size !== count) throw new BlobIntegrityError(`blob ${info.hash} is incomplete`, { hash: info.hash })
    // Each chunk matched the verified list (so the root) as it arrived; what is left to check is
    // the whole-blob hash. What did not arrive in order in this process is read back and checked
    // again on the way: the bytes that count are the ones the backend holds.
    const whole = state.whole ?? this.#hasher()
    let index = state.whole === null ? 0 : state.next
    state.whole = null
    state.next = 0
    for (; index < count; index++) {
      const bytes = await this.#backend.getChunk(this.#set, index, chunkLength(info.size, index))
      try {
        if (bytes === null) throw new BlobIntegrityError(`chunk ${index} of ${info.hash} is missing`, { hash: info.hash, index })
        await this.#host.verifyChunk(chunkList, index, bytes)
      } catch (err) {
        state.received.delete(index)
        throw new BlobIntegrityError(`chunk ${index} of ${info.hash} changed after it was verified; it must be fetched again (${(err as Error).message})`, {
          hash: info.hash,
          index,
        })
      }
      whole.update(bytes)
    }
    const hash = bytesToHex(whole.digest())
    await this.#backend.release?.(this.#set)
    if (hash !== info.hash) {
      // Every chunk matched the list, so the reference paired this hash with another blob's root.
      await this.#backend.deleteChunks(this.#set)
      await this.#backend.deleteDownload(this.#set)
      this.#host.forget()
      throw new BlobIntegrityError(`the bytes fetched for ${info.hash} hash to ${hash}: the file reference is inconsistent`, { hash: info.hash })
    }
    await this.#host.commit(chunkList)
    this.#closed = true
    return { hash: info.hash, size: info.size, root: info.root }
  }

  /**
   * What was kept stays in the backend; what this process held of it goes (a store keeps no state
   * for downloads nobody is running), and so does the sha-256 of what arrived: the bytes are out of
   * our hands until the download goes on, so going on reads back and checks every kept chunk again.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#state !== null) {
      this.#state.whole = null
      this.#state.next = 0
    }
    this.#host.forget()
    await this.#backend.release?.(this.#set)
  }
}
