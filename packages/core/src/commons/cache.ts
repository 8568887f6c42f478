/**
 * The verified-state cache: what verification found, kept beside the store so that the next read
 * (in this process or the next) starts from it instead of from the whole history.
 *
 * A cache is never trusted over history. Every entry says which document heads it was computed at
 * and is used only for exactly those heads (or extended from them by reading the changes since);
 * every entry is sealed with an HMAC under a secret of this store, so an entry that was corrupted,
 * truncated, edited or copied in from another store does not open and is rebuilt from history.
 * (The secret sits in the same backend: the seal protects against damage and foreign entries, not
 * against someone who can already write the person's home.)
 *
 * Backends are key/value stores of bytes, like automerge-repo's storage adapters: a directory on
 * Node, an IndexedDB object store in browsers, a Map in tests.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, randomBytes, utf8 } from '../bytes.js'
import { bytesEqual } from '../records.js'

/** Bumped whenever the shape of what is cached changes: older entries are then rebuilt. */
export const CACHE_VERSION = 2
const SEAL_DOMAIN = 'cosmolocal/cache/v1\n'
const SECRET_KEY = 'secret'
const SECRET_BYTES = 32

export interface CacheBackend {
  get(key: string): Promise<Uint8Array | undefined>
  /** Writes the value whole or not at all. */
  put(key: string, value: Uint8Array): Promise<void>
  delete(key: string): Promise<void>
}

export class MemoryCacheBackend implements CacheBackend {
  readonly entries = new Map<string, Uint8Array>()
  async get(key: string): Promise<Uint8Array | undefined> {
    return this.entries.get(key)
  }
  async put(key: string, value: Uint8Array): Promise<void> {
    this.entries.set(key, value)
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key)
  }
}

/** What happened to cache entries, for tests and for `verify --store`-style reports. */
export interface CacheCounters {
  hits: number
  misses: number
  /** Entries that did not open (bad seal, bad encoding, other version): rebuilt from history. */
  rejected: number
  writes: number
}

/**
 * Sealed, typed access to a backend. Values are plain DAG-CBOR-encodable data; decoding is the
 * caller's job (each entry kind has its own `parse`), so a sealed entry of the wrong shape (a bug,
 * an old version) is rejected there too.
 */
export class SealedCache {
  readonly counters: CacheCounters = { hits: 0, misses: 0, rejected: 0, writes: 0 }
  #secret: Promise<Uint8Array> | null = null
  /** Writes in flight, so that `settled()` can wait for them. */
  readonly #pending = new Set<Promise<void>>()

  constructor(readonly backend: CacheBackend) {}

  async get(key: string): Promise<unknown> {
    // The secret is read beside the entry, not after it: a first read costs one storage round trip.
    const secret = this.#key()
    let raw: Uint8Array | undefined
    try {
      raw = await this.backend.get(key)
    } catch {
      raw = undefined
    }
    if (raw === undefined) {
      this.counters.misses++
      return undefined
    }
    const opened = await this.#open(key, raw, await secret)
    if (opened === undefined) {
      this.counters.rejected++
      return undefined
    }
    this.counters.hits++
    return opened
  }

  /** Stores a value; failures are swallowed (a cache that cannot be written is only slower). */
  put(key: string, value: unknown): Promise<void> {
    const write = (async () => {
      const body = dagCbor.encode(value)
      const mac = hmac(sha256, await this.#key(), sealInput(key, body))
      await this.backend.put(key, dagCbor.encode({ v: CACHE_VERSION, body, mac }))
      this.counters.writes++
    })().catch(() => undefined)
    this.#pending.add(write)
    void write.finally(() => this.#pending.delete(write))
    return write
  }

  async delete(key: string): Promise<void> {
    await this.backend.delete(key).catch(() => undefined)
  }

  /** Resolves once every write begun so far has finished. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending])
  }

  async #open(key: string, raw: Uint8Array, secret: Uint8Array): Promise<unknown> {
    try {
      const sealed = dagCbor.decode(raw) as { v?: unknown; body?: unknown; mac?: unknown }
      if (sealed.v !== CACHE_VERSION || !(sealed.body instanceof Uint8Array) || !(sealed.mac instanceof Uint8Array)) return undefined
      const expected = hmac(sha256, secret, sealInput(key, sealed.body))
      if (!bytesEqual(expected, sealed.mac)) return undefined
      return dagCbor.decode(sealed.body)
    } catch {
      return undefined
    }
  }

  #key(): Promise<Uint8Array> {
    this.#secret ??= (async () => {
      const known = await this.backend.get(SECRET_KEY).catch(() => undefined)
      if (known !== undefined && known.length === SECRET_BYTES) return known
      const fresh = randomBytes(SECRET_BYTES)
      // Entries sealed under a lost secret simply fail to open and are rebuilt.
      await this.backend.put(SECRET_KEY, fresh).catch(() => undefined)
      return fresh
    })()
    return this.#secret
  }
}

function sealInput(key: string, body: Uint8Array): Uint8Array {
  return concatBytes(utf8.encode(SEAL_DOMAIN), utf8.encode(key), new Uint8Array([0]), body)
}
