/**
 * Noise for Node peers: libp2p's own Node crypto (the same ChaCha20-Poly1305, node:crypto), with
 * two costs of a bulk transfer removed:
 *
 * - the cipher key is made once per session key, not once per message. Given raw key bytes,
 *   `createCipheriv` builds a new secret key object for every 64 KiB Noise message; a 50 MB
 *   attachment is about 800 of them on each side.
 * - an encrypted message is handed on as its pieces (ciphertext, tag) instead of being copied into
 *   one new buffer; noise accepts either shape. Those copies would drive the sender's garbage
 *   collections.
 * - what it encrypted is reported to send-buffers.ts, so that a blob server reuses the buffer it
 *   read a chunk into once all of it is encrypted, instead of reading every chunk into a new one.
 *
 * Below SMALL_MESSAGE_BYTES both directions use libp2p's wasm implementation, as libp2p does.
 */
import { noise, type ICryptoInterface } from '@libp2p/noise'
import { defaultCrypto } from '@libp2p/noise/crypto'
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto'
import { Uint8ArrayList } from 'uint8arraylist'
import { encrypted } from './send-buffers.js'

/** Below this, libp2p's wasm ChaCha20-Poly1305 is faster than node:crypto's (its own threshold). */
const SMALL_MESSAGE_BYTES = 1200
const TAG_BYTES = 16
const ALGORITHM = 'chacha20-poly1305'

interface CachedKey {
  /** A copy of the bytes the key object was made from. */
  readonly bytes: Buffer
  readonly key: KeyObject
}

/**
 * Key objects by the key buffer noise holds for a session direction (a cipher state keeps one
 * buffer for its whole life, so the map holds one entry per live direction and forgets it with the
 * session). The bytes are compared on every use: a buffer that was rewritten in place gets a new
 * key object, never the old key.
 */
const keys = new WeakMap<Uint8Array, CachedKey>()

/** The key object for `k`, made once per key buffer (exported for its tests; not part of the package's surface). */
export function keyFor(k: Uint8Array): KeyObject {
  const cached = keys.get(k)
  if (cached !== undefined && cached.bytes.equals(k)) return cached.key
  const bytes = Buffer.from(k)
  const key = createSecretKey(bytes)
  keys.set(k, { bytes, key })
  return key
}

const pieces = (data: Uint8Array | Uint8ArrayList): Iterable<Uint8Array> => (data instanceof Uint8Array ? [data] : data)

function encrypt(plaintext: Uint8Array | Uint8ArrayList, nonce: Uint8Array, ad: Uint8Array, k: Uint8Array): Uint8Array | Uint8ArrayList {
  if (plaintext.byteLength < SMALL_MESSAGE_BYTES) return defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
  const cipher = createCipheriv(ALGORITHM, keyFor(k), nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(ad, { plaintextLength: plaintext.byteLength })
  const output = new Uint8ArrayList()
  for (const piece of pieces(plaintext)) output.append(cipher.update(piece))
  const final = cipher.final()
  if (final.byteLength > 0) output.append(final)
  output.append(cipher.getAuthTag())
  return output
}

export const nodeNoiseCrypto: ICryptoInterface = {
  ...defaultCrypto,
  chaCha20Poly1305Encrypt(plaintext, nonce, ad, k) {
    const output = encrypt(plaintext, nonce, ad, k)
    // Nothing reads plaintext again once it is encrypted: a blob server's buffers can go back.
    for (const piece of pieces(plaintext)) encrypted(piece)
    return output
  },
  chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k, dst) {
    if (ciphertext.byteLength < SMALL_MESSAGE_BYTES) return defaultCrypto.chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k, dst)
    const textLength = ciphertext.byteLength - TAG_BYTES
    const decipher = createDecipheriv(ALGORITHM, keyFor(k), nonce, { authTagLength: TAG_BYTES })
    decipher.setAAD(ad, { plaintextLength: textLength })
    decipher.setAuthTag(ciphertext.subarray(textLength))
    const text = ciphertext instanceof Uint8Array ? ciphertext.subarray(0, textLength) : ciphertext.sublist(0, textLength)
    const output = new Uint8ArrayList()
    for (const piece of pieces(text)) output.append(decipher.update(piece))
    // final() throws when the tag does not match: nothing decrypted is handed on.
    const final = decipher.final()
    if (final.byteLength > 0) output.append(final)
    return output
  },
}

export const nodeConnectionEncrypters = () => [noise({ crypto: nodeNoiseCrypto })]
