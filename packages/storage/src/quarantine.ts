/**
 * The quarantine: a folder beside the store (never inside it, where a NodeFS reader would take
 * its files for documents) holding chunks set aside on load, each with a record of what was
 * wrong. Nothing in it is ever deleted by the program; a person may delete it once `cosmo doctor`
 * reports nothing to refetch.
 *
 *   <quarantine>/<time>-<8 hex>.chunk   the bytes, as they were found
 *   <quarantine>/<time>-<8 hex>.json    the record (QuarantineRecord)
 */
import { isValidDocumentId, type DocumentId, type StorageKey } from '@automerge/automerge-repo'
import { randomBytes } from 'node:crypto'
import { copyFile, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { atomicWriteFile, ensureDirectory, syncDirectory } from './atomic-file.js'
import type { ChunkProblem } from './chunks.js'

export interface QuarantineRecord {
  v: 1
  /** The storage key the chunk was stored under: `[documentId, "snapshot" | "incremental", hash]`. */
  key: StorageKey
  /** Null only for a chunk found without its record. */
  documentId: DocumentId | null
  /** `unrecorded`: the chunk was found without its record (the process stopped between the two). */
  problem: ChunkProblem | 'unrecorded'
  /** Where in the file the problem starts (bytes). */
  offset: number
  /** The file's size when it was set aside. */
  bytes: number
  /** The file's path inside the store, relative to it. */
  from: string
  /** The set-aside bytes, relative to the quarantine folder. */
  chunk: string
  /** When it was set aside (ISO 8601). */
  at: string
}

/** Moves `file` (the chunk of `key`) into the quarantine and writes its record; returns the record. */
export async function quarantineChunk(
  quarantine: string,
  base: string,
  key: StorageKey,
  file: string,
  found: { problem: ChunkProblem; offset: number; bytes: number },
): Promise<QuarantineRecord> {
  await ensureDirectory(quarantine)
  const stem = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`
  const target = join(quarantine, `${stem}.chunk`)
  try {
    await rename(file, target)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
    // The quarantine is on another file system (it was configured so): copy, then remove.
    await copyFile(file, target)
    await unlink(file)
  }
  await syncDirectory(dirname(file))
  const record: QuarantineRecord = {
    v: 1,
    key: [...key],
    documentId: isValidDocumentId(key[0]!) ? key[0]! : null,
    problem: found.problem,
    offset: found.offset,
    bytes: found.bytes,
    from: relative(base, file),
    chunk: `${stem}.chunk`,
    at: new Date().toISOString(),
  }
  await atomicWriteFile(join(quarantine, `${stem}.json`), `${JSON.stringify(record, null, 2)}\n`)
  return record
}

/**
 * Every chunk in the quarantine, oldest first. A chunk whose record is missing or unreadable
 * (the process was killed between moving it and writing the record) is listed with what its
 * name tells, so nothing set aside goes unreported.
 */
export async function readQuarantine(quarantine: string): Promise<QuarantineRecord[]> {
  let names: string[]
  try {
    names = await readdir(quarantine)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const out: QuarantineRecord[] = []
  for (const name of names.filter((n) => n.endsWith('.chunk')).sort()) {
    const stem = name.slice(0, -'.chunk'.length)
    out.push((await readRecord(join(quarantine, `${stem}.json`), name)) ?? unrecorded(name))
  }
  return out
}

async function readRecord(path: string, chunk: string): Promise<QuarantineRecord | null> {
  try {
    const raw = JSON.parse(await readFile(path, 'utf8')) as Partial<QuarantineRecord>
    // Parsed, not trusted: a record is a file like any other.
    if (raw.v !== 1 || !Array.isArray(raw.key) || !raw.key.every((k) => typeof k === 'string') || raw.chunk !== chunk) return null
    const documentId = typeof raw.documentId === 'string' && isValidDocumentId(raw.documentId) ? raw.documentId : null
    return {
      v: 1,
      key: raw.key,
      documentId,
      problem: typeof raw.problem === 'string' ? raw.problem : 'unrecorded',
      offset: Number(raw.offset) || 0,
      bytes: Number(raw.bytes) || 0,
      from: typeof raw.from === 'string' ? raw.from : '',
      chunk,
      at: typeof raw.at === 'string' ? raw.at : '',
    }
  } catch {
    return null
  }
}

function unrecorded(chunk: string): QuarantineRecord {
  return { v: 1, key: [], documentId: null, problem: 'unrecorded', offset: 0, bytes: 0, from: '', chunk, at: '' }
}
