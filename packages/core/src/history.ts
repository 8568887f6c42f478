/**
 * Reads records from a document's change history, never from its current state. Every byte
 * string ever written anywhere in the document is a candidate; deleting or overwriting a record
 * later removes nothing, and a record copied into some other field still counts once.
 *
 * Reading is incremental: given the heads already read, only the changes since them are decoded.
 * What is not a well-formed record is discarded here by a cheap structural check (no signature is
 * checked): a flood of junk costs one decode per byte string, once, and counts toward nothing.
 */
import * as A from '@automerge/automerge'
import { holds } from './held.js'
import type { ChangeHash, RecordId } from './ids.js'
import { MAX_RECORD_BYTES } from './limits.js'
import { decodeRecord, type RecordBody } from './records.js'

/** A byte string that decodes as a record envelope. Its signature has not been checked. */
export interface Candidate {
  id: RecordId
  body: RecordBody
  sig: Uint8Array
  bytes: Uint8Array
}

/** A record that does not count, and why. */
export interface RejectedRecord {
  id: RecordId | null
  kind: string | null
  author: string | null
  reason: string
}

export interface ScanResult {
  /** The document's heads the scan covered. */
  heads: ChangeHash[]
  /** New candidates, in history order, each once. */
  candidates: Candidate[]
  /** Byte strings that were not records (counted, not kept). */
  discarded: number
  /** Automerge changes decoded. */
  changes: number
  /** True when the scan read the whole history (no usable `since`). */
  full: boolean
}

/** Counts work done, for tests that prove reads are incremental. */
export interface ScanCounters {
  changesDecoded: number
  signaturesVerified: number
}

/**
 * The records written by the changes of `doc` that are not ancestors of `since` (all changes when
 * `since` is null or names changes the document lacks). `seen` holds record ids already known:
 * they are skipped, and the new ones are added to it.
 */
export function scanChanges(
  doc: A.Doc<unknown>,
  since: readonly ChangeHash[] | null,
  seen: Set<string>,
  counters?: ScanCounters,
): ScanResult {
  const heads = A.getHeads(doc) as ChangeHash[]
  const full = since === null || !holds(doc, [...since])
  const changes = full ? A.getAllChanges(doc) : A.getChangesSince(doc, [...since])
  const candidates: Candidate[] = []
  let discarded = 0
  for (const change of changes) {
    for (const op of A.decodeChange(change).ops) {
      if (op.action !== 'set') continue
      const value: unknown = op.value
      const bytes = value instanceof Uint8Array || looksLikeRecord(value) ? asBytes(value) : null
      if (bytes === null) {
        if (isByteArray(value)) discarded++
        continue
      }
      if (!looksLikeRecord(bytes)) {
        discarded++
        continue
      }
      let decoded
      try {
        decoded = decodeRecord(bytes)
      } catch {
        discarded++
        continue
      }
      if (seen.has(decoded.id)) continue
      seen.add(decoded.id)
      candidates.push(decoded)
    }
  }
  if (counters !== undefined) counters.changesDecoded += changes.length
  return { heads: [...heads].sort() as ChangeHash[], candidates, discarded, changes: changes.length, full }
}

/**
 * A record envelope is a DAG-CBOR map of two entries whose first key is "sig" (keys sort by
 * length): `a2 63 73 69 67`. Anything else is not worth decoding.
 */
const ENVELOPE_PREFIX = [0xa2, 0x63, 0x73, 0x69, 0x67]

/** On bytes, or on the number array decodeChange reports bytes as (checked before converting it). */
function looksLikeRecord(bytes: unknown): boolean {
  if (!(bytes instanceof Uint8Array) && !Array.isArray(bytes)) return false
  if (bytes.length < 64 || bytes.length > MAX_RECORD_BYTES) return false
  for (let i = 0; i < ENVELOPE_PREFIX.length; i++) if (bytes[i] !== ENVELOPE_PREFIX[i]) return false
  return true
}

/** A value that is a non-empty byte string (as asBytes reads it), without building it. */
function isByteArray(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.length > 0
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_RECORD_BYTES) return false
  for (const n of value) if (typeof n !== 'number' || n < 0 || n > 255 || !Number.isInteger(n)) return false
  return true
}

function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value.length > 0 ? value : null
  // decodeChange reports byte values as plain number arrays.
  if (Array.isArray(value) && value.length > 0 && value.length <= MAX_RECORD_BYTES) {
    // Converted first, then compared: any element that is not an integer 0..255 comes out different.
    const out = Uint8Array.from(value as number[])
    for (let i = 0; i < out.length; i++) if (out[i] !== value[i]) return null
    return out
  }
  return null
}

export function rejection(c: { id: RecordId; body: RecordBody }, reason: string): RejectedRecord {
  return { id: c.id, kind: c.body.payload.kind, author: c.body.author, reason }
}
