/**
 * Attachments as content-addressed blobs: what identifies them, how their chunks are verified, and
 * the `BlobStore` interface every platform implements (Node on disk, browsers in IndexedDB, tests
 * in memory).
 *
 * A blob is named by the sha-256 of its bytes (`hash`, what `sha256sum` prints). It is cut into
 * chunks of `BLOB_CHUNK_BYTES` (the last one shorter); the **chunk list** is the concatenation of
 * each chunk's 32-byte sha-256, and its sha-256 is the blob's `root`. A file reference carries
 * hash, size and root, so a downloader that got the chunk list from an untrusted peer checks it
 * against `root`, then checks every chunk against its entry on arrival, long before the whole file
 * is in; the whole-file hash is checked once more at the end.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { BlobIntegrityError, InvalidInputError } from '../errors.js'
import { BLOB_CHUNK_BYTES, MAX_BLOB_BYTES } from '../limits.js'

/** Hex sha-256 (64 lowercase hex characters): a blob's hash or its chunk-list root. */
export type BlobHash = string & { readonly __brand: 'BlobHash' }

/** What identifies a blob and lets a downloader verify it chunk by chunk. */
export interface BlobInfo {
  hash: BlobHash
  size: number
  /** sha-256 of the chunk list. */
  root: BlobHash
}

/** Bytes to store: whole, or as a stream of pieces of any size (a file read from disk, an upload). */
export type BlobSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>

/** Bytes of one chunk-list entry. */
export const CHUNK_DIGEST_BYTES = 32

const HEX64 = /^[0-9a-f]{64}$/

export function isBlobHash(value: unknown): value is BlobHash {
  return typeof value === 'string' && HEX64.test(value)
}

export function parseBlobHash(value: unknown): BlobHash {
  if (!isBlobHash(value)) throw new InvalidInputError(`not a blob hash (64 lowercase hex characters): ${String(value)}`)
  return value
}

/** Number of chunks of a blob of `size` bytes (an empty blob has none). */
export function chunkCount(size: number): number {
  return Math.ceil(size / BLOB_CHUNK_BYTES)
}

/** Length of chunk `index` of a blob of `size` bytes. */
export function chunkLength(size: number, index: number): number {
  return Math.min(BLOB_CHUNK_BYTES, size - index * BLOB_CHUNK_BYTES)
}

/** An incremental sha-256. Node stores pass node:crypto's (ten times faster); the default runs anywhere. */
export interface Sha256Hasher {
  update(bytes: Uint8Array): unknown
  digest(): Uint8Array
}
export type HasherFactory = () => Sha256Hasher

export const defaultHasher: HasherFactory = () => sha256.create()

function digestOf(bytes: Uint8Array, hasher: HasherFactory): Uint8Array {
  const h = hasher()
  h.update(bytes)
  return h.digest()
}

export function rootOf(chunkList: Uint8Array, hasher: HasherFactory = defaultHasher): BlobHash {
  return bytesToHex(digestOf(chunkList, hasher)) as BlobHash
}

/**
 * Hashes bytes fed in pieces of any size: the whole-blob sha-256 and each chunk's. Refuses to grow
 * past `MAX_BLOB_BYTES`.
 */
export class BlobHasher {
  readonly #hasher: HasherFactory
  readonly #whole: Sha256Hasher
  #chunk: Sha256Hasher
  #inChunk = 0
  #size = 0
  readonly #digests: Uint8Array[] = []

  constructor(hasher: HasherFactory = defaultHasher) {
    this.#hasher = hasher
    this.#whole = hasher()
    this.#chunk = hasher()
  }

  get size(): number {
    return this.#size
  }

  update(bytes: Uint8Array): void {
    if (this.#size + bytes.length > MAX_BLOB_BYTES) {
      throw new InvalidInputError(`file is larger than the ${MAX_BLOB_BYTES}-byte limit for attachments`, { limit: MAX_BLOB_BYTES })
    }
    this.#size += bytes.length
    this.#whole.update(bytes)
    let rest = bytes
    while (rest.length > 0) {
      const take = Math.min(rest.length, BLOB_CHUNK_BYTES - this.#inChunk)
      this.#chunk.update(rest.subarray(0, take))
      this.#inChunk += take
      rest = rest.subarray(take)
      if (this.#inChunk === BLOB_CHUNK_BYTES) {
        this.#digests.push(this.#chunk.digest())
        this.#chunk = this.#hasher()
        this.#inChunk = 0
      }
    }
  }

  /** The blob's info and chunk list. */
  finish(): { info: BlobInfo; chunkList: Uint8Array } {
    if (this.#inChunk > 0) {
      this.#digests.push(this.#chunk.digest())
      this.#inChunk = 0
    }
    const chunkList = new Uint8Array(this.#digests.length * CHUNK_DIGEST_BYTES)
    this.#digests.forEach((d, i) => chunkList.set(d, i * CHUNK_DIGEST_BYTES))
    return {
      info: { hash: bytesToHex(this.#whole.digest()) as BlobHash, size: this.#size, root: rootOf(chunkList, this.#hasher) },
      chunkList,
    }
  }
}

/** Info and chunk list of bytes held in memory. */
export function describeBlob(bytes: Uint8Array, hasher: HasherFactory = defaultHasher): { info: BlobInfo; chunkList: Uint8Array } {
  const h = new BlobHasher(hasher)
  h.update(bytes)
  return h.finish()
}

/** Refuses a size no blob may have. */
export function checkBlobSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_BLOB_BYTES) {
    throw new InvalidInputError(`blob size ${size} is outside 0..${MAX_BLOB_BYTES}`, { size, limit: MAX_BLOB_BYTES })
  }
}

/** Checks a chunk list (from anyone) against the blob's size and root. Throws BlobIntegrityError. */
export function verifyChunkList(info: BlobInfo, chunkList: Uint8Array, hasher: HasherFactory = defaultHasher): void {
  checkBlobSize(info.size)
  if (chunkList.length !== chunkCount(info.size) * CHUNK_DIGEST_BYTES) {
    throw new BlobIntegrityError(`chunk list of ${info.hash} has ${chunkList.length / CHUNK_DIGEST_BYTES} entries, expected ${chunkCount(info.size)}`, {
      hash: info.hash,
    })
  }
  if (rootOf(chunkList, hasher) !== info.root) {
    throw new BlobIntegrityError(`chunk list of ${info.hash} does not match its root ${info.root}`, { hash: info.hash, root: info.root })
  }
}

/** The entry of chunk `index` in the chunk list, once index and length are checked. Throws BlobIntegrityError. */
function expectedDigest(info: BlobInfo, chunkList: Uint8Array, index: number, bytes: Uint8Array): Uint8Array {
  const count = chunkCount(info.size)
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new BlobIntegrityError(`chunk ${index} is outside blob ${info.hash} (${count} chunks)`, { hash: info.hash, index })
  }
  if (bytes.length !== chunkLength(info.size, index)) {
    throw new BlobIntegrityError(`chunk ${index} of ${info.hash} has ${bytes.length} bytes, expected ${chunkLength(info.size, index)}`, {
      hash: info.hash,
      index,
    })
  }
  return chunkList.subarray(index * CHUNK_DIGEST_BYTES, (index + 1) * CHUNK_DIGEST_BYTES)
}

function checkDigest(info: BlobInfo, index: number, expected: Uint8Array, actual: Uint8Array): void {
  if (actual.length !== expected.length || !actual.every((b, i) => b === expected[i])) {
    throw new BlobIntegrityError(`chunk ${index} of ${info.hash} does not match its hash`, { hash: info.hash, index })
  }
}

/** Checks one chunk (from anyone) against a verified chunk list. Throws BlobIntegrityError. */
export function verifyChunk(info: BlobInfo, chunkList: Uint8Array, index: number, bytes: Uint8Array, hasher: HasherFactory = defaultHasher): void {
  checkDigest(info, index, expectedDigest(info, chunkList, index, bytes), digestOf(bytes, hasher))
}

/** A one-shot sha-256 that may hash on another thread. */
export type AsyncDigest = (bytes: Uint8Array) => Promise<Uint8Array>

/**
 * WebCrypto's sha-256, where the platform has one (browsers, Node): it hashes off the calling
 * thread (in a browser, off the page's), which a download verifying every chunk keeps busy otherwise.
 */
export const webCryptoDigest: AsyncDigest | null =
  globalThis.crypto?.subtle === undefined
    ? null
    : async (bytes) => new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))

/** `verifyChunk` with a one-shot digest that may run elsewhere. Throws BlobIntegrityError. */
export async function verifyChunkWith(digest: AsyncDigest, info: BlobInfo, chunkList: Uint8Array, index: number, bytes: Uint8Array): Promise<void> {
  const expected = expectedDigest(info, chunkList, index, bytes)
  checkDigest(info, index, expected, await digest(bytes))
}

/** Feeds any BlobSource to `fn` piece by piece. */
export async function forEachPiece(data: BlobSource, fn: (piece: Uint8Array) => void | Promise<void>): Promise<void> {
  if (data instanceof Uint8Array) {
    await fn(data)
    return
  }
  for await (const piece of data as AsyncIterable<Uint8Array>) await fn(piece)
}

/** The part of a store that downloads write to: one blob being fetched, chunk by chunk, resumable. */
export interface PartialBlob {
  readonly info: BlobInfo
  /** The verified chunk list, once known. */
  chunkList(): Uint8Array | null
  /** Verifies (against `info.root`) and keeps the chunk list. */
  setChunkList(chunkList: Uint8Array): Promise<void>
  /** Indices of the chunks already verified and kept (they survive a restart). */
  received(): ReadonlySet<number>
  /** Verifies a chunk against the chunk list and keeps it. Throws BlobIntegrityError. */
  putChunk(index: number, bytes: Uint8Array): Promise<void>
  /**
   * Once every chunk is in: checks the whole-blob hash, makes the blob available, drops the partial
   * state. A mismatch (a reference pairing a hash with another blob's root) discards it all.
   */
  complete(): Promise<BlobInfo>
  /**
   * Lets go of what the download holds open (a store may keep files open between chunks). What it
   * kept stays, for a later attempt. Idempotent; `complete` closes too.
   */
  close(): Promise<void>
}

/** Chunks of one complete blob, read one after another (a server sending a blob) with what that needs held open. */
export interface ChunkReader {
  /**
   * One chunk. Throws BlobNotFoundError for an index outside the blob. A store that can read into
   * a buffer it is given calls `into` for one of the chunk's length and returns it filled (a sender
   * that recycles its buffers passes it); one that cannot ignores it.
   */
  readChunk(index: number, into?: (length: number) => Uint8Array): Promise<Uint8Array>
  /** Lets go of what the reader holds open. Idempotent. */
  close(): Promise<void>
}

/**
 * Where blob bytes live. Every implementation verifies what it is given: `put` computes the hash
 * itself, partial downloads verify each chunk and the whole.
 */
export interface BlobStore {
  /** Info of a complete blob held here, or null. */
  info(hash: BlobHash): Promise<BlobInfo | null>
  has(hash: BlobHash): Promise<boolean>
  /** Stores bytes (refusing them when `expected` says otherwise) and returns their info. Idempotent. */
  put(data: BlobSource, expected?: { hash?: BlobHash; size?: number }): Promise<BlobInfo>
  /** The whole blob. Throws BlobNotFoundError. */
  get(hash: BlobHash): Promise<Uint8Array>
  /** The blob's bytes, a chunk at a time. Throws BlobNotFoundError. */
  stream(hash: BlobHash): AsyncIterable<Uint8Array>
  /** The blob's chunk list. Throws BlobNotFoundError. */
  chunkList(hash: BlobHash): Promise<Uint8Array>
  /** One chunk of a complete blob. Throws BlobNotFoundError. */
  readChunk(hash: BlobHash, index: number): Promise<Uint8Array>
  /** A reader for many chunks of a complete blob; close it when done. Throws BlobNotFoundError. */
  openChunks(hash: BlobHash): Promise<ChunkReader>
  /** The download state of a blob (created empty, or resumed from what an earlier attempt kept). */
  partial(info: BlobInfo): Promise<PartialBlob>
  /** Hashes of every complete blob held. */
  list(): Promise<BlobHash[]>
}
