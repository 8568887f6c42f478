/** The framing layer alone: varint length prefix, reassembly across chunk boundaries, limits. */
import { describe, expect, it } from 'vitest'
import { encodeFrame, encodeVarint, FrameDecoder, FrameTooLargeError, MalformedFrameError } from '../src/index.js'

const bytes = (...values: number[]) => Uint8Array.from(values)

describe('FrameDecoder', () => {
  it('reassembles frames split at every possible byte boundary', () => {
    const bodies = [bytes(1), new Uint8Array(300).fill(7), bytes(9, 8, 7)]
    const wire = Uint8Array.from(bodies.flatMap(b => [...encodeFrame(b)]))
    for (let size = 1; size <= wire.byteLength; size++) {
      const decoder = new FrameDecoder(1024)
      const out: Uint8Array[] = []
      for (let i = 0; i < wire.byteLength; i += size) out.push(...decoder.push(wire.subarray(i, i + size)))
      expect(out).toEqual(bodies)
      expect(decoder.hasPartialFrame).toBe(false)
    }
  })

  it('with reuseBuffer, joins frames that span chunks into one buffer reused from frame to frame, and each is whole when taken', () => {
    const bodies = [new Uint8Array(300).fill(1), new Uint8Array(200).fill(2), bytes(3, 4), new Uint8Array(300).fill(5)]
    const wire = Uint8Array.from(bodies.flatMap(b => [...encodeFrame(b)]))
    const decoder = new FrameDecoder(1024, { reuseBuffer: true })
    const taken: Uint8Array[] = []
    for (let i = 0; i < wire.byteLength; i += 7) {
      decoder.append(wire.subarray(i, i + 7))
      for (let f = decoder.next(); f !== undefined; f = decoder.next()) {
        expect(f).toEqual(bodies[taken.length])
        taken.push(f)
      }
    }
    expect(taken).toHaveLength(4)
    // The joined ones share one buffer: no fresh allocation per frame.
    expect(taken[1]!.buffer).toBe(taken[0]!.buffer)
    expect(taken[3]!.buffer).toBe(taken[0]!.buffer)
  })

  it('encodes lengths as unsigned LEB128 varints', () => {
    expect([...encodeVarint(1)]).toEqual([1])
    expect([...encodeVarint(127)]).toEqual([127])
    expect([...encodeVarint(128)]).toEqual([0x80, 1])
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02])
    expect([...encodeVarint(2 ** 32)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x10])
  })

  it('accepts a frame of exactly the limit and refuses one byte more from the prefix alone', () => {
    expect(new FrameDecoder(300).push(encodeFrame(new Uint8Array(300)))).toHaveLength(1)
    const decoder = new FrameDecoder(300)
    expect(() => decoder.push(encodeVarint(301))).toThrow(FrameTooLargeError)
  })

  it('refuses empty frames and over-long prefixes', () => {
    expect(() => new FrameDecoder(10).push(bytes(0))).toThrow(MalformedFrameError)
    expect(() => new FrameDecoder(2 ** 40).push(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x01))).toThrow(MalformedFrameError)
  })

  it('reports a partial frame until it completes', () => {
    const decoder = new FrameDecoder(100)
    expect(decoder.push(bytes(3, 1))).toEqual([])
    expect(decoder.hasPartialFrame).toBe(true)
    expect(decoder.push(bytes(2, 3))).toEqual([bytes(1, 2, 3)])
    expect(decoder.hasPartialFrame).toBe(false)
    expect(decoder.push(bytes(0x80))).toEqual([])
    expect(decoder.hasPartialFrame).toBe(true)
  })

  it('gives the errors stable names', () => {
    expect(new FrameTooLargeError('x').name).toBe('FrameTooLargeError')
    expect(new MalformedFrameError('x').name).toBe('MalformedFrameError')
  })
})
