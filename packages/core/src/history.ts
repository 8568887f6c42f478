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
  /** Of those, changes decoded op by op (holding something besides records: see recordsInBytes). */
  changesDecodedByOps: number
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
  const from = full ? [] : [...since]
  const changes = full ? A.getAllChanges(doc) : A.getChangesSince(doc, from)
  // One call for every change's metadata (its op count), in the same order as the changes.
  const metas = A.getChangesMetaSince(doc, from)
  const candidates: Candidate[] = []
  let discarded = 0
  const take = (decoded: Candidate) => {
    if (seen.has(decoded.id)) return
    seen.add(decoded.id)
    candidates.push(decoded)
  }
  for (const [i, change] of changes.entries()) {
    const quick = metas.length === changes.length ? recordsInBytes(change, metas[i]!) : null
    if (quick !== null) {
      for (const decoded of quick) take(decoded)
      continue
    }
    if (counters !== undefined) counters.changesDecodedByOps++
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
      take(decoded)
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

/** The chunk type of an uncompressed change (values stored as written). */
const CHANGE_CHUNK = 1

/**
 * The records of a change read straight from its bytes, when that accounts for all of it: an
 * uncompressed change whose every op is one record envelope found in its bytes (what an honest
 * client's append is). Decoding a change into ops costs far more than the records in it; a
 * change with anything else in it (junk, edits, extra bytes, a compressed chunk) returns null and
 * is decoded op by op, so that what is not a record is still counted.
 */
function recordsInBytes(change: Uint8Array, meta: A.ChangeMetadata): Candidate[] | null {
  if (change[8] !== CHANGE_CHUNK || (typeof meta.extraBytes === 'string' && meta.extraBytes !== '')) return null
  // The chunk's checksum is the first 4 bytes of its hash: the metadata is this change's.
  for (let i = 0; i < 4; i++) if (change[4 + i] !== parseInt(meta.hash.slice(2 * i, 2 * i + 2), 16)) return null
  const ops = meta.maxOp - meta.startOp + 1
  const out: Candidate[] = []
  for (let at = findPrefix(change, 0); at >= 0; ) {
    const end = cborItemEnd(change, at, at + MAX_RECORD_BYTES, 0)
    if (end < 0 || out.length === ops) return null
    try {
      out.push(decodeRecord(change.slice(at, end)))
    } catch {
      return null
    }
    at = findPrefix(change, end)
  }
  return out.length === ops ? out : null
}

function findPrefix(bytes: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(ENVELOPE_PREFIX[0]!, from); at >= 0; at = bytes.indexOf(ENVELOPE_PREFIX[0]!, at + 1)) {
    let i = 1
    while (i < ENVELOPE_PREFIX.length && bytes[at + i] === ENVELOPE_PREFIX[i]) i++
    if (i === ENVELOPE_PREFIX.length) return at
  }
  return -1
}

/** Where the CBOR item at `at` ends (definite lengths only, as DAG-CBOR has), or -1 past `limit`. */
function cborItemEnd(b: Uint8Array, at: number, limit: number, depth: number): number {
  if (depth > 32 || at >= b.length || at >= limit) return -1
  const major = b[at]! >> 5
  const info = b[at]! & 31
  let p = at + 1
  let n: number
  if (info < 24) n = info
  else if (info === 24) n = b[p++]!
  else if (info === 25) (n = (b[p]! << 8) | b[p + 1]!), (p += 2)
  else if (info === 26) (n = b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)), (p += 4)
  else if (info === 27) {
    if (major !== 0 && major !== 1 && major !== 7) return -1
    ;(n = 0), (p += 8)
  } else return -1
  if (p > b.length || p > limit) return -1
  switch (major) {
    case 2:
    case 3:
      return p + n <= b.length && p + n <= limit ? p + n : -1
    case 4:
    case 5: {
      const items = major === 4 ? n : 2 * n
      for (let k = 0; k < items && p >= 0; k++) p = cborItemEnd(b, p, limit, depth + 1)
      return p
    }
    case 6:
      return cborItemEnd(b, p, limit, depth + 1)
    default:
      return p
  }
}

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
