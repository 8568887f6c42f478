/** Noise's crypto for Node peers: the same ChaCha20-Poly1305 bytes as libp2p's own, handed on in pieces. */
import { defaultCrypto } from '@libp2p/noise/crypto'
import { randomBytes } from 'node:crypto'
import { Uint8ArrayList } from 'uint8arraylist'
import { describe, expect, it } from 'vitest'
import { nodeNoiseCrypto } from '../src/noise-node.js'

const flat = (b: Uint8Array | Uint8ArrayList) => Buffer.from(b instanceof Uint8Array ? b : b.subarray()).toString('hex')

describe('nodeNoiseCrypto', () => {
  const k = randomBytes(32)
  const ad = randomBytes(32)
  const nonce = Buffer.alloc(12)

  it('encrypts to the same bytes as libp2p’s Node crypto, for messages whole or in pieces, and they decrypt', () => {
    for (const size of [0, 1, 1199, 1200, 4096, 65_519]) {
      nonce.writeUInt32LE(size, 4)
      const plaintext = randomBytes(size)
      const expected = flat(defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k))
      expect(flat(nodeNoiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k))).toEqual(expected)
      const pieces = new Uint8ArrayList(plaintext.subarray(0, size >> 1), plaintext.subarray(size >> 1))
      expect(flat(nodeNoiseCrypto.chaCha20Poly1305Encrypt(pieces, nonce, ad, k))).toEqual(expected)
      const sealed = nodeNoiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
      expect(flat(defaultCrypto.chaCha20Poly1305Decrypt(sealed instanceof Uint8Array ? sealed : sealed.subarray(), nonce, ad, k))).toEqual(flat(plaintext))
    }
  })

  it('hands a large message on as ciphertext and tag without joining them into a new buffer', () => {
    const plaintext = randomBytes(65_519)
    const out = nodeNoiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
    expect(out).toBeInstanceOf(Uint8ArrayList)
    expect([...(out as Uint8ArrayList)].map((b) => b.byteLength)).toEqual([65_519, 16])
  })
})
