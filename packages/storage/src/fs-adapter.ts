/**
 * AtomicFsStorageAdapter: automerge-repo's storage on the local file system, in exactly the
 * layout of the stock NodeFS adapter (layout.ts), with three promises the stock one does not keep:
 *
 * - every write is whole or absent (atomic-file.ts), so a process killed at any moment leaves no
 *   torn file, and every write is on disk (fsync) when its promise resolves;
 * - operations on one key (or on a range and the keys inside it) run in the order they were
 *   called, so two saves of one key cannot land in the wrong order, and `settled()` tells when
 *   everything begun so far is done, however it was begun (automerge-repo saves in the background);
 * - a document chunk that is empty, cut short or damaged is never handed to Automerge (which
 *   would read it as an empty or shortened document without a word): it is moved to the quarantine
 *   beside the store (quarantine.ts), left out of what is returned, and reported.
 */
import type { Chunk, DocumentId, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo'
import { EventEmitter } from 'node:events'
import { readdir, readFile, rm, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { atomicWriteFile, isStaleTemporaryFile, isTemporaryName, syncDirectory } from './atomic-file.js'
import { checkChunks, type ChunkProblem } from './chunks.js'
import { StorageLayoutError } from './errors.js'
import { checkKey, isDocumentChunk, keyOf, pathOf } from './layout.js'
import { quarantineChunk, type QuarantineRecord } from './quarantine.js'

export interface AtomicFsStorageOptions {
  /** Where damaged chunks are set aside. Default: `<store>-quarantine`, beside the store. */
  quarantineDirectory?: string
}

/** A damaged chunk found on load and set aside. */
export interface QuarantineEvent {
  documentId: DocumentId
  key: StorageKey
  problem: ChunkProblem
  bytes: number
  /** The record written in the quarantine, or null when the chunk could not be moved (then `error` says why; it was still left out). */
  record: QuarantineRecord | null
  /** The chunk's path in the quarantine, or null when it could not be moved. */
  file: string | null
  error?: string
}

interface StorageEvents {
  quarantine: [QuarantineEvent]
}

interface Operation {
  /** The file (one key) or directory (a range) it touches. */
  scope: string
  done: Promise<unknown>
}

export class AtomicFsStorageAdapter extends EventEmitter<StorageEvents> implements StorageAdapterInterface {
  readonly baseDirectory: string
  readonly quarantineDirectory: string
  readonly #active = new Set<Operation>()

  constructor(baseDirectory: string, options: AtomicFsStorageOptions = {}) {
    super()
    this.baseDirectory = resolve(baseDirectory)
    this.quarantineDirectory = resolve(options.quarantineDirectory ?? `${this.baseDirectory}-quarantine`)
    if (within(this.baseDirectory, this.quarantineDirectory) || within(this.quarantineDirectory, this.baseDirectory)) {
      throw new StorageLayoutError(`the quarantine ${this.quarantineDirectory} must be beside the store ${this.baseDirectory}, not inside it`)
    }
  }

  async load(key: StorageKey): Promise<Uint8Array | undefined> {
    checkKey(key, 'key')
    const file = pathOf(this.baseDirectory, key)
    return await this.#schedule(file, () => this.#read(key, file))
  }

  async save(key: StorageKey, data: Uint8Array): Promise<void> {
    checkKey(key, 'key')
    const file = pathOf(this.baseDirectory, key)
    await this.#schedule(file, () => atomicWriteFile(file, data))
  }

  async remove(key: StorageKey): Promise<void> {
    checkKey(key, 'key')
    const file = pathOf(this.baseDirectory, key)
    await this.#schedule(file, async () => {
      try {
        await unlink(file)
      } catch (err) {
        if (isMissing(err)) return
        throw err
      }
      await syncDirectory(dirname(file))
    })
  }

  async loadRange(keyPrefix: StorageKey): Promise<Chunk[]> {
    checkKey(keyPrefix, 'prefix')
    const dir = pathOf(this.baseDirectory, keyPrefix)
    return await this.#schedule(dir, async () => {
      const chunks: Chunk[] = []
      for (const file of await this.#walk(dir)) {
        const key = keyOf(this.baseDirectory, file)
        const data = await this.#read(key, file)
        if (data !== undefined) chunks.push({ key, data })
      }
      // One order whatever the file system lists first: by the key's last part (a chunk's hash), then the whole key.
      return chunks.sort((a, b) => compare(a.key.at(-1)!, b.key.at(-1)!) || compare(a.key.join('/'), b.key.join('/')))
    })
  }

  async removeRange(keyPrefix: StorageKey): Promise<void> {
    checkKey(keyPrefix, 'prefix')
    const dir = pathOf(this.baseDirectory, keyPrefix)
    await this.#schedule(dir, async () => {
      await rm(dir, { recursive: true, force: true })
      await syncDirectory(dirname(dir)).catch((err: unknown) => {
        if (!isMissing(err)) throw err
      })
    })
  }

  /**
   * Resolves once every operation begun so far, and any begun while waiting, has finished
   * (whether it succeeded or not): nothing is being written any more. Call it after shutting a
   * repo down and before exiting or reporting success.
   */
  async settled(): Promise<void> {
    for (;;) {
      while (this.#active.size > 0) await Promise.allSettled([...this.#active].map((op) => op.done))
      // What just finished may begin a follow-up from its callbacks (a chained save): they all
      // run before the next macrotask, so look once more after one.
      await new Promise((resolve) => setImmediate(resolve))
      if (this.#active.size === 0) return
    }
  }

  /**
   * Resolves once every operation begun before the call has finished; later ones are not waited
   * for. What a flush wrote is then on disk, and no later operation can undo it (writes are whole,
   * a compaction removes chunks only after the snapshot holding them). For acknowledging while
   * the repo keeps running: a busy hub never stops writing, so settled() might never resolve.
   */
  async caughtUp(): Promise<void> {
    await Promise.allSettled([...this.#active].map((op) => op.done))
  }

  /**
   * Removes the temporary files left in the whole store by writers that are gone (a crash). Loads
   * already do this in the directories they read; this covers the rest (sync states, the storage
   * id). Returns how many were removed.
   *
   * Each directory is ordered with the operations on it only while it is read, not the whole
   * store for the whole walk: a hub sweeps in the background as it starts, and a document asked
   * for meanwhile is read at once instead of after every directory of the store.
   */
  async sweepTemporaryFiles(): Promise<number> {
    let removed = 0
    const visit = async (dir: string): Promise<void> => {
      const subdirectories = await this.#schedule(dir, async () => {
        const below: string[] = []
        for (const entry of await readdir(dir, { withFileTypes: true }).catch(orEmptyIfMissing)) {
          const path = join(dir, entry.name)
          if (entry.isDirectory()) below.push(path)
          else if (isTemporaryName(entry.name) && isStaleTemporaryFile(path)) {
            await rm(path, { force: true })
            removed++
          }
        }
        return below
      })
      for (const below of subdirectories) await visit(below)
    }
    await visit(this.baseDirectory)
    return removed
  }

  /** Runs `op` once every earlier operation on an overlapping scope has finished; tracks it for settled(). */
  #schedule<T>(scope: string, op: () => Promise<T>): Promise<T> {
    const earlier = [...this.#active].filter((o) => overlaps(o.scope, scope)).map((o) => o.done)
    const done = (earlier.length === 0 ? Promise.resolve() : Promise.allSettled(earlier)).then(op)
    const entry: Operation = { scope, done }
    this.#active.add(entry)
    const forget = () => void this.#active.delete(entry)
    done.then(forget, forget)
    return done
  }

  /** A file's bytes, or undefined when absent or (for a document chunk) damaged and set aside. */
  async #read(key: StorageKey, file: string): Promise<Uint8Array | undefined> {
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch (err) {
      if (isMissing(err)) return undefined
      throw err
    }
    if (isDocumentChunk(key)) {
      const check = checkChunks(bytes)
      if (!check.ok) {
        await this.#setAside(key, file, { problem: check.problem, offset: check.offset, bytes: bytes.length })
        return undefined
      }
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  async #setAside(key: StorageKey, file: string, found: { problem: ChunkProblem; offset: number; bytes: number }): Promise<void> {
    let event: QuarantineEvent
    try {
      const record = await quarantineChunk(this.quarantineDirectory, this.baseDirectory, key, file, found)
      event = { documentId: key[0] as DocumentId, key, problem: found.problem, bytes: found.bytes, record, file: join(this.quarantineDirectory, record.chunk) }
    } catch (err) {
      // Left where it is, but still never handed to Automerge; the owner hears why.
      event = { documentId: key[0] as DocumentId, key, problem: found.problem, bytes: found.bytes, record: null, file: null, error: (err as Error).message }
    }
    try {
      this.emit('quarantine', event)
    } catch {
      // A listener that throws (a logger) must not turn a survivable load into a failed one.
    }
  }

  /** Every file under `dir` (none when it is absent), removing stale temporary files met on the way. */
  async #walk(dir: string): Promise<string[]> {
    const out: string[] = []
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(orEmptyIfMissing)) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) out.push(...(await this.#walk(path)))
      else if (isTemporaryName(entry.name)) {
        if (isStaleTemporaryFile(path)) await rm(path, { force: true })
      } else out.push(path)
    }
    return out
  }
}

/** True when `inner` is `outer` or inside it. */
function within(outer: string, inner: string): boolean {
  const rel = relative(outer, inner)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(b + sep) || b.startsWith(a + sep)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT'
}

function orEmptyIfMissing(err: unknown): never[] {
  if (isMissing(err)) return []
  throw err
}
