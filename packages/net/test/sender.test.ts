/**
 * The frame sender on a real libp2p stream (TCP, Noise, yamux on loopback): frames queued in one
 * task (an event loop callback and its microtasks) travel together, in pieces of at most WRITE_CHUNK_BYTES, and arrive
 * whole and in order whatever their sizes.
 */
import type { Stream, StreamMessageEvent } from '@libp2p/interface'
import { afterEach, describe, expect, it } from 'vitest'
import { FrameDecoder, type CosmoNode } from '../src/index.js'
import { MAX_FRAME_BYTES, WRITE_CHUNK_BYTES } from '../src/limits.js'
import { FrameSender } from '../src/sender.js'
import { dial, startNode, waitFor } from './helpers.js'

const PROTOCOL = '/cosmolocal-test/frames/1'
const nodes: CosmoNode[] = []
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
})

/** A sender on one end of a fresh stream; on the other, every piece that arrived and the frames they make. */
async function link(): Promise<{ sender: FrameSender; stream: Stream; pieces: number[]; frames: Uint8Array[]; ended: Promise<void> }> {
  const [a, b] = [await startNode(), await startNode()]
  nodes.push(a, b)
  const pieces: number[] = []
  const frames: Uint8Array[] = []
  const decoder = new FrameDecoder(MAX_FRAME_BYTES)
  const end = Promise.withResolvers<void>()
  await b.handle(PROTOCOL, (stream: Stream) => {
    stream.addEventListener('remoteCloseWrite', () => end.resolve())
    stream.addEventListener('message', (evt: StreamMessageEvent) => {
      const data = evt.data instanceof Uint8Array ? evt.data : evt.data.subarray()
      pieces.push(data.byteLength)
      for (const f of decoder.push(data)) frames.push(Uint8Array.from(f))
    })
  })
  const conn = await dial(a, b)
  const stream = await conn.newStream(PROTOCOL)
  return { sender: new FrameSender(stream, (err) => { throw err }), stream, pieces, frames, ended: end.promise }
}

/** A seeded generator (mulberry32): a failure names its case. */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s + 0x6d2b79f5) | 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const body = (length: number, tag: number) => new Uint8Array(length).fill(tag % 251)

describe('FrameSender', () => {
  it('sends a burst of small frames queued in one task as a few pieces, not one per frame', async () => {
    const { sender, pieces, frames } = await link()
    const burst = Array.from({ length: 200 }, (_, i) => body(100 + i, i))
    for (const b of burst) sender.enqueue(b)
    await waitFor(() => frames.length === burst.length, 10_000, 'every frame')
    expect(frames).toEqual(burst)
    // 200 frames of about 200 bytes: under one WRITE_CHUNK_BYTES piece in all.
    expect(pieces.length).toBeLessThanOrEqual(3)
    expect(Math.max(...pieces)).toBeLessThanOrEqual(WRITE_CHUNK_BYTES)
  }, 30_000)

  it('keeps frames of any size whole and in order, queued in one task or across tasks (seed 7)', async () => {
    const { sender, frames } = await link()
    const r = random(7)
    const sent: Uint8Array[] = []
    // Bursts of mixed sizes, some within one task, some across tasks.
    for (let burst = 0; burst < 6; burst++) {
      for (let i = 0; i < 20; i++) {
        const length = r() < 0.15 ? 1 + Math.floor(r() * 3 * WRITE_CHUNK_BYTES) : 1 + Math.floor(r() * 2000)
        const b = body(length, sent.length)
        sent.push(b)
        sender.enqueue(b, { now: r() < 0.1 })
      }
      await new Promise((resolve) => setTimeout(resolve, r() * 20))
    }
    await waitFor(() => frames.length === sent.length, 20_000, 'every frame')
    expect(frames.map((f) => f.byteLength)).toEqual(sent.map((b) => b.byteLength))
    expect(frames).toEqual(sent)
  }, 60_000)

  it('hands what was queued in this task to the stream when told to, so a graceful close right after sends it', async () => {
    const { sender, stream, frames, ended } = await link()
    const last = [body(10, 1), body(70_000, 2), body(20, 3)]
    for (const b of last) sender.enqueue(b)
    sender.sendNow()
    sender.stop()
    await stream.close()
    await ended
    await waitFor(() => frames.length === last.length, 10_000, 'the frames queued before the close')
    expect(frames).toEqual(last)
  }, 30_000)
})
