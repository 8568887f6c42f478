/**
 * Core's verified-state cache on disk: one file per entry under a directory (`<home>/cache/` for a
 * command's home and for a hub). Entries are sealed by core (an HMAC under a secret kept here too),
 * so a damaged or edited file simply does not open and is rebuilt from history. Writes are whole
 * or absent (temporary file and rename) but not fsynced: a cache lost in a power cut costs one
 * verification per design, and every write of every command would otherwise pay two fsyncs.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { CacheBackend } from '@cosmolocal/core'
import { atomicWriteFile, isStaleTemporaryFile, isTemporaryName } from './atomic-file.js'

/** The secret is readable by its owner only, like the key file. */
const SECRET_MODE = 0o600

export class FsCacheBackend implements CacheBackend {
  #swept = false

  constructor(readonly directory: string) {}

  #path(key: string): string {
    // Keys are paths of ids ("design/<id>"): one flat file name each, reversible, no separators.
    return join(this.directory, encodeURIComponent(key))
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    await this.#sweep()
    try {
      return new Uint8Array(await readFile(this.#path(key)))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    await atomicWriteFile(this.#path(key), value, { durable: false, ...(key === 'secret' ? { mode: SECRET_MODE } : {}) })
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true })
  }

  /** Removes temporary files a killed writer left (once per process). */
  async #sweep(): Promise<void> {
    if (this.#swept) return
    this.#swept = true
    let names: string[]
    try {
      names = await readdir(this.directory)
    } catch {
      await mkdir(this.directory, { recursive: true }).catch(() => undefined)
      return
    }
    for (const name of names) {
      const path = join(this.directory, name)
      if (isTemporaryName(name) && isStaleTemporaryFile(path)) await rm(path, { force: true }).catch(() => undefined)
    }
  }
}
