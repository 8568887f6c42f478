/**
 * Framing: each message travels as an unsigned-varint (LEB128) byte length followed by that many
 * bytes of CBOR. The decoder enforces the length limit from the prefix alone, before buffering.
 */
import { FrameTooLargeError, MalformedFrameError } from './errors.js'
import { MAX_LENGTH_PREFIX_BYTES } from './limits.js'

export function encodeFrame(body: Uint8Array): Uint8Array {
  const prefix = encodeVarint(body.byteLength)
  const frame = new Uint8Array(prefix.byteLength + body.byteLength)
  frame.set(prefix, 0)
  frame.set(body, prefix.byteLength)
  return frame
}

export function encodeVarint(value: number): Uint8Array {
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return Uint8Array.from(bytes)
}

export interface FrameDecoderOptions {
  /**
   * Join a frame that spans chunks into one buffer reused from frame to frame, instead of a fresh
   * one: a frame returned by `next()` is then only valid until the next call. For a reader that is
   * done with each frame before it asks for the next (a download writing 1 MiB chunks: a fresh
   * buffer each costs an allocation, page faults and garbage collection).
   */
  reuseBuffer?: boolean
}

/**
 * Reassembles frames from stream chunks of any size. Chunks are kept as they arrive and joined
 * once per frame, so a large frame costs one copy, not one per chunk.
 */
export class FrameDecoder {
  #chunks: Uint8Array[] = []
  #buffered = 0
  #expected: number | undefined
  #maxFrameBytes: number
  readonly #reuse: boolean
  #joined: Uint8Array | null = null

  constructor(maxFrameBytes: number, options: FrameDecoderOptions = {}) {
    this.#maxFrameBytes = maxFrameBytes
    this.#reuse = options.reuseBuffer ?? false
  }

  /** Applies to frames whose prefix has not been read yet. */
  setMaxFrameBytes(maxFrameBytes: number): void {
    this.#maxFrameBytes = maxFrameBytes
  }

  /** True while bytes of an incomplete frame are held: the stream ending now would truncate it. */
  get hasPartialFrame(): boolean {
    return this.#buffered > 0 || this.#expected !== undefined
  }

  /** Adds bytes from the stream; take frames out with `next()`. */
  append(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return
    this.#chunks.push(chunk)
    this.#buffered += chunk.byteLength
  }

  /**
   * The next complete frame body, or undefined if more bytes are needed. One at a time, so that a
   * limit changed after handling a frame (the handshake's) applies to the very next prefix, even
   * when both frames arrived in one chunk. Throws on a bad or oversized prefix.
   */
  next(): Uint8Array | undefined {
    if (this.#expected === undefined) {
      const length = this.#readPrefix()
      if (length === undefined) return undefined
      this.#expected = length
    }
    if (this.#buffered < this.#expected) return undefined
    const body = this.#take(this.#expected)
    this.#expected = undefined
    return body
  }

  /** Appends a chunk and returns every frame it completes, all under the current limit. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.append(chunk)
    const frames: Uint8Array[] = []
    for (let frame = this.next(); frame !== undefined; frame = this.next()) frames.push(frame)
    return frames
  }

  /** Reads and consumes a complete length prefix, or returns undefined if more bytes are needed. */
  #readPrefix(): number | undefined {
    let value = 0
    let read = 0
    for (const chunk of this.#chunks) {
      for (const byte of chunk) {
        value += (byte & 0x7f) * 2 ** (7 * read)
        read++
        if ((byte & 0x80) === 0) {
          this.#consume(read)
          if (value === 0) throw new MalformedFrameError('empty frame')
          if (value > this.#maxFrameBytes) {
            throw new FrameTooLargeError(`frame of ${value} bytes exceeds the ${this.#maxFrameBytes}-byte limit`, {
              length: value,
              limit: this.#maxFrameBytes,
            })
          }
          return value
        }
        if (read >= MAX_LENGTH_PREFIX_BYTES) {
          throw new MalformedFrameError(`length prefix longer than ${MAX_LENGTH_PREFIX_BYTES} bytes`)
        }
      }
    }
    return undefined
  }

  #take(length: number): Uint8Array {
    const first = this.#chunks[0]
    if (first !== undefined && first.byteLength >= length) {
      const body = first.subarray(0, length)
      this.#consume(length)
      return body
    }
    let body: Uint8Array
    if (this.#reuse) {
      if (this.#joined === null || this.#joined.byteLength < length) this.#joined = new Uint8Array(length)
      body = this.#joined.subarray(0, length)
    } else {
      body = new Uint8Array(length)
    }
    let offset = 0
    while (offset < length) {
      const chunk = this.#chunks[0] as Uint8Array
      const part = chunk.subarray(0, Math.min(chunk.byteLength, length - offset))
      body.set(part, offset)
      offset += part.byteLength
      this.#consume(part.byteLength)
    }
    return body
  }

  #consume(length: number): void {
    let rest = length
    this.#buffered -= length
    while (rest > 0) {
      const chunk = this.#chunks[0] as Uint8Array
      if (chunk.byteLength <= rest) {
        this.#chunks.shift()
        rest -= chunk.byteLength
      } else {
        this.#chunks[0] = chunk.subarray(rest)
        rest = 0
      }
    }
  }
}
