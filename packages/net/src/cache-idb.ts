/**
 * Core's verified-state cache in a browser: one IndexedDB object store of sealed entries
 * (database `cosmolocal-cache` unless named). What it holds is a shortcut, never the truth: an
 * entry that does not open is rebuilt from history, and the whole database may be dropped at any
 * time (private browsing, storage pressure) at the cost of one verification per design.
 */
import type { CacheBackend } from '@cosmolocal/core'

const STORE = 'entries'

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

export class IdbCacheBackend implements CacheBackend {
  readonly #db: Promise<IDBDatabase>

  constructor(name = 'cosmolocal-cache', factory: IDBFactory = indexedDB) {
    const req = factory.open(name, 1)
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE)
    }
    this.#db = done(req)
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const db = await this.#db
    const value: unknown = await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(key))
    return value instanceof Uint8Array ? value : undefined
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    const db = await this.#db
    const tx = db.transaction(STORE, 'readwrite')
    tx.objectStore(STORE).put(value, key)
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
    })
  }

  async delete(key: string): Promise<void> {
    const db = await this.#db
    await done(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(key))
  }
}
