/**
 * Outgoing frames for one stream, sent in order and only as fast as the stream drains. libp2p 3
 * streams signal backpressure by `send()` returning false (or `writableNeedsDrain`); writing on
 * regardless only grows the muxer's buffer, so we wait for `onDrain()` instead.
 */
import type { Stream } from '@libp2p/interface'
import { SendQueueFullError } from './errors.js'
import { MAX_SEND_QUEUE_BYTES, WRITE_CHUNK_BYTES } from './limits.js'

export class FrameSender {
  readonly #stream: Stream
  readonly #onFailure: (err: Error) => void
  #queue: Uint8Array[] = []
  #queuedBytes = 0
  #flushing = false
  #stopped = false
  #drained: PromiseWithResolvers<void> | null = null

  constructor(stream: Stream, onFailure: (err: Error) => void) {
    this.#stream = stream
    this.#onFailure = onFailure
  }

  /** Bytes waiting for the stream to accept them. */
  get queuedBytes(): number {
    return this.#queuedBytes
  }

  /** Queues a frame. Throws SendQueueFullError when the peer has stopped reading. */
  enqueue(frame: Uint8Array): void {
    if (this.#stopped) return
    if (this.#queuedBytes + frame.byteLength > MAX_SEND_QUEUE_BYTES) {
      throw new SendQueueFullError(`more than ${MAX_SEND_QUEUE_BYTES} bytes are waiting for the peer to read`, {
        queued: this.#queuedBytes,
      })
    }
    this.#queue.push(frame)
    this.#queuedBytes += frame.byteLength
    if (!this.#flushing) void this.#flush()
  }

  /** Drops whatever is queued; the session is closing. */
  stop(): void {
    this.#stopped = true
    this.#queue = []
    this.#queuedBytes = 0
    this.#settle()
  }

  /**
   * Resolves once every frame queued so far was handed to the stream (or the sender stopped or
   * failed): a graceful close must wait for it, since closing the stream first drops the queue.
   */
  drained(): Promise<void> {
    if (this.#stopped || (!this.#flushing && this.#queue.length === 0)) return Promise.resolve()
    this.#drained ??= Promise.withResolvers<void>()
    return this.#drained.promise
  }

  #settle(): void {
    this.#drained?.resolve()
    this.#drained = null
  }

  async #flush(): Promise<void> {
    this.#flushing = true
    try {
      while (!this.#stopped && this.#queue.length > 0) {
        const frame = this.#queue[0] as Uint8Array
        const piece = frame.subarray(0, WRITE_CHUNK_BYTES)
        if (piece.byteLength === frame.byteLength) this.#queue.shift()
        else this.#queue[0] = frame.subarray(piece.byteLength)
        this.#queuedBytes -= piece.byteLength
        if (this.#stream.writableNeedsDrain) await this.#stream.onDrain()
        if (this.#stopped) return
        if (!this.#stream.send(piece)) await this.#stream.onDrain()
      }
    } catch (err) {
      if (!this.#stopped) this.#onFailure(err instanceof Error ? err : new Error(String(err)))
    } finally {
      this.#flushing = false
      this.#settle()
    }
  }
}
