/**
 * A `BlobStore` in memory: for tests, and for peers that keep nothing (an ephemeral browser tab).
 * Same verification as the stores on disk.
 */
import {
  BlobHasher,
  CHUNK_DIGEST_BYTES,
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
} from './blobs.js'
import { BLOB_CHUNK_BYTES } from './limits.js'
import { BlobIntegrityError, BlobNotFoundError } from './errors.js'

interface Held {
  info: BlobInfo
  bytes: Uint8Array
  chunkList: Uint8Array
}

export class MemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<BlobHash, Held>()
  readonly #partials = new Map<string, { chunkList: Uint8Array | null; chunks: Map<number, Uint8Array> }>()

  /** Total bytes of complete blobs held (what a test measures to see that nothing was copied). */
  get bytesHeld(): number {
    let n = 0
    for (const b of this.#blobs.values()) n += b.bytes.length
    return n
  }

  async info(hash: BlobHash): Promise<BlobInfo | null> {
    return this.#blobs.get(hash)?.info ?? null
  }

  async has(hash: BlobHash): Promise<boolean> {
    return this.#blobs.has(hash)
  }

  async put(data: BlobSource, expected: { hash?: BlobHash; size?: number } = {}): Promise<BlobInfo> {
    const hasher = new BlobHasher()
    const pieces: Uint8Array[] = []
    await forEachPiece(data, (p) => {
      hasher.update(p)
      pieces.push(p.slice())
    })
    const { info, chunkList } = hasher.finish()
    checkExpected(info, expected)
    if (!this.#blobs.has(info.hash)) {
      const bytes = new Uint8Array(info.size)
      let o = 0
      for (const p of pieces) {
        bytes.set(p, o)
        o += p.length
      }
      this.#blobs.set(info.hash, { info, bytes, chunkList })
    }
    return info
  }

  #held(hash: BlobHash): Held {
    const b = this.#blobs.get(hash)
    if (b === undefined) throw new BlobNotFoundError(`blob ${hash} is not in this store`, { hash })
    return b
  }

  async get(hash: BlobHash): Promise<Uint8Array> {
    return this.#held(hash).bytes
  }

  async *stream(hash: BlobHash): AsyncIterable<Uint8Array> {
    const b = this.#held(hash)
    for (let o = 0; o < b.bytes.length; o += BLOB_CHUNK_BYTES) yield b.bytes.subarray(o, o + BLOB_CHUNK_BYTES)
  }

  async chunkList(hash: BlobHash): Promise<Uint8Array> {
    return this.#held(hash).chunkList
  }

  async readChunk(hash: BlobHash, index: number): Promise<Uint8Array> {
    const b = this.#held(hash)
    if (index < 0 || index >= chunkCount(b.info.size)) throw new BlobNotFoundError(`blob ${hash} has no chunk ${index}`, { hash, index })
    return b.bytes.subarray(index * BLOB_CHUNK_BYTES, (index + 1) * BLOB_CHUNK_BYTES)
  }

  async openChunks(hash: BlobHash): Promise<ChunkReader> {
    this.#held(hash)
    return { readChunk: (index) => this.readChunk(hash, index), close: async () => {} }
  }

  async list(): Promise<BlobHash[]> {
    return [...this.#blobs.keys()].sort()
  }

  async partial(info: BlobInfo): Promise<PartialBlob> {
    const key = `${info.hash}.${info.root}`
    let state = this.#partials.get(key)
    if (state === undefined) {
      state = { chunkList: null, chunks: new Map() }
      this.#partials.set(key, state)
    }
    const s = state
    return {
      info,
      chunkList: () => s.chunkList,
      setChunkList: async (list) => {
        verifyChunkList(info, list)
        s.chunkList = list.slice()
      },
      received: () => new Set(s.chunks.keys()),
      putChunk: async (index, bytes) => {
        if (s.chunkList === null) throw new BlobIntegrityError(`no verified chunk list for ${info.hash} yet`, { hash: info.hash })
        verifyChunk(info, s.chunkList, index, bytes)
        s.chunks.set(index, bytes.slice())
      },
      complete: async () => {
        const count = s.chunkList === null ? -1 : s.chunkList.length / CHUNK_DIGEST_BYTES
        if (count < 0 || s.chunks.size !== count) throw new BlobIntegrityError(`blob ${info.hash} is incomplete`, { hash: info.hash })
        this.#partials.delete(key)
        const pieces = Array.from({ length: count }, (_, i) => s.chunks.get(i)!)
        try {
          return await this.put(pieces, { hash: info.hash, size: info.size })
        } catch (err) {
          throw err instanceof BlobIntegrityError ? err : new BlobIntegrityError((err as Error).message, { hash: info.hash })
        }
      },
      close: async () => {},
    }
  }
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
