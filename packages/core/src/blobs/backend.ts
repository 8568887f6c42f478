/**
 * What a platform provides to hold blobs: chunks and a few small records, stored and returned as
 * they are. The backend verifies nothing and decides nothing; `VerifyingBlobStore`
 * (store.ts) does all of the checking over it, the same on every platform. In the spirit of
 * automerge-repo's `StorageAdapterInterface`, with typed keys so that each backend can lay its
 * data out the way its medium wants (one file per blob on disk, one row per chunk in IndexedDB).
 *
 * Chunk `index` of a set is the blob's bytes `index * BLOB_CHUNK_BYTES` onward; the store asks for
 * and writes whole chunks only, of the length `chunkLength` gives.
 */
import type { BlobHash } from './blob.js'

/** A complete blob: its chunks are readable, its record says it is whole. */
export interface BlobChunkSet {
  readonly kind: 'blob'
  readonly hash: BlobHash
  readonly root: BlobHash
}

/**
 * A download in progress (resumable: it outlives the process). Its chunks were verified before
 * they were written; it has a record of its own, the verified chunk list.
 */
export interface DownloadChunkSet {
  readonly kind: 'download'
  readonly hash: BlobHash
  readonly root: BlobHash
}

/**
 * Bytes being stored by `put`, before their hash is known. `id` starts with the creation time in
 * milliseconds and a `-` (a backend may sweep what a crash left long ago by it).
 */
export interface UploadChunkSet {
  readonly kind: 'upload'
  readonly id: string
}

export type ChunkSet = BlobChunkSet | DownloadChunkSet | UploadChunkSet

/** What a backend keeps of a complete blob besides its chunks (its hash is the key). */
export interface StoredBlob {
  readonly size: number
  /** The root the store computed when it stored the blob; a backend may ignore it (the store recomputes it from the chunk list on every read). */
  readonly root: BlobHash
  readonly chunkList: Uint8Array
}

/** Reads many chunks of one complete blob with whatever that needs held open. */
export interface BackendChunkReader {
  /**
   * The chunk, or null when the backend has fewer bytes there than `length`. `into`, when given,
   * hands out a buffer of `length` bytes the backend may read into and return instead of its own.
   */
  read(index: number, length: number, into?: (length: number) => Uint8Array): Promise<Uint8Array | null>
  close(): Promise<void>
}

/**
 * The storage under a `VerifyingBlobStore`. Everything it returns is treated as untrusted by the
 * store. Byte arrays passed in belong to the caller: a backend that keeps one copies it.
 *
 * Durability: `putBlob`, `putDownload` and `moveChunks` are atomic (after a crash: the old state or
 * the new) and durable once they resolve; `putChunk` need not be (a chunk lost in a crash is found
 * missing or wrong when the download is resumed, and fetched again).
 */
export interface BlobBackend {
  /** The record of a complete blob, or null if there is none. */
  getBlob(hash: BlobHash): Promise<Pick<StoredBlob, 'size' | 'chunkList'> | null>
  /** Records a complete blob, once its chunks are in its `blob` set (after `moveChunks`). */
  putBlob(hash: BlobHash, blob: StoredBlob): Promise<void>
  /** Hashes with a record (the store checks each before trusting it). */
  listBlobs(): Promise<BlobHash[]>

  /** A download's saved chunk list, or null. */
  getDownload(set: DownloadChunkSet): Promise<Uint8Array | null>
  putDownload(set: DownloadChunkSet, chunkList: Uint8Array): Promise<void>
  /** Drops a download's record (and whatever else the backend keeps for it). Idempotent. */
  deleteDownload(set: DownloadChunkSet): Promise<void>

  /** Writes one chunk of a download or an upload. */
  putChunk(set: DownloadChunkSet | UploadChunkSet, index: number, bytes: Uint8Array): Promise<void>
  /** One chunk, or null when it is not there (or shorter than `length`). */
  getChunk(set: ChunkSet, index: number, length: number): Promise<Uint8Array | null>
  /** Indices of the chunks written to a download (possibly some that a crash lost). */
  listChunks(set: DownloadChunkSet): Promise<number[]>
  /** Makes the chunks of `from` the blob's, durably; `from` is empty afterwards. */
  moveChunks(from: DownloadChunkSet | UploadChunkSet, to: BlobChunkSet): Promise<void>
  /**
   * Drops the chunks of a download or an upload. Idempotent. A backend whose downloads share their
   * chunks with complete blobs (or with other downloads) keeps those still in use.
   */
  deleteChunks(set: DownloadChunkSet | UploadChunkSet): Promise<void>

  /** A reader for many chunks of a complete blob; without it, the store reads with `getChunk`. */
  openChunks?(set: BlobChunkSet): Promise<BackendChunkReader>
  /** Lets go of what writing to `set` holds open (files). Idempotent. */
  release?(set: DownloadChunkSet | UploadChunkSet): Promise<void>
}
