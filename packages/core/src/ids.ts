/**
 * Branded identifiers. A plain string never becomes one of these without passing a parse
 * function here, so a PersonId can never be confused with a DesignId at compile time.
 */
import {
  isValidAutomergeUrl,
  isValidDocumentId,
  parseAutomergeUrl,
  stringifyAutomergeUrl,
  type AutomergeUrl,
  type DocumentId,
} from '@automerge/automerge-repo'
import { peerIdFromString } from '@libp2p/peer-id'
import { InvalidInputError } from './errors.js'

/** A person: the string form of the libp2p PeerId of their Ed25519 key. */
export type PersonId = string & { readonly __brand: 'PersonId' }
/** A design's address: the automerge document id of its governance document. */
export type DesignId = DocumentId & { readonly __design: true }
/** An Automerge change hash (64 hex characters). */
export type ChangeHash = string & { readonly __brand: 'ChangeHash' }
/** The id of a signed record: hex sha-256 of its encoded envelope. */
export type RecordId = string & { readonly __brand: 'RecordId' }

export type { AutomergeUrl, DocumentId }

const HEX64 = /^[0-9a-f]{64}$/

export function parsePersonId(value: unknown): PersonId {
  if (typeof value !== 'string') throw new InvalidInputError(`not a person id: ${String(value)}`)
  try {
    const peer = peerIdFromString(value)
    if (peer.type !== 'Ed25519') throw new Error('not an Ed25519 id')
  } catch {
    throw new InvalidInputError(`not a person id (an Ed25519 libp2p PeerId such as 12D3KooW…): ${value}`)
  }
  return value as PersonId
}

export function isChangeHash(value: unknown): value is ChangeHash {
  return typeof value === 'string' && HEX64.test(value)
}

export function parseChangeHash(value: unknown): ChangeHash {
  if (!isChangeHash(value)) throw new InvalidInputError(`not a change hash: ${String(value)}`)
  return value
}

/** Heads are kept sorted so that equal sets compare and encode equally everywhere. */
export function parseHeads(value: unknown): ChangeHash[] {
  if (!Array.isArray(value)) throw new InvalidInputError('heads must be a list of change hashes')
  return normalizeHeads(value.map(parseChangeHash))
}

export function normalizeHeads(heads: readonly string[]): ChangeHash[] {
  return [...new Set(heads)].sort() as ChangeHash[]
}

export function headsKey(heads: readonly string[]): string {
  return normalizeHeads(heads).join(',')
}

/** Accepts a design URL (`automerge:…`) or a bare document id. */
export function parseDocumentId(value: unknown, what = 'document'): DocumentId {
  if (typeof value === 'string') {
    if (isValidAutomergeUrl(value)) return parseAutomergeUrl(value).documentId
    if (isValidDocumentId(value)) return value
  }
  throw new InvalidInputError(`not a ${what} URL: ${String(value)}`)
}

export function parseDesignId(value: unknown): DesignId {
  return parseDocumentId(value, 'design') as DesignId
}

export function toUrl(id: DocumentId): AutomergeUrl {
  return stringifyAutomergeUrl(id)
}
