/**
 * Noise's crypto for Node peers: the same ChaCha20-Poly1305 bytes as libp2p's own, handed on in
 * pieces, with one key object per session key; and a real connection between a node on it and a
 * node on libp2p's stock Noise.
 */
import { defaultCrypto } from '@libp2p/noise/crypto'
import { noise } from '@libp2p/noise'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createIdentity } from '@cosmolocal/core'
import { createLibp2p, type Libp2p } from 'libp2p'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Uint8ArrayList } from 'uint8arraylist'
import { afterEach, describe, expect, it } from 'vitest'
import { BlobService, fetchBlob, FsBlobStore } from '../src/index.js'
import { keyFor, nodeNoiseCrypto } from '../src/noise-node.js'
import { LOOPBACK_TCP, startNode } from './helpers.js'

const flat = (b: Uint8Array | Uint8ArrayList) => Buffer.from(b instanceof Uint8Array ? b : b.subarray()).toString('hex')
const asList = (b: Uint8Array) => new Uint8ArrayList(b.subarray(0, b.byteLength >> 1), b.subarray(b.byteLength >> 1))
const SIZES = [0, 1, 1199, 1200, 4096, 65_519]

describe('nodeNoiseCrypto', () => {
  const k = randomBytes(32)
  const ad = randomBytes(32)
  const nonce = Buffer.alloc(12)

  it('encrypts to the same bytes as libp2p’s Node crypto, for messages whole or in pieces, and they decrypt', () => {
    for (const size of SIZES) {
      nonce.writeUInt32LE(size, 4)
      const plaintext = randomBytes(size)
      const expected = flat(defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k))
      expect(flat(nodeNoiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k))).toEqual(expected)
      expect(flat(nodeNoiseCrypto.chaCha20Poly1305Encrypt(asList(plaintext), nonce, ad, k))).toEqual(expected)
      const sealed = nodeNoiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
      expect(flat(defaultCrypto.chaCha20Poly1305Decrypt(sealed instanceof Uint8Array ? sealed : sealed.subarray(), nonce, ad, k))).toEqual(flat(plaintext))
    }
  })

  it('decrypts what libp2p’s Node crypto encrypted, whole or in pieces', () => {
    for (const size of SIZES) {
      nonce.writeUInt32LE(size, 4)
      const plaintext = randomBytes(size)
      const sealed = defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
      const whole = sealed instanceof Uint8Array ? sealed : sealed.subarray()
      expect(flat(nodeNoiseCrypto.chaCha20Poly1305Decrypt(whole, nonce, ad, k))).toEqual(flat(plaintext))
      expect(flat(nodeNoiseCrypto.chaCha20Poly1305Decrypt(asList(whole), nonce, ad, k))).toEqual(flat(plaintext))
    }
  })

  it('rejects a large message whose ciphertext or tag was altered, and one sealed under another key', () => {
    const plaintext = randomBytes(65_519)
    const sealed = Buffer.from((nodeNoiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k) as Uint8ArrayList).subarray())
    for (const at of [0, 30_000, sealed.byteLength - 1]) {
      const bad = Buffer.from(sealed)
      bad[at]! ^= 1
      expect(() => nodeNoiseCrypto.chaCha20Poly1305Decrypt(asList(bad), nonce, ad, k)).toThrow()
    }
    expect(() => nodeNoiseCrypto.chaCha20Poly1305Decrypt(sealed, nonce, ad, randomBytes(32))).toThrow()
  })

  it('hands a large message on as ciphertext and tag without joining them into a new buffer', () => {
    const plaintext = randomBytes(65_519)
    const out = nodeNoiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
    expect(out).toBeInstanceOf(Uint8ArrayList)
    expect([...(out as Uint8ArrayList)].map((b) => b.byteLength)).toEqual([65_519, 16])
  })

  it('makes one key object per session key, and a new one when the key buffer is rewritten in place', () => {
    const key = randomBytes(32)
    const first = keyFor(key)
    expect(keyFor(key)).toBe(first)
    expect(keyFor(Buffer.from(key))).not.toBe(first)
    const plaintext = randomBytes(4096)
    nodeNoiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key)
    key.set(randomBytes(32))
    expect(keyFor(key)).not.toBe(first)
    // Encrypting under the rewritten buffer uses the new key, never the cached one.
    expect(flat(nodeNoiseCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key))).toEqual(flat(defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, key)))
  })
})

describe('a connection between a node on this crypto and a node on libp2p’s stock Noise', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn()
  })

  async function stockNode(): Promise<Libp2p> {
    const { privateKey } = await createIdentity('stock noise peer')
    const node = await createLibp2p({
      privateKey,
      addresses: { listen: LOOPBACK_TCP },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify() },
    })
    cleanup.push(async () => { await node.stop() })
    return node
  }

  async function storeDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'cosmo-noise-'))
    cleanup.push(async () => { await rm(dir, { recursive: true, force: true }) })
    return dir
  }

  it('moves an attachment both ways, byte-identical', { timeout: 60_000 }, async () => {
    const ours = await startNode()
    cleanup.push(async () => { await ours.stop() })
    const stock = await stockNode()
    const [ourStore, stockStore] = [new FsBlobStore(await storeDir()), new FsBlobStore(await storeDir())]
    const fromStock = randomBytes(4 * 1024 * 1024 + 12_345)
    const fromOurs = randomBytes(3 * 1024 * 1024 + 777)
    const stockInfo = await stockStore.put(fromStock)
    const ourInfo = await ourStore.put(fromOurs)
    await new BlobService(stock, { store: stockStore, mayServe: async (h) => h === stockInfo.hash }).start()
    await new BlobService(ours, { store: ourStore, mayServe: async (h) => h === ourInfo.hash }).start()

    await ours.dial(stock.getMultiaddrs())
    await fetchBlob(ours, ourStore, stockInfo, { peers: [stock.peerId], askConnected: false })
    await fetchBlob(stock, stockStore, ourInfo, { peers: [ours.peerId], askConnected: false })

    expect(Buffer.from(await ourStore.get(stockInfo.hash)).equals(fromStock)).toBe(true)
    expect(Buffer.from(await stockStore.get(ourInfo.hash)).equals(fromOurs)).toBe(true)
  })
})
