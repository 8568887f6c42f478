/**
 * Blobs in memory: for tests, and for peers that keep nothing (an ephemeral browser tab). The
 * backend only keeps bytes; `VerifyingBlobStore` checks them, as on disk.
 */
import type { BlobBackend, BlobChunkSet, ChunkSet, DownloadChunkSet, StoredBlob, UploadChunkSet } from './backend.js'
import { VerifyingBlobStore, type VerifyingBlobStoreOptions } from './store.js'
import type { BlobHash } from './blob.js'

const setKey = (set: ChunkSet): string => (set.kind === 'upload' ? `upload/${set.id}` : `${set.kind}/${set.hash}.${set.root}`)

export class MemoryBlobBackend implements BlobBackend {
  readonly #blobs = new Map<BlobHash, StoredBlob>()
  readonly #downloads = new Map<string, Uint8Array>()
  readonly #chunks = new Map<string, Map<number, Uint8Array>>()

  /** Total bytes of the chunks of complete blobs. */
  get bytesHeld(): number {
    let n = 0
    for (const [hash, blob] of this.#blobs) {
      for (const c of this.#chunks.get(setKey({ kind: 'blob', hash, root: blob.root }))?.values() ?? []) n += c.length
    }
    return n
  }

  async getBlob(hash: BlobHash): Promise<StoredBlob | null> {
    return this.#blobs.get(hash) ?? null
  }

  async putBlob(hash: BlobHash, blob: StoredBlob): Promise<void> {
    this.#blobs.set(hash, { size: blob.size, root: blob.root, chunkList: blob.chunkList.slice() })
  }

  async listBlobs(): Promise<BlobHash[]> {
    return [...this.#blobs.keys()]
  }

  async getDownload(set: DownloadChunkSet): Promise<Uint8Array | null> {
    return this.#downloads.get(setKey(set)) ?? null
  }

  async putDownload(set: DownloadChunkSet, chunkList: Uint8Array): Promise<void> {
    this.#downloads.set(setKey(set), chunkList.slice())
  }

  async deleteDownload(set: DownloadChunkSet): Promise<void> {
    this.#downloads.delete(setKey(set))
  }

  async putChunk(set: DownloadChunkSet | UploadChunkSet, index: number, bytes: Uint8Array): Promise<void> {
    const key = setKey(set)
    let chunks = this.#chunks.get(key)
    if (chunks === undefined) this.#chunks.set(key, (chunks = new Map()))
    chunks.set(index, bytes.slice())
  }

  async getChunk(set: ChunkSet, index: number, length: number): Promise<Uint8Array | null> {
    const bytes = this.#chunks.get(setKey(set))?.get(index)
    return bytes === undefined || bytes.length < length ? null : bytes.subarray(0, length)
  }

  async listChunks(set: DownloadChunkSet): Promise<number[]> {
    return [...(this.#chunks.get(setKey(set))?.keys() ?? [])]
  }

  async moveChunks(from: DownloadChunkSet | UploadChunkSet, to: BlobChunkSet): Promise<void> {
    this.#chunks.set(setKey(to), this.#chunks.get(setKey(from)) ?? new Map())
    this.#chunks.delete(setKey(from))
  }

  async deleteChunks(set: DownloadChunkSet | UploadChunkSet): Promise<void> {
    this.#chunks.delete(setKey(set))
  }
}

/** A `VerifyingBlobStore` in memory. Stores made over one backend see the same blobs (a "restart"). */
export class MemoryBlobStore extends VerifyingBlobStore {
  readonly backend: MemoryBlobBackend

  constructor(backend: MemoryBlobBackend = new MemoryBlobBackend(), options: VerifyingBlobStoreOptions = {}) {
    super(backend, { where: 'this memory store', ...options })
    this.backend = backend
  }

  /** Total bytes of complete blobs held (what a test measures to see that nothing was copied). */
  get bytesHeld(): number {
    return this.backend.bytesHeld
  }
}
