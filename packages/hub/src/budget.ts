/**
 * Per-peer write budgets: how many bytes, and how many documents the hub had not loaded, one peer
 * may send per window. A token bucket per peer (the whole window's budget may be spent at once,
 * then it refills evenly); a peer that runs out is cut off for a while. Only that peer: every
 * other peer's budget is its own. Limits in limits.ts and docs/LIMITS.md.
 */
import type { Refusal } from '@cosmolocal/net'
import {
  MAX_METERED_PEERS,
  MAX_PEER_BYTES_PER_WINDOW,
  MAX_PEER_NEW_DOCUMENTS_PER_WINDOW,
  MIN_MESSAGE_CHARGE_BYTES,
  PEER_BUDGET_WINDOW_MS,
  PEER_CUTOFF_MS,
} from './limits.js'

export interface PeerLimits {
  readonly windowMs: number
  readonly bytesPerWindow: number
  readonly newDocumentsPerWindow: number
  readonly minMessageChargeBytes: number
  readonly cutoffMs: number
}

export const DEFAULT_PEER_LIMITS: PeerLimits = {
  windowMs: PEER_BUDGET_WINDOW_MS,
  bytesPerWindow: MAX_PEER_BYTES_PER_WINDOW,
  newDocumentsPerWindow: MAX_PEER_NEW_DOCUMENTS_PER_WINDOW,
  minMessageChargeBytes: MIN_MESSAGE_CHARGE_BYTES,
  cutoffMs: PEER_CUTOFF_MS,
}

class Bucket {
  readonly #capacity: number
  readonly #windowMs: number
  #tokens: number
  #at: number

  constructor(capacity: number, windowMs: number, now: number) {
    this.#capacity = capacity
    this.#windowMs = windowMs
    this.#tokens = capacity
    this.#at = now
  }

  /** Takes `n` tokens if there are that many (after refilling for the time passed). */
  take(n: number, now: number): boolean {
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#at) * this.#capacity) / this.#windowMs)
    this.#at = now
    if (n > this.#tokens) return false
    this.#tokens -= n
    return true
  }
}

interface Meter {
  bytes: Bucket
  documents: Bucket
  /** Documents already charged to this peer (each new document counts once). */
  charged: Set<string>
  cutUntil: number
}

export class PeerBudgets {
  readonly #limits: PeerLimits
  readonly #now: () => number
  /** Least recently active first. */
  readonly #meters = new Map<string, Meter>()

  constructor(limits: Partial<PeerLimits> = {}, now: () => number = Date.now) {
    this.#limits = { ...DEFAULT_PEER_LIMITS, ...limits }
    this.#now = now
  }

  get limits(): PeerLimits {
    return this.#limits
  }

  /** The refusal while `key` is cut off, else null. */
  admit(key: string): Refusal | null {
    const meter = this.#meters.get(key)
    const now = this.#now()
    if (meter === undefined || meter.cutUntil <= now) return null
    return { code: 'over-limit', message: `over this hub's write budget; try again in ${Math.ceil((meter.cutUntil - now) / 1000)} s` }
  }

  /**
   * Charges one message of `bytes` (naming `newDocument` if it names a document the hub had not
   * loaded). Over the budget, the message is refused and `key` is cut off for `cutoffMs`.
   */
  charge(key: string, bytes: number, newDocument: string | null = null): Refusal | null {
    const cut = this.admit(key)
    if (cut !== null) return cut
    const now = this.#now()
    const meter = this.#meter(key, now)
    const l = this.#limits
    if (!meter.bytes.take(Math.max(bytes, l.minMessageChargeBytes), now)) {
      return this.#cut(meter, now, `more than ${l.bytesPerWindow} bytes in ${l.windowMs / 1000} s`)
    }
    if (newDocument !== null && !meter.charged.has(newDocument)) {
      if (!meter.documents.take(1, now)) return this.#cut(meter, now, `more than ${l.newDocumentsPerWindow} new documents in ${l.windowMs / 1000} s`)
      // Bounded: a peer cannot be charged for more than a few windows' worth without being cut off first.
      if (meter.charged.size >= 4 * l.newDocumentsPerWindow) meter.charged.clear()
      meter.charged.add(newDocument)
    }
    return null
  }

  /** Drops what is known of `key` (a stock WebSocket connection that closed). */
  forget(key: string): void {
    this.#meters.delete(key)
  }

  #cut(meter: Meter, now: number, what: string): Refusal {
    meter.cutUntil = now + this.#limits.cutoffMs
    return { code: 'over-limit', message: `over this hub's write budget (${what}); try again in ${Math.ceil(this.#limits.cutoffMs / 1000)} s` }
  }

  #meter(key: string, now: number): Meter {
    let meter = this.#meters.get(key)
    if (meter !== undefined) this.#meters.delete(key)
    else {
      const l = this.#limits
      meter = { bytes: new Bucket(l.bytesPerWindow, l.windowMs, now), documents: new Bucket(l.newDocumentsPerWindow, l.windowMs, now), charged: new Set(), cutUntil: 0 }
      if (this.#meters.size >= MAX_METERED_PEERS) this.#meters.delete(this.#meters.keys().next().value!)
    }
    this.#meters.set(key, meter)
    return meter
  }
}
