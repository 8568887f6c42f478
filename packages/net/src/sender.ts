/**
 * Outgoing frames for one stream, sent in order and only as fast as the stream drains. libp2p 3
 * streams signal backpressure by `send()` returning false (or `writableNeedsDrain`); writing on
 * regardless only grows the muxer's buffer, so we wait for `onDrain()` instead.
 *
 * Frames queued in the same task (one run of the event loop's callbacks and its microtasks) go out together, in pieces of up to
 * WRITE_CHUNK_BYTES: every piece handed to the stream is a yamux data frame, a Noise message, a
 * few socket writes, and a window update the peer sends back, so a burst of small sync messages
 * (a hub answering many finds at once) costs a handful of those instead of one per message.
 */
import type { Stream } from '@libp2p/interface'
import { SendQueueFullError } from './errors.js'
import { encodeVarint } from './frame.js'
import { MAX_SEND_QUEUE_BYTES, WRITE_CHUNK_BYTES } from './limits.js'

export class FrameSender {
  readonly #stream: Stream
  readonly #onFailure: (err: Error) => void
  /** Length prefixes and bodies, in order; what is left of a part partly sent. */
  #queue: Uint8Array[] = []
  #queuedBytes = 0
  #flushing = false
  #scheduled = false
  #stopped = false

  constructor(stream: Stream, onFailure: (err: Error) => void) {
    this.#stream = stream
    this.#onFailure = onFailure
  }

  /** Bytes waiting for the stream to accept them. */
  get queuedBytes(): number {
    return this.#queuedBytes
  }

  /**
   * Queues one frame: `body` with its length prefix. It goes out with whatever else is queued in
   * this task; `now` starts sending at once (a handshake or a refusal, which may
   * be followed by a close). Throws SendQueueFullError when the peer has stopped reading.
   */
  enqueue(body: Uint8Array, options: { now?: boolean } = {}): void {
    if (this.#stopped) return
    const prefix = encodeVarint(body.byteLength)
    const bytes = prefix.byteLength + body.byteLength
    if (this.#queuedBytes + bytes > MAX_SEND_QUEUE_BYTES) {
      throw new SendQueueFullError(`more than ${MAX_SEND_QUEUE_BYTES} bytes are waiting for the peer to read`, {
        queued: this.#queuedBytes,
      })
    }
    this.#queue.push(prefix, body)
    this.#queuedBytes += bytes
    if (this.#flushing) return
    if (options.now === true) void this.#flush()
    else if (!this.#scheduled) {
      this.#scheduled = true
      // A microtask, not a later turn: what the current task queues joins, and nothing waits behind
      // other tasks (a busy hub's verification work) for its turn to be sent.
      queueMicrotask(() => {
        this.#scheduled = false
        if (!this.#flushing) void this.#flush()
      })
    }
  }

  /**
   * Hands what is queued to the stream now, as far as it takes it without waiting: a graceful close
   * follows, and the stream flushes what it was given before it closes.
   */
  sendNow(): void {
    if (!this.#flushing && !this.#stopped && this.#queue.length > 0) void this.#flush()
  }

  /** Drops whatever is queued; the session is closing. */
  stop(): void {
    this.#stopped = true
    this.#queue = []
    this.#queuedBytes = 0
  }

  /**
   * The next piece for the stream: a part of at least WRITE_CHUNK_BYTES is sliced without a copy;
   * smaller parts are joined (the last one cut) into one piece of up to WRITE_CHUNK_BYTES.
   */
  #nextPiece(): Uint8Array {
    const head = this.#queue[0] as Uint8Array
    if (head.byteLength >= WRITE_CHUNK_BYTES || this.#queue.length === 1) return this.#take(head, Math.min(head.byteLength, WRITE_CHUNK_BYTES))
    let size = 0
    for (const part of this.#queue) {
      size += part.byteLength
      if (size >= WRITE_CHUNK_BYTES) break
    }
    const piece = new Uint8Array(Math.min(size, WRITE_CHUNK_BYTES))
    let offset = 0
    while (offset < piece.byteLength) {
      const part = this.#queue[0] as Uint8Array
      const taken = this.#take(part, Math.min(part.byteLength, piece.byteLength - offset))
      piece.set(taken, offset)
      offset += taken.byteLength
    }
    return piece
  }

  /** The first `length` bytes of the queue's first part, consumed. */
  #take(part: Uint8Array, length: number): Uint8Array {
    if (length === part.byteLength) this.#queue.shift()
    else this.#queue[0] = part.subarray(length)
    this.#queuedBytes -= length
    return part.subarray(0, length)
  }

  async #flush(): Promise<void> {
    this.#flushing = true
    try {
      while (!this.#stopped && this.#queue.length > 0) {
        if (this.#stream.writableNeedsDrain) await this.#stream.onDrain()
        if (this.#stopped) return
        // Taken after waiting, so that what was queued meanwhile joins this piece.
        const piece = this.#nextPiece()
        if (!this.#stream.send(piece)) await this.#stream.onDrain()
      }
    } catch (err) {
      if (!this.#stopped) this.#onFailure(err instanceof Error ? err : new Error(String(err)))
    } finally {
      this.#flushing = false
    }
  }
}
