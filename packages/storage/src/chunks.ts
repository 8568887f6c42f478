/**
 * Whether some bytes are whole Automerge chunks, checked without loading a document.
 *
 * Automerge's binary format is a sequence of chunks, each framed as: the magic bytes 85 6f 4a 83;
 * a 4-byte checksum; a type byte (0 document, 1 change, 2 deflated change, 3 bundle); the length
 * of the contents as an unsigned LEB128; then the contents. The checksum is the first 4 bytes of
 * the sha-256 of the type byte, the LEB128 length and the contents, except for a deflated change,
 * whose checksum is that of the change it inflates to (type 1). A file that is empty, cut short, or
 * whose bytes were damaged fails one of these checks; Automerge itself would stop reading at the
 * first bad chunk and drop everything after it without a word, which is why we check first.
 */
import { createHash } from 'node:crypto'
import { inflateRawSync } from 'node:zlib'
import { MAX_INFLATED_CHECK_BYTES } from './limits.js'

export const CHUNK_MAGIC = Uint8Array.of(0x85, 0x6f, 0x4a, 0x83)

export type ChunkProblem = 'empty' | 'truncated' | 'bad-magic' | 'unknown-type' | 'bad-length' | 'bad-checksum' | 'bad-deflate'

export type ChunkCheck = { ok: true; chunks: number } | { ok: false; problem: ChunkProblem; offset: number }

const CHUNK_TYPES = 4
const DEFLATED_CHANGE = 2
const CHANGE = 1

/** Checks that `bytes` is a non-empty sequence of well-framed chunks whose checksums match. */
export function checkChunks(bytes: Uint8Array): ChunkCheck {
  if (bytes.length === 0) return { ok: false, problem: 'empty', offset: 0 }
  let offset = 0
  let chunks = 0
  while (offset < bytes.length) {
    const problem = checkOne(bytes, offset)
    if (typeof problem === 'string') return { ok: false, problem, offset }
    offset = problem
    chunks++
  }
  return { ok: true, chunks }
}

/** The offset after the chunk at `start`, or what is wrong with it. */
function checkOne(bytes: Uint8Array, start: number): number | ChunkProblem {
  let at = start
  // The shortest chunk is 10 bytes: magic, checksum, type, and a one-byte length of zero.
  if (bytes.length - at < 10) return startsLikeMagic(bytes.subarray(at, at + 4)) ? 'truncated' : 'bad-magic'
  if (!startsLikeMagic(bytes.subarray(at, at + 4))) return 'bad-magic'
  at += 4
  const checksum = bytes.subarray(at, at + 4)
  at += 4
  const type = bytes[at]!
  if (type >= CHUNK_TYPES) return 'unknown-type'
  at += 1
  const lengthStart = at
  const length = readUleb(bytes, at)
  if (length === 'truncated') return 'truncated'
  if (length === 'bad') return 'bad-length'
  at = length.next
  const contentsEnd = at + length.value
  if (contentsEnd > bytes.length) return 'truncated'
  const contents = bytes.subarray(at, contentsEnd)
  if (type === DEFLATED_CHANGE) {
    let inflated: Uint8Array
    try {
      inflated = inflateRawSync(contents, { maxOutputLength: MAX_INFLATED_CHECK_BYTES })
    } catch (err) {
      // Too large to check here (not damage): Automerge checks it when loading.
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return contentsEnd
      return 'bad-deflate'
    }
    if (!sameChecksum(checksum, hashOf(CHANGE, uleb(inflated.length), inflated))) return 'bad-checksum'
  } else if (!sameChecksum(checksum, hashOf(type, bytes.subarray(lengthStart, at), contents))) {
    return 'bad-checksum'
  }
  return contentsEnd
}

/** True when `head` (up to 4 bytes) is the magic bytes or the start of them. */
function startsLikeMagic(head: Uint8Array): boolean {
  return head.every((b, i) => CHUNK_MAGIC[i] === b)
}

function hashOf(type: number, length: Uint8Array, contents: Uint8Array): Uint8Array {
  return createHash('sha256').update(Uint8Array.of(type)).update(length).update(contents).digest()
}

function sameChecksum(stored: Uint8Array, digest: Uint8Array): boolean {
  return stored.length === 4 && stored.every((b, i) => digest[i] === b)
}

/** An unsigned LEB128 at `at`: at most 8 bytes (any larger length is beyond a file we could read). */
function readUleb(bytes: Uint8Array, at: number): { value: number; next: number } | 'truncated' | 'bad' {
  let value = 0
  let scale = 1
  for (let i = 0; i < 8; i++) {
    if (at + i >= bytes.length) return 'truncated'
    const b = bytes[at + i]!
    value += (b & 0x7f) * scale
    if ((b & 0x80) === 0) {
      // A zero continuation byte is an over-long encoding, which Automerge refuses.
      if (i > 0 && b === 0) return 'bad'
      return { value, next: at + i + 1 }
    }
    scale *= 128
  }
  return 'bad'
}

function uleb(n: number): Uint8Array {
  const out: number[] = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return Uint8Array.from(out)
}
