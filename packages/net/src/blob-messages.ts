/**
 * The messages of the blob protocol (`/cosmolocal/blob/1.0.0`), and the parse step that turns a
 * decoded frame into one of them. Frames are the sync protocol's (varint length + CBOR map), at
 * most MAX_BLOB_FRAME_BYTES. See docs/protocol.md.
 */
import { cbor } from '@automerge/automerge-repo/slim'
import { isBlobHash, type BlobHash } from '@cosmolocal/core'
import { BlobProtocolError } from './errors.js'
import { MAX_CHUNKS_IN_FLIGHT, MAX_HAVE_HASHES } from './limits.js'

export const BLOB_PROTOCOL = '/cosmolocal/blob/1.0.0'

/** Asker → server. */
export type BlobRequest =
  /** Opens a download: the server answers `list` or `error`. */
  | { t: 'get'; hash: BlobHash }
  /** Chunks wanted next (after `list`); each is answered by one `chunk`, in order. */
  | { t: 'want'; chunks: number[] }
  /** Which of these would you serve? Answered by `have`. */
  | { t: 'have'; hashes: BlobHash[] }

/** Server → asker. */
export type BlobResponse =
  | { t: 'list'; hash: BlobHash; size: number; root: BlobHash; chunkList: Uint8Array }
  | { t: 'chunk'; index: number; data: Uint8Array }
  | { t: 'have'; hashes: BlobHash[] }
  /** `not-found` covers "not held" and "not shared": a server does not say which. */
  | { t: 'error'; code: 'not-found' | 'malformed'; message: string }

export function encodeBlobMessage(message: BlobRequest | BlobResponse): Uint8Array {
  return cbor.encode(message)
}

/** CBOR head of a byte/text string or unsigned integer (RFC 8949 §3.1), shortest form. */
function cborHead(major: number, value: number): number[] {
  const m = major << 5
  if (value < 24) return [m | value]
  if (value < 0x100) return [m | 24, value]
  if (value < 0x10000) return [m | 25, value >> 8, value & 0xff]
  return [m | 26, (value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]
}

// {"t": "chunk", "index": …, "data": …}: a map of three, with the head (b9 0003) and key order
// encodeBlobMessage (cbor-x) writes, so that the bytes on the wire are the same as before.
const CHUNK_HEAD_START = [0xb9, 0x00, 0x03, 0x61, ...new TextEncoder().encode('t'), 0x65, ...new TextEncoder().encode('chunk'), 0x65, ...new TextEncoder().encode('index')]
const DATA_KEY = [0x64, ...new TextEncoder().encode('data')]

/**
 * A `chunk` message as two pieces, the CBOR head and the chunk bytes themselves: the same bytes as
 * `encodeBlobMessage({ t: 'chunk', index, data })`, without copying a 1 MiB chunk into a new
 * buffer (twice, with the frame prefix) for every chunk sent.
 */
export function encodeChunkMessage(index: number, data: Uint8Array): [head: Uint8Array, data: Uint8Array] {
  if (!Number.isSafeInteger(index) || index < 0 || index > 0xffffffff) throw new RangeError(`chunk index ${index} out of range`)
  return [Uint8Array.from([...CHUNK_HEAD_START, ...cborHead(0, index), ...DATA_KEY, ...cborHead(2, data.byteLength)]), data]
}

type Fields = Record<string, unknown>

function decode(bytes: Uint8Array): Fields {
  let value: unknown
  try {
    value = cbor.decode(bytes)
  } catch (err) {
    throw new BlobProtocolError(`blob frame is not CBOR: ${(err as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BlobProtocolError('blob frame does not hold a map')
  return value as Fields
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

function hashes(v: unknown): BlobHash[] {
  if (!Array.isArray(v) || v.length > MAX_HAVE_HASHES || !v.every(isBlobHash)) {
    throw new BlobProtocolError(`a have list holds at most ${MAX_HAVE_HASHES} blob hashes`)
  }
  return v as BlobHash[]
}

function bytes(v: unknown): Uint8Array | null {
  return v instanceof Uint8Array ? v : null
}

export function parseBlobRequest(frame: Uint8Array): BlobRequest {
  const m = decode(frame)
  switch (m.t) {
    case 'get':
      if (!isBlobHash(m.hash)) throw new BlobProtocolError('get names no blob hash')
      return { t: 'get', hash: m.hash }
    case 'want':
      if (!Array.isArray(m.chunks) || m.chunks.length === 0 || m.chunks.length > MAX_CHUNKS_IN_FLIGHT || !m.chunks.every(isIndex)) {
        throw new BlobProtocolError(`want lists 1 to ${MAX_CHUNKS_IN_FLIGHT} chunk indices`)
      }
      return { t: 'want', chunks: m.chunks as number[] }
    case 'have':
      return { t: 'have', hashes: hashes(m.hashes) }
    default:
      throw new BlobProtocolError(`unknown blob request ${JSON.stringify(m.t)}`)
  }
}

export function parseBlobResponse(frame: Uint8Array): BlobResponse {
  const m = decode(frame)
  switch (m.t) {
    case 'list': {
      const chunkList = bytes(m.chunkList)
      if (!isBlobHash(m.hash) || !isBlobHash(m.root) || !isIndex(m.size) || chunkList === null) throw new BlobProtocolError('malformed chunk list answer')
      return { t: 'list', hash: m.hash, size: m.size, root: m.root, chunkList }
    }
    case 'chunk': {
      const data = bytes(m.data)
      if (!isIndex(m.index) || data === null) throw new BlobProtocolError('malformed chunk')
      return { t: 'chunk', index: m.index, data }
    }
    case 'have':
      return { t: 'have', hashes: hashes(m.hashes) }
    case 'error':
      return { t: 'error', code: m.code === 'malformed' ? 'malformed' : 'not-found', message: typeof m.message === 'string' ? m.message.slice(0, 500) : '' }
    default:
      throw new BlobProtocolError(`unknown blob answer ${JSON.stringify(m.t)}`)
  }
}
