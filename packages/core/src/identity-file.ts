/**
 * Reading a key file's identity without loading libp2p's crypto (which costs a command like
 * `cosmo id show` several times Node's own start-up): the id is derived here from the key with
 * WebCrypto's Ed25519 and multiformats' base58, as libp2p derives it, and checked against the file.
 * Signing still goes through identity.ts; this only says who a key file is.
 *
 * The layout is libp2p's: a private key is the protobuf `{ Type: Ed25519 (1), Data: seed ‖ public
 * key }`, a person id is base58btc of the identity multihash of the protobuf public key.
 */
import { base58btc } from 'multiformats/bases/base58'
import { base64Decode } from './base64.js'
import { InvalidInputError } from './errors.js'
import type { PersonId } from './ids.js'

/** `08 01` (Type: Ed25519) `12 40` (Data: 64 bytes). */
const PRIVATE_PREFIX = [0x08, 0x01, 0x12, 0x40]
/** `08 01` `12 20` (Data: 32 bytes). */
const PUBLIC_PREFIX = [0x08, 0x01, 0x12, 0x20]
/** The PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410), which is how WebCrypto imports one. */
const PKCS8_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

export interface IdentitySummary {
  id: PersonId
  name: string
}

/** Who a key file says it is, checked against its key: the id is derived, never taken from the file. */
export async function summarizeIdentityFile(raw: unknown): Promise<IdentitySummary> {
  if (typeof raw !== 'object' || raw === null) throw new InvalidInputError('identity file is not an object')
  const file = raw as { version?: unknown; id?: unknown; name?: unknown; privateKey?: unknown }
  if (file.version !== 1) throw new InvalidInputError(`unknown identity file version: ${String(file.version)}`)
  if (typeof file.privateKey !== 'string') throw new InvalidInputError('identity file has no private key')
  let key: Uint8Array
  try {
    key = base64Decode(file.privateKey)
  } catch {
    throw new InvalidInputError('identity file holds an unreadable key')
  }
  if (key.length !== PRIVATE_PREFIX.length + 64 || !PRIVATE_PREFIX.every((b, i) => key[i] === b)) {
    throw new InvalidInputError('identity key must be an Ed25519 key')
  }
  const seed = key.subarray(4, 36)
  const publicKey = await derivePublicKey(seed)
  if (!publicKey.every((b, i) => key[36 + i] === b)) throw new InvalidInputError('identity file holds an inconsistent key')
  const id = base58btc.encode(Uint8Array.from([0x00, 0x24, ...PUBLIC_PREFIX, ...publicKey])).slice(1) as PersonId
  if (file.id !== undefined && file.id !== id) throw new InvalidInputError('identity file id does not match its key', { id: file.id, actual: id })
  if (typeof file.name !== 'string' || file.name.trim() === '') throw new InvalidInputError('a name is required')
  return { id, name: file.name.trim() }
}

async function derivePublicKey(seed: Uint8Array): Promise<Uint8Array> {
  const pkcs8 = Uint8Array.from([...PKCS8_PREFIX, ...seed])
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign'])
  const jwk = await crypto.subtle.exportKey('jwk', key)
  if (typeof jwk.x !== 'string') throw new InvalidInputError('identity key cannot be read')
  return base64UrlDecode(jwk.x)
}

function base64UrlDecode(text: string): Uint8Array {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)
  return base64Decode(padded)
}
