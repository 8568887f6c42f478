/**
 * Where a storage key lives on disk: exactly the layout of automerge-repo's NodeFS adapter, so
 * that a stock NodeFS reader opens a store we wrote (and we open one it wrote). A key
 * `[first, ...rest]` is the file `<base>/<first 2 characters of first>/<the rest of first>/<rest...>`;
 * a document's chunks are `[documentId, "snapshot" | "incremental", hash]`.
 */
import { isValidDocumentId, type StorageKey } from '@automerge/automerge-repo'
import { join, relative, sep } from 'node:path'
import { InvalidStorageKeyError } from './errors.js'

/** Chunk types automerge-repo stores a document in; the only keys whose bytes we can check. */
const DOCUMENT_CHUNK_TYPES = new Set(['snapshot', 'incremental'])

/**
 * Refuses keys that cannot name a file of the layout: an empty key or part, `.` or `..`, a path
 * separator or NUL, a leading dot (temporary files start with one), and a first part shorter than
 * 3 characters (its file would be a directory of the layout).
 */
export function checkKey(key: StorageKey, what: 'key' | 'prefix'): void {
  if (!Array.isArray(key) || key.length === 0) throw new InvalidStorageKeyError(`an empty storage ${what}`, { key })
  for (const part of key) {
    if (typeof part !== 'string' || part.length === 0 || part.startsWith('.') || /[/\\\0]/.test(part)) {
      throw new InvalidStorageKeyError(`storage ${what} part ${JSON.stringify(part)} cannot name a file`, { key })
    }
  }
  if (key[0]!.length < 3) throw new InvalidStorageKeyError(`storage ${what} ${JSON.stringify(key[0])} is too short to name a file`, { key })
}

export function pathOf(base: string, key: StorageKey): string {
  const [first, ...rest] = key
  return join(base, first!.slice(0, 2), first!.slice(2), ...rest)
}

/** The key a file of the store holds, from its path (the inverse of `pathOf`). */
export function keyOf(base: string, file: string): StorageKey {
  const [prefix, rest, ...more] = relative(base, file).split(sep)
  return [`${prefix}${rest ?? ''}`, ...more]
}

/** A document's chunk (snapshot or incremental), as automerge-repo names them: its bytes are Automerge chunks. */
export function isDocumentChunk(key: StorageKey): boolean {
  return key.length === 3 && DOCUMENT_CHUNK_TYPES.has(key[1]!) && isValidDocumentId(key[0]!)
}
