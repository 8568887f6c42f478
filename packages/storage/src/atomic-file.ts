/**
 * Writing a file whole or not at all: the bytes go to a temporary file in the same directory,
 * are fsynced, and the temporary file is renamed over the target; then the directory is fsynced,
 * so that the rename itself survives a power cut. A reader (or a process killed at any moment)
 * sees the old file or the new one, never part of one; a kill leaves at most a temporary file,
 * which `isStaleTemporaryFile` recognises once its writer is gone.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'

export interface AtomicWriteOptions {
  /** The file's mode when it is created (filtered by the umask). Default 0o644. */
  mode?: number
  /**
   * Default true: fsync the file and its directory, so the write survives a power cut. False for
   * files that can always be rebuilt (caches): still whole or absent for every reader and after a
   * kill, without the cost of two fsyncs.
   */
  durable?: boolean
}

/** Temporary files: `.<name>.tmp-<pid>-<8 hex>`, hidden, and named after the process writing them. */
const TEMPORARY = /^\..+\.tmp-(\d+)-[0-9a-f]{8}$/

/** Temporary files this process is writing right now (never stale, whatever their pid says). */
const writing = new Set<string>()

export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
}

export function isTemporaryName(name: string): boolean {
  return TEMPORARY.test(name)
}

/**
 * True for a temporary file left by a writer that is gone: a process that no longer runs, or this
 * process (a pid reused after a crash) when it is not writing that file.
 */
export function isStaleTemporaryFile(path: string): boolean {
  const m = TEMPORARY.exec(basename(path))
  if (m === null) return false
  const pid = Number(m[1])
  if (pid === process.pid) return !writing.has(path)
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    // EPERM: the process exists (another user's); only ESRCH says it is gone.
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** Writes `data` to `path` atomically and durably (see the file comment), creating its directory. */
export async function atomicWriteFile(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path)
  await ensureDirectory(dir)
  const tmp = temporaryPathFor(path)
  writing.add(tmp)
  try {
    const handle = await open(tmp, 'wx', options.mode ?? 0o644)
    try {
      await handle.writeFile(data)
      if (options.durable !== false) await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  } finally {
    writing.delete(tmp)
  }
  if (options.durable !== false) await syncDirectory(dir)
}

/** fsyncs a directory, so that entries created, renamed or removed in it are on disk. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Creates `dir` and any missing parents, fsyncing the parent of each directory it created. */
export async function ensureDirectory(path: string): Promise<void> {
  const dir = resolve(path)
  const first = await mkdir(dir, { recursive: true })
  if (first === undefined) return
  const created: string[] = []
  for (let d = dir; d !== first && dirname(d) !== d; d = dirname(d)) created.push(d)
  created.push(first)
  for (const d of created.reverse()) await syncDirectory(dirname(d))
}
