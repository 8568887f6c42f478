/**
 * A person's identity: an Ed25519 key. Their id is the libp2p PeerId of that key, so the same key
 * authenticates their libp2p connections and signs their records.
 */
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { Ed25519PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { InvalidInputError } from './errors.js'
import { MAX_DISPLAY_NAME_LENGTH, MAX_FIELD_LENGTH, MAX_VERIFY_KEYS_CACHED } from './limits.js'
import type { PersonId } from './ids.js'
import { base64Decode, base64Encode } from './bytes.js'

export interface Identity {
  readonly id: PersonId
  readonly name: string
  readonly privateKey: Ed25519PrivateKey
}

/** The serialised form of an identity, as kept in a key file or exported by the web app. */
export interface IdentityFile {
  readonly version: 1
  readonly id: string
  readonly name: string
  /** base64 of the libp2p protobuf encoding of the private key. */
  readonly privateKey: string
}

export async function createIdentity(name: string): Promise<Identity> {
  const cleanName = parseDisplayName(name)
  const privateKey = await generateKeyPair('Ed25519')
  return { id: peerIdFromPrivateKey(privateKey).toString() as PersonId, name: cleanName, privateKey }
}

export function parseDisplayName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw new InvalidInputError('a name is required')
  if (name.length > MAX_FIELD_LENGTH) throw new InvalidInputError(`name longer than ${MAX_FIELD_LENGTH} characters`)
  return name.trim()
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/
let graphemeSegmenter: Intl.Segmenter | undefined

/**
 * A display name as it may be shown next to a person's id, or null when nothing printable is left.
 * Names are self-asserted (anyone can call themselves anything), so what matters here is that a
 * name cannot disturb what is shown beside it: control characters and line breaks become spaces,
 * invisible format characters go (bidi overrides could visually reorder the id next to the name;
 * the zero-width joiners of emoji sequences stay), whitespace collapses, and the result is cut,
 * on a character boundary, at MAX_DISPLAY_NAME_LENGTH.
 */
export function cleanDisplayName(raw: string): string | null {
  // Printable ASCII has nothing to normalise, replace or drop but runs of spaces: most names take
  // this path, which spares a page the Unicode property tables (tens of ms at a page's first name).
  const cleaned = PRINTABLE_ASCII.test(raw)
    ? raw.replace(/ +/g, ' ').trim()
    : raw
        .normalize('NFC')
        .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ')
        .replace(/(?![\u200C\u200D])\p{Cf}/gu, '')
        .replace(/\s+/gu, ' ')
        .trim()
  if (cleaned === '') return null
  // A grapheme is at least one UTF-16 unit: a name no longer than the limit in units is within it.
  if (cleaned.length <= MAX_DISPLAY_NAME_LENGTH) return cleaned
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  const graphemes = Array.from(graphemeSegmenter.segment(cleaned), (g) => g.segment)
  if (graphemes.length <= MAX_DISPLAY_NAME_LENGTH) return cleaned
  return `${graphemes.slice(0, MAX_DISPLAY_NAME_LENGTH - 1).join('').trimEnd()}…`
}

export function serializeIdentity(identity: Identity): IdentityFile {
  return {
    version: 1,
    id: identity.id,
    name: identity.name,
    privateKey: base64Encode(privateKeyToProtobuf(identity.privateKey)),
  }
}

/** Parses a key file. The id is recomputed from the key, never trusted from the file. */
export function parseIdentity(raw: unknown): Identity {
  if (typeof raw !== 'object' || raw === null) throw new InvalidInputError('identity file is not an object')
  const file = raw as Partial<IdentityFile>
  if (file.version !== 1) throw new InvalidInputError(`unknown identity file version: ${String(file.version)}`)
  if (typeof file.privateKey !== 'string') throw new InvalidInputError('identity file has no private key')
  let privateKey
  try {
    privateKey = privateKeyFromProtobuf(base64Decode(file.privateKey))
  } catch (err) {
    throw new InvalidInputError(`identity file holds an unreadable key: ${(err as Error).message}`)
  }
  if (privateKey.type !== 'Ed25519') throw new InvalidInputError(`identity key must be Ed25519, not ${privateKey.type}`)
  const id = peerIdFromPrivateKey(privateKey).toString() as PersonId
  if (file.id !== undefined && file.id !== id) {
    throw new InvalidInputError('identity file id does not match its key', { id: file.id, actual: id })
  }
  return { id, name: parseDisplayName(file.name), privateKey }
}

export async function signBytes(identity: Identity, data: Uint8Array): Promise<Uint8Array> {
  return await identity.privateKey.sign(data)
}

/** Verifies `signature` over `data` by the key the person id names. False on any malformed input. */
export async function verifySignature(author: string, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    const check = await verifierFor(author)
    return check === null ? false : await check(data, signature)
  } catch {
    return false
  }
}

type Check = (data: Uint8Array, signature: Uint8Array) => Promise<boolean>

/** Keys parsed from person ids (each id once per process, while it is in the cache), for tests. */
export const keyCounters = { parsed: 0 }

/**
 * A person signs thousands of records with one key: their id is parsed and their key imported once,
 * not per record (parsing the id and building a key object cost more than the check itself).
 */
const verifiers = new Map<string, Promise<Check | null>>()

function verifierFor(author: string): Promise<Check | null> {
  let check = verifiers.get(author)
  if (check === undefined) {
    if (verifiers.size >= MAX_VERIFY_KEYS_CACHED) verifiers.clear()
    check = makeVerifier(author).catch(() => null)
    verifiers.set(author, check)
  }
  return check
}

/**
 * WebCrypto's Ed25519 (Node, and browsers that have it) with the key imported once; elsewhere the
 * libp2p key's own check (which imports the key again on every call). Both are the same
 * RFC 8032 verification: an id that is not an Ed25519 key verifies nothing.
 */
async function makeVerifier(author: string): Promise<Check | null> {
  keyCounters.parsed++
  const peer = peerIdFromString(author)
  if (peer.type !== 'Ed25519' || peer.publicKey === undefined) return null
  const publicKey = peer.publicKey
  const subtle = globalThis.crypto?.subtle
  if (subtle !== undefined) {
    try {
      const key = await subtle.importKey('raw', Uint8Array.from(publicKey.raw), { name: 'Ed25519' }, false, ['verify'])
      return async (data, signature) => await subtle.verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>)
    } catch {
      // This WebCrypto has no Ed25519: the libp2p key's own check.
    }
  }
  return async (data, signature) => await publicKey.verify(data, signature)
}

/** The raw 32-byte public key of a person id (used to bind a genesis to its design id). */
export function publicKeyBytes(author: string): Uint8Array {
  const peer = peerIdFromString(author)
  if (peer.type !== 'Ed25519' || peer.publicKey === undefined) throw new InvalidInputError(`not an Ed25519 person id: ${author}`)
  return peer.publicKey.raw
}
