/**
 * Buffers a blob server reads chunks into, taken back once Noise has encrypted every byte of one.
 *
 * A served chunk is read into a buffer handed to the stream, which keeps it queued until Noise
 * encrypts it; after that nothing reads it again (Noise never re-sends, yamux and TCP carry the
 * ciphertext). A fresh 1 MiB buffer per chunk makes the sender allocate the blob's size once more
 * on top of the ciphertext, and garbage collections follow the bytes allocated. So a stream's
 * buffers are lent out and, when Noise reports (`encrypted`, called by noise-node.ts for every
 * piece of plaintext it encrypted) that all the bytes lent in one were encrypted, it goes back to
 * the stream that lent it. A buffer whose bytes never all reach Noise's encryption (another
 * transport, a layer that copies, an aborted stream) is never taken back and is collected as any
 * other; a count that goes wrong never frees a buffer early, it drops it. Each stream has its own
 * pool, so a buffer only ever carries bytes of the one blob that stream serves.
 */

interface Lent {
  /** The whole buffer, to give back. */
  readonly buffer: Uint8Array
  /** Bytes lent and not yet reported encrypted. */
  pending: number
  readonly pool: SendBufferPool
}

/** Lent buffers by their memory: a piece Noise encrypts is a view of it, never the buffer itself. */
const lent = new WeakMap<ArrayBufferLike, Lent>()

/** What pools did, for tests and benchmarks: buffers allocated, and lendings served from a buffer given back. */
export const sendBufferCounts = { allocated: 0, reused: 0 }

/** Buffers of one served stream. */
export class SendBufferPool {
  readonly #size: number
  #keep: number
  readonly #free: Uint8Array[] = []

  /** Buffers of `size` bytes; at most `keep` given back are kept for reuse. */
  constructor(size: number, keep: number) {
    this.#size = size
    this.#keep = keep
  }

  /** A buffer of `length` bytes about to be sent; a length above the pool's size gets a buffer of its own. */
  lend(length: number): Uint8Array {
    if (length > this.#size || length <= 0) return Buffer.allocUnsafe(length)
    let buffer = this.#free.pop()
    if (buffer === undefined) {
      // Memory of its own (never a slice of Node's shared pool), so that its identity names it.
      buffer = Buffer.allocUnsafeSlow(this.#size)
      sendBufferCounts.allocated++
    } else {
      sendBufferCounts.reused++
    }
    lent.set(buffer.buffer, { buffer, pending: length, pool: this })
    return buffer.subarray(0, length)
  }

  /** Drops the buffers kept (the stream is done). Buffers still lent are then dropped as they come back. */
  clear(): void {
    this.#free.length = 0
    this.#keep = 0
  }

  #giveBack(buffer: Uint8Array): void {
    if (this.#free.length < this.#keep) this.#free.push(buffer)
  }

  /** Records that `piece` was encrypted; gives its buffer back once every lent byte was. */
  static encrypted(piece: Uint8Array): void {
    const entry = lent.get(piece.buffer)
    if (entry === undefined) return
    entry.pending -= piece.byteLength
    if (entry.pending > 0) return
    lent.delete(piece.buffer)
    // Below zero, something read these bytes twice: the buffer is dropped, never lent again.
    if (entry.pending === 0) entry.pool.#giveBack(entry.buffer)
  }
}

/** Noise's report: these plaintext bytes are encrypted and will not be read again. */
export const encrypted = (piece: Uint8Array): void => SendBufferPool.encrypted(piece)
