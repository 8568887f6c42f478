/**
 * Reads records from a document's full change history, not from its current state. Every
 * byte string ever written anywhere in the document is a candidate; deleting or overwriting a
 * record later removes nothing, and a record copied into some other field still counts once.
 */
import * as A from '@automerge/automerge'
import { InvalidInputError } from './errors.js'
import type { DesignId, RecordId } from './ids.js'
import { MAX_RECORD_BYTES, MAX_RECORDS_PER_DOCUMENT } from './limits.js'
import { decodeRecord, verifyRecord, type SignedRecord } from './records.js'

export interface RejectedRecord {
  id: RecordId | null
  kind: string | null
  author: string | null
  reason: string
}

export interface CollectedRecords {
  records: SignedRecord[]
  rejected: RejectedRecord[]
}

/** Byte strings written anywhere in the document's history, deduplicated, in history order. */
export function candidateBytes(doc: A.Doc<unknown>): Uint8Array[] {
  const seen = new Set<string>()
  const out: Uint8Array[] = []
  for (const change of A.getAllChanges(doc)) {
    for (const op of A.decodeChange(change).ops) {
      if (op.action !== 'set') continue
      const bytes = asBytes(op.value)
      if (bytes === null || bytes.length === 0 || bytes.length > MAX_RECORD_BYTES) continue
      const key = keyOf(bytes)
      if (seen.has(key)) continue
      seen.add(key)
      out.push(bytes)
      if (out.length > MAX_RECORDS_PER_DOCUMENT) {
        throw new InvalidInputError(`document holds more than ${MAX_RECORDS_PER_DOCUMENT} records: treated as flooded`)
      }
    }
  }
  return out
}

/**
 * Remembers verification outcomes by design and record id, so that re-reading a document's
 * history checks each signature once. Only sound because a record id is the hash of its bytes.
 */
export type VerificationCache = Map<string, SignedRecord | RejectedRecord>

/** Verifies every candidate against `design`. Invalid ones are reported, never thrown. */
export async function collectRecords(doc: A.Doc<unknown>, design: DesignId, cache?: VerificationCache): Promise<CollectedRecords> {
  const records: SignedRecord[] = []
  const rejected: RejectedRecord[] = []
  const ids = new Set<string>()
  for (const bytes of candidateBytes(doc)) {
    let decoded
    try {
      decoded = decodeRecord(bytes)
    } catch (err) {
      // Not a record at all (or a malformed one): reported without identity, since it has none.
      rejected.push({ id: null, kind: null, author: null, reason: (err as Error).message })
      continue
    }
    if (ids.has(decoded.id)) continue
    ids.add(decoded.id)
    const key = `${design}|${decoded.id}`
    let outcome = cache?.get(key)
    if (outcome === undefined) {
      try {
        outcome = await verifyRecord(bytes, design)
      } catch (err) {
        outcome = { id: decoded.id, kind: decoded.body.payload.kind, author: decoded.body.author, reason: (err as Error).message }
      }
      cache?.set(key, outcome)
    }
    if ('sig' in outcome) records.push(outcome)
    else rejected.push(outcome)
  }
  return { records, rejected }
}

function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value
  // decodeChange reports byte values as plain number arrays.
  if (Array.isArray(value) && value.every((n) => typeof n === 'number' && n >= 0 && n < 256 && Number.isInteger(n))) {
    return Uint8Array.from(value as number[])
  }
  return null
}

function keyOf(bytes: Uint8Array): string {
  let h = ''
  for (let i = 0; i < bytes.length; i++) h += String.fromCharCode(bytes[i]!)
  return h
}
