/** The blob protocol's messages alone: the hand-built chunk encoding is the generic one, byte for byte. */
import { describe, expect, it } from 'vitest'
import { encodeBlobMessage, encodeChunkMessage, parseBlobResponse } from '../src/blob-messages.js'

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

describe('chunk messages', () => {
  it('encodes a chunk exactly as the generic CBOR encoder does, for every size class of index and length', () => {
    for (const index of [0, 23, 24, 255, 256, 65535, 65536, 1023, 0xffffffff]) {
      for (const length of [0, 1, 23, 24, 255, 256, 65535, 65536, 1024 * 1024]) {
        const data = new Uint8Array(length).fill(index & 0xff)
        const pieces = encodeChunkMessage(index, data)
        expect(pieces[1]).toBe(data)
        expect(joined(pieces)).toEqual(new Uint8Array(encodeBlobMessage({ t: 'chunk', index, data })))
        expect(parseBlobResponse(joined(pieces))).toEqual({ t: 'chunk', index, data })
      }
    }
  })

  it('refuses an index that is not a 32-bit unsigned integer', () => {
    expect(() => encodeChunkMessage(-1, new Uint8Array(1))).toThrow(RangeError)
    expect(() => encodeChunkMessage(2 ** 32, new Uint8Array(1))).toThrow(RangeError)
    expect(() => encodeChunkMessage(1.5, new Uint8Array(1))).toThrow(RangeError)
  })
})
