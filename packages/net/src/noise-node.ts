/**
 * Noise for Node peers: libp2p's own Node crypto, except that an encrypted message is handed on as
 * its pieces (ciphertext, tag) instead of being copied into one new buffer. Encryption is the same
 * ChaCha20-Poly1305 (node:crypto); noise accepts either shape. A sender of a 50 MB attachment
 * otherwise allocates and copies every byte once more, and those allocations drive its garbage
 * collections.
 */
import { noise, type ICryptoInterface } from '@libp2p/noise'
import { defaultCrypto } from '@libp2p/noise/crypto'
import { createCipheriv } from 'node:crypto'
import { Uint8ArrayList } from 'uint8arraylist'

/** Below this, libp2p's wasm ChaCha20-Poly1305 is faster than node:crypto's (its own threshold). */
const SMALL_MESSAGE_BYTES = 1200

export const nodeNoiseCrypto: ICryptoInterface = {
  ...defaultCrypto,
  chaCha20Poly1305Encrypt(plaintext, nonce, ad, k) {
    if (plaintext.byteLength < SMALL_MESSAGE_BYTES) return defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
    const cipher = createCipheriv('chacha20-poly1305', k, nonce, { authTagLength: 16 })
    cipher.setAAD(ad, { plaintextLength: plaintext.byteLength })
    const output = new Uint8ArrayList()
    for (const piece of plaintext instanceof Uint8Array ? [plaintext] : plaintext) output.append(cipher.update(piece))
    const final = cipher.final()
    if (final.byteLength > 0) output.append(final)
    output.append(cipher.getAuthTag())
    return output
  },
}

export const nodeConnectionEncrypters = () => [noise({ crypto: nodeNoiseCrypto })]
