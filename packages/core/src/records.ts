/**
 * Signed records: the only things Cosmolocal trusts. A record is a small envelope
 * `{ body, sig }` encoded as deterministic CBOR (DAG-CBOR). The signature covers a domain
 * prefix and the encoded body, and the body names the design it belongs to, so a record can
 * neither be replayed into another design nor confused with any other use of the same key
 * (libp2p's Noise handshake signs with it too, under its own prefix).
 *
 * Wire and disk bytes become a `SignedRecord` only through `decodeRecord` + `verifyRecord`.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { concatBytes, sha256Hex, utf8 } from './bytes.js'
import { InvalidInputError } from './errors.js'
import { cleanDisplayName, signBytes, verifySignature, type Identity } from './identity.js'
import {
  isChangeHash,
  normalizeHeads,
  type ChangeHash,
  type DesignId,
  type DocumentId,
  type PersonId,
  type RecordId,
} from './ids.js'
import { isValidDocumentId } from '@automerge/automerge-repo'
import { MAX_RECORD_BYTES, MAX_RECORD_HEADS, MAX_RECORD_PARENTS, MAX_RECORD_TEXT, MAX_FIELD_LENGTH, MAX_NEED_LABELS, MAX_NEED_LABEL_LENGTH, MAX_MAKE_PHOTOS } from './limits.js'

export const RECORD_VERSION = 1
/** Domain separation prefix: a signature made for a record is valid for nothing else. */
export const RECORD_SIGNING_DOMAIN = 'cosmolocal/record/v1\n'

/** Who may sign each kind, and where it lives: see docs/data-model.md. */
export type RecordPayload =
  | {
      kind: 'genesis'
      nonce: string
      content: DocumentId
      inbox: DocumentId
      forkedFrom: ForkOrigin | null
      /** A fork's own name, shown until a maintainer edits the content's title ('' for none). */
      title: string
    }
  | {
      kind: 'content'
      /**
       * edit: a maintainer's own change; merge: an accepted proposal (`proposal` names it);
       * update: another design's canonical content taken in (`from` names it and its heads).
       */
      reason: 'edit' | 'merge' | 'update'
      summary: string
      proposal: ProposalRef | null
      from?: ForkOrigin
    }
  | { kind: 'governance'; action: GovernanceAction; nonce: string }
  | {
      kind: 'revision'
      proposal: DocumentId
      source: DesignId
      title: string
      description: string
      /**
       * Only in a proposal's opening revision: the nonce that, with its author's key, derives the
       * proposal's id (genesis.ts). Later revisions carry none.
       */
      nonce?: string
      /** Needs of the target this revision resolves (their opening record ids): merging it closes them. */
      needs?: RecordId[]
    }
  | { kind: 'verdict'; proposal: DocumentId; revision: RecordId; verdict: 'accept' | 'reject'; comment: string }
  | {
      kind: 'comment'
      /** What is discussed: a proposal id, or the design id for the design's own discussion. */
      subject: string
      text: string
      /** The comment this one answers. */
      replyTo?: RecordId
      /** A BOM row, step or file of the design the comment is about. */
      about?: string
    }
  | { kind: 'fork-pointer'; fork: DesignId }
  | { kind: 'proposal-pointer'; proposal: DocumentId }
  | NeedPayload
  | MakePayload

/**
 * A need of a design (a task, a wish, a question), in its inbox: opened by anyone, then claimed,
 * released, closed and reopened by signed records naming it (`need`: the opening record's id).
 */
export type NeedPayload =
  | {
      kind: 'need'
      op: 'open'
      title: string
      body: string
      labels: string[]
      /** The BOM row, step or file it is about, if any. */
      about: string | null
    }
  | { kind: 'need'; op: 'claim' | 'release' | 'reopen'; need: RecordId }
  | {
      kind: 'need'
      op: 'close'
      need: RecordId
      /** What resolved it: a proposal or a design (a fork), if the closer says. */
      by: DocumentId | null
    }

/** A build report: someone made the design (at the canonical heads the record names) somewhere. */
export interface MakePayload {
  kind: 'make'
  /** Where (free text, e.g. "Nairobi, KE"). */
  place: string
  result: 'works' | 'issues' | 'failed'
  /** What the builder changed for local materials or tools. */
  changes: string
  notes: string
  /** Photos, as attachment references: bytes by hash in blob stores, like a design's files. */
  photos: MakePhoto[]
}

export interface MakePhoto {
  name: string
  hash: string
  size: number
  root: string
  mediaType: string
}

export type RecordKind = RecordPayload['kind']
export const RECORD_KINDS: readonly RecordKind[] = [
  'genesis',
  'content',
  'governance',
  'revision',
  'verdict',
  'comment',
  'fork-pointer',
  'proposal-pointer',
  'need',
  'make',
]

export interface ForkOrigin {
  design: DesignId
  heads: ChangeHash[]
}

export interface ProposalRef {
  proposal: DocumentId
  revision: RecordId
}

export type GovernanceAction =
  | { op: 'add'; member: PersonId }
  | { op: 'remove'; member: PersonId }
  | { op: 'threshold'; k: number }

/** The signed part of a record. */
export interface RecordBody<P extends RecordPayload = RecordPayload> {
  v: typeof RECORD_VERSION
  /** The design this record is bound to (the governance document id). */
  design: DesignId
  author: PersonId
  /** Milliseconds since the epoch, as claimed by the author. Informative only: never used for ordering. */
  time: number
  /** Records the author had seen (their ids): the causal order of the log. */
  prev: RecordId[]
  /** Canonical content heads the author built on. */
  base: ChangeHash[]
  /** Content heads this record is about (new canonical heads for content records, revision heads for revisions). */
  heads: ChangeHash[]
  /**
   * The display name the author went by when signing (their identity's name). Self-asserted, like
   * any chat alias: it says what this key calls itself, never who someone is; the id does that.
   * Signed with the rest, so nobody can put a name in someone else's mouth. Absent in records
   * made before names travelled, and then simply unknown.
   */
  name?: string
  payload: P
}

export interface SignedRecord<P extends RecordPayload = RecordPayload> {
  id: RecordId
  body: RecordBody<P>
  sig: Uint8Array
  /** The exact bytes the record was read from. */
  bytes: Uint8Array
}

function signingBytes(encodedBody: Uint8Array): Uint8Array {
  return concatBytes(utf8.encode(RECORD_SIGNING_DOMAIN), encodedBody)
}

export interface RecordDraft<P extends RecordPayload> {
  design: DesignId
  prev?: readonly RecordId[]
  base?: readonly string[]
  heads?: readonly string[]
  payload: P
  time?: number
}

export async function signRecord<P extends RecordPayload>(identity: Identity, draft: RecordDraft<P>): Promise<SignedRecord<P>> {
  const body: RecordBody<P> = {
    v: RECORD_VERSION,
    design: draft.design,
    author: identity.id,
    time: draft.time ?? Date.now(),
    prev: [...new Set(draft.prev ?? [])].sort() as RecordId[],
    base: normalizeHeads(draft.base ?? []),
    heads: normalizeHeads(draft.heads ?? []),
    // Absent rather than empty: the encoding has no `undefined`, and an absent name reads as unknown.
    ...(identity.name === '' ? {} : { name: identity.name }),
    payload: stripUndefined(draft.payload),
  }
  // Round-trip through the parser so that we never sign something we would refuse to read.
  parseBody(dagCbor.decode(dagCbor.encode(body)))
  const encodedBody = dagCbor.encode(body)
  const sig = await signBytes(identity, signingBytes(encodedBody))
  const bytes = dagCbor.encode({ body, sig })
  return { id: recordId(bytes), body, sig, bytes }
}

export function recordId(bytes: Uint8Array): RecordId {
  return sha256Hex(bytes) as RecordId
}

/**
 * Decodes an envelope's structure (no signature check). Throws InvalidInputError with the reason.
 */
export function decodeRecord(bytes: Uint8Array): { body: RecordBody; sig: Uint8Array; bytes: Uint8Array; id: RecordId } {
  if (bytes.length > MAX_RECORD_BYTES) throw new InvalidInputError(`record larger than ${MAX_RECORD_BYTES} bytes`)
  let raw: unknown
  try {
    raw = dagCbor.decode(bytes)
  } catch (err) {
    throw new InvalidInputError(`malformed record: ${(err as Error).message}`)
  }
  if (!isObject(raw) || !(raw.sig instanceof Uint8Array)) throw new InvalidInputError('malformed record: no signature')
  const body = parseBody(raw.body)
  return { body, sig: raw.sig, bytes, id: recordId(bytes) }
}

/**
 * Decodes and verifies a record for a given design. Throws InvalidInputError naming the reason:
 * malformed, unknown kind, bound to another design, or a signature that does not verify.
 */
export async function verifyRecord(bytes: Uint8Array, design: DesignId): Promise<SignedRecord> {
  return await verifyDecoded(decodeRecord(bytes), design)
}

/**
 * `verifyRecord` for an envelope `decodeRecord` already decoded (a candidate read from history):
 * the same checks, without decoding its bytes a second time.
 */
export async function verifyDecoded(decoded: SignedRecord, design: DesignId): Promise<SignedRecord> {
  const bytes = decoded.bytes
  if (decoded.body.design !== design) {
    throw new InvalidInputError('record is bound to another design', { design: decoded.body.design, expected: design })
  }
  // The body must re-encode to exactly what was signed: non-canonical encodings are refused.
  const canonical = dagCbor.encode({ body: decoded.body, sig: decoded.sig })
  if (!bytesEqual(canonical, bytes)) throw new InvalidInputError('record is not canonically encoded')
  const ok = await verifySignature(decoded.body.author, signingBytes(encodedBodyOf(bytes, decoded.sig)), decoded.sig)
  if (!ok) throw new InvalidInputError('signature does not verify', { author: decoded.body.author })
  return decoded
}

/** `"body"` as a DAG-CBOR map key: a text string of 4 bytes. */
const BODY_KEY = [0x64, 0x62, 0x6f, 0x64, 0x79]

/**
 * The encoded body inside a canonically encoded envelope, without encoding it again: the map's
 * keys sort by length, so the envelope is its header, "sig", the signature, "body", then the body.
 */
function encodedBodyOf(envelope: Uint8Array, sig: Uint8Array): Uint8Array {
  const at = ENVELOPE_HEADER_BYTES + dagCbor.encode(sig).length
  for (let i = 0; i < BODY_KEY.length; i++) if (envelope[at + i] !== BODY_KEY[i]) throw new InvalidInputError('malformed record: envelope')
  return envelope.subarray(at + BODY_KEY.length)
}

/** A map of two entries, then `"sig"` as a key: `a2 63 73 69 67`. */
const ENVELOPE_HEADER_BYTES = 5

function parseBody(raw: unknown): RecordBody {
  if (!isObject(raw)) throw new InvalidInputError('malformed record: body is not a map')
  if (raw.v !== RECORD_VERSION) throw new InvalidInputError(`unknown record version: ${String(raw.v)}`)
  if (typeof raw.design !== 'string' || !isDocumentId(raw.design)) throw new InvalidInputError('malformed record: design')
  if (typeof raw.author !== 'string' || raw.author.length > 128) throw new InvalidInputError('malformed record: author')
  if (typeof raw.time !== 'number' || !Number.isSafeInteger(raw.time)) throw new InvalidInputError('malformed record: time')
  const prev = parseList(raw.prev, 'prev', MAX_RECORD_PARENTS, isRecordId)
  const base = parseList(raw.base, 'base', MAX_RECORD_HEADS, isChangeHash)
  const heads = parseList(raw.heads, 'heads', MAX_RECORD_HEADS, isChangeHash)
  // Kept exactly as signed (the signature covers it); cleaned only for display (`recordName`).
  // A name of the wrong type or longer than any honest client writes makes the record malformed,
  // like every other field: the record is the author's own, so only a misbehaving author loses it.
  if (raw.name !== undefined && (typeof raw.name !== 'string' || raw.name.length > MAX_FIELD_LENGTH)) {
    throw new InvalidInputError('malformed record: name')
  }
  const payload = parsePayload(raw.payload)
  return {
    v: RECORD_VERSION,
    design: raw.design as DesignId,
    author: raw.author as PersonId,
    time: raw.time,
    prev: prev as RecordId[],
    base: base as ChangeHash[],
    heads: heads as ChangeHash[],
    ...(raw.name === undefined ? {} : { name: raw.name }),
    payload,
  }
}

/** The name a record's author signed it with, cleaned for display; null when it carries none. */
export function recordName(record: { body: Pick<RecordBody, 'name'> }): string | null {
  const raw = record.body.name
  if (raw === undefined) return null
  // A person signs thousands of records with the same name: clean each distinct name once.
  let clean = cleanedNames.get(raw)
  if (clean === undefined) {
    clean = cleanDisplayName(raw)
    if (cleanedNames.size >= MAX_CLEANED_NAMES_CACHED) cleanedNames.clear()
    cleanedNames.set(raw, clean)
  }
  return clean
}

const MAX_CLEANED_NAMES_CACHED = 4_096
const cleanedNames = new Map<string, string | null>()

function parsePayload(raw: unknown): RecordPayload {
  if (!isObject(raw) || typeof raw.kind !== 'string') throw new InvalidInputError('malformed record: payload')
  const kind = raw.kind
  switch (kind) {
    case 'genesis':
      return {
        kind,
        nonce: str(raw.nonce, 'nonce', 128),
        content: docId(raw.content, 'content'),
        inbox: docId(raw.inbox, 'inbox'),
        forkedFrom: raw.forkedFrom === null ? null : parseForkOrigin(raw.forkedFrom),
        title: str(raw.title, 'title', MAX_FIELD_LENGTH),
      }
    case 'content': {
      if (raw.reason !== 'edit' && raw.reason !== 'merge' && raw.reason !== 'update') throw new InvalidInputError('malformed record: content reason')
      let proposal: ProposalRef | null = null
      if (raw.proposal !== null) {
        if (!isObject(raw.proposal)) throw new InvalidInputError('malformed record: proposal ref')
        proposal = { proposal: docId(raw.proposal.proposal, 'proposal'), revision: recId(raw.proposal.revision) }
      }
      return {
        kind,
        reason: raw.reason,
        summary: str(raw.summary, 'summary', MAX_RECORD_TEXT),
        proposal,
        ...(raw.from === undefined ? {} : { from: parseForkOrigin(raw.from) }),
      }
    }
    case 'governance':
      return { kind, action: parseAction(raw.action), nonce: str(raw.nonce, 'nonce', 128) }
    case 'revision':
      return {
        kind,
        proposal: docId(raw.proposal, 'proposal'),
        source: docId(raw.source, 'source') as DesignId,
        title: str(raw.title, 'title', MAX_FIELD_LENGTH),
        description: str(raw.description, 'description', MAX_RECORD_TEXT),
        ...(raw.nonce === undefined ? {} : { nonce: str(raw.nonce, 'nonce', 128) }),
        ...(raw.needs === undefined ? {} : { needs: parseList(raw.needs, 'needs', MAX_RECORD_PARENTS, isRecordId) as RecordId[] }),
      }
    case 'verdict':
      if (raw.verdict !== 'accept' && raw.verdict !== 'reject') throw new InvalidInputError('malformed record: verdict')
      return {
        kind,
        proposal: docId(raw.proposal, 'proposal'),
        revision: recId(raw.revision),
        verdict: raw.verdict,
        comment: str(raw.comment, 'comment', MAX_RECORD_TEXT),
      }
    case 'comment':
      return {
        kind,
        subject: str(raw.subject, 'subject', 200),
        text: str(raw.text, 'text', MAX_RECORD_TEXT),
        ...(raw.replyTo === undefined ? {} : { replyTo: recId(raw.replyTo) }),
        ...(raw.about === undefined ? {} : { about: str(raw.about, 'about', 200) }),
      }
    case 'fork-pointer':
      return { kind, fork: docId(raw.fork, 'fork') as DesignId }
    case 'proposal-pointer':
      return { kind, proposal: docId(raw.proposal, 'proposal') }
    case 'need':
      return parseNeed(raw)
    case 'make':
      return parseMake(raw)
    default:
      throw new InvalidInputError(`unknown record kind: ${kind.slice(0, 40)}`)
  }
}

function parseNeed(raw: Record<string, unknown>): NeedPayload {
  switch (raw.op) {
    case 'open': {
      const labels = raw.labels
      if (!Array.isArray(labels) || labels.length > MAX_NEED_LABELS || !labels.every((l) => typeof l === 'string' && l.length > 0 && l.length <= MAX_NEED_LABEL_LENGTH)) {
        throw new InvalidInputError('malformed record: need labels')
      }
      return {
        kind: 'need',
        op: 'open',
        title: str(raw.title, 'title', MAX_FIELD_LENGTH),
        body: str(raw.body, 'body', MAX_RECORD_TEXT),
        labels: labels as string[],
        about: raw.about === null ? null : str(raw.about, 'about', 200),
      }
    }
    case 'claim':
    case 'release':
    case 'reopen':
      return { kind: 'need', op: raw.op, need: recId(raw.need) }
    case 'close':
      return { kind: 'need', op: 'close', need: recId(raw.need), by: raw.by === null ? null : docId(raw.by, 'by') }
    default:
      throw new InvalidInputError('malformed record: need op')
  }
}

function parseMake(raw: Record<string, unknown>): MakePayload {
  if (raw.result !== 'works' && raw.result !== 'issues' && raw.result !== 'failed') throw new InvalidInputError('malformed record: make result')
  const photos = raw.photos
  if (!Array.isArray(photos) || photos.length > MAX_MAKE_PHOTOS) throw new InvalidInputError('malformed record: make photos')
  return {
    kind: 'make',
    place: str(raw.place, 'place', MAX_FIELD_LENGTH),
    result: raw.result,
    changes: str(raw.changes, 'changes', MAX_RECORD_TEXT),
    notes: str(raw.notes, 'notes', MAX_RECORD_TEXT),
    photos: photos.map((p: unknown) => {
      if (!isObject(p) || typeof p.size !== 'number' || !Number.isSafeInteger(p.size) || p.size < 0) throw new InvalidInputError('malformed record: make photo')
      return {
        name: str(p.name, 'photo name', MAX_FIELD_LENGTH),
        hash: hex64(p.hash, 'photo hash'),
        size: p.size,
        root: hex64(p.root, 'photo root'),
        mediaType: str(p.mediaType, 'photo media type', 255),
      }
    }),
  }
}

function hex64(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || !/^[0-9a-f]{64}$/.test(raw)) throw new InvalidInputError(`malformed record: ${field}`)
  return raw
}

function parseAction(raw: unknown): GovernanceAction {
  if (!isObject(raw)) throw new InvalidInputError('malformed record: governance action')
  if ((raw.op === 'add' || raw.op === 'remove') && typeof raw.member === 'string' && raw.member.length <= 128) {
    return { op: raw.op, member: raw.member as PersonId }
  }
  if (raw.op === 'threshold' && typeof raw.k === 'number' && Number.isSafeInteger(raw.k) && raw.k >= 1) {
    return { op: 'threshold', k: raw.k }
  }
  throw new InvalidInputError('malformed record: governance action')
}

function parseForkOrigin(raw: unknown): ForkOrigin {
  if (!isObject(raw)) throw new InvalidInputError('malformed record: forkedFrom')
  return {
    design: docId(raw.design, 'forkedFrom.design') as DesignId,
    heads: parseList(raw.heads, 'forkedFrom.heads', MAX_RECORD_HEADS, isChangeHash) as ChangeHash[],
  }
}

function parseList(raw: unknown, field: string, max: number, ok: (v: unknown) => boolean): string[] {
  if (!Array.isArray(raw) || raw.length > max || !raw.every(ok)) throw new InvalidInputError(`malformed record: ${field}`)
  const sorted = [...new Set(raw as string[])].sort()
  if (sorted.length !== raw.length || sorted.some((v, i) => v !== raw[i])) {
    throw new InvalidInputError(`malformed record: ${field} not sorted and unique`)
  }
  return raw as string[]
}

function str(raw: unknown, field: string, max: number): string {
  if (typeof raw !== 'string' || raw.length > max) throw new InvalidInputError(`malformed record: ${field}`)
  return raw
}

function docId(raw: unknown, field: string): DocumentId {
  if (typeof raw !== 'string' || !isDocumentId(raw)) throw new InvalidInputError(`malformed record: ${field}`)
  return raw
}

/**
 * A design's records all name the same few document ids, and checking one (a base58check decode
 * and a double SHA-256) costs more than the rest of a record's parsing: each distinct id once.
 */
const MAX_DOCUMENT_IDS_CACHED = 4_096
const documentIds = new Set<string>()

function isDocumentId(raw: string): raw is DocumentId {
  if (documentIds.has(raw)) return true
  if (!isValidDocumentId(raw)) return false
  if (documentIds.size >= MAX_DOCUMENT_IDS_CACHED) documentIds.clear()
  documentIds.add(raw)
  return true
}

function recId(raw: unknown): RecordId {
  if (!isRecordId(raw)) throw new InvalidInputError('malformed record: record id')
  return raw
}

export function isRecordId(v: unknown): v is RecordId {
  return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
}

function stripUndefined<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
