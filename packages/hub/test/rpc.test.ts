/**
 * The one-frame request/response the catalogue and hub-peering protocols use, between two real
 * libp2p nodes on loopback, against answers that are good, late, oversized, cut short or junk.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { createIdentity } from '@cosmolocal/core'
import { createNodePeer, encodeVarint, type CosmoNode } from '@cosmolocal/net'
import type { Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOne, request, writeOne } from '../src/index.js'

const PROTOCOL = '/cosmolocal-test/rpc/1'
const MAX = 1024

/** What the answering side does with a request, one protocol per case. */
const ANSWERS: Record<string, (stream: Stream) => Promise<void>> = {
  echo: async (stream) => writeOne(stream, { echoed: await readOne(stream, MAX, AbortSignal.timeout(5_000)) }),
  // The answer, then the stream left open: the frame alone is the answer.
  'answer and stay open': async (stream) => {
    await readOne(stream, MAX, AbortSignal.timeout(5_000))
    stream.send(new Uint8Array([...encodeVarint(3), ...dagCbor.encode('hi')]))
  },
  // A prefix promising more than the asker takes; the bytes never follow.
  oversized: async (stream) => {
    await readOne(stream, MAX, AbortSignal.timeout(5_000))
    stream.send(encodeVarint(MAX + 1))
  },
  'close without answering': async (stream) => {
    await readOne(stream, MAX, AbortSignal.timeout(5_000))
    await stream.close()
  },
  'cut short': async (stream) => {
    await readOne(stream, MAX, AbortSignal.timeout(5_000))
    stream.send(new Uint8Array([...encodeVarint(100), 1, 2, 3]))
    await stream.close()
  },
  junk: async (stream) => {
    await readOne(stream, MAX, AbortSignal.timeout(5_000))
    stream.send(new Uint8Array([...encodeVarint(2), 0xff, 0xff]))
    await stream.close()
  },
  silent: async (stream) => {
    await readOne(stream, MAX, AbortSignal.timeout(5_000))
  },
}

let server: CosmoNode
let client: CosmoNode

beforeAll(async () => {
  server = await createNodePeer({ privateKey: (await createIdentity('server')).privateKey, listen: ['/ip4/127.0.0.1/tcp/0'] })
  client = await createNodePeer({ privateKey: (await createIdentity('client')).privateKey, listen: [] })
  for (const [what, answer] of Object.entries(ANSWERS)) {
    await server.handle(`${PROTOCOL}/${what.replaceAll(' ', '-')}`, (stream) => answer(stream).catch((err: Error) => stream.abort(err)))
  }
})

afterAll(async () => {
  await client.stop()
  await server.stop()
})

function ask(what: string, timeoutMs = 5_000): Promise<unknown> {
  const protocol = `${PROTOCOL}/${what.replaceAll(' ', '-')}`
  return request(client, multiaddr(server.getMultiaddrs()[0]!.toString()), protocol, { case: what }, { maxBytes: MAX, timeoutMs })
}

describe('one frame each way', () => {
  it('returns the answer to a request', async () => {
    expect(await ask('echo')).toEqual({ echoed: { case: 'echo' } })
  })

  it('takes the answer as soon as its frame arrives, while the peer keeps the stream open', async () => {
    expect(await ask('answer and stay open', 20_000)).toBe('hi')
  })

  it.each([
    ['oversized', /over 1024 bytes/],
    ['close without answering', /without a complete answer/],
    ['cut short', /without a complete answer/],
    ['junk', /undecodable/],
  ])('refuses an answer that is %s with a CatalogueProtocolError', async (what, message) => {
    const err = await ask(what).then(
      () => null,
      (e: Error) => e,
    )
    expect(err?.name).toBe('CatalogueProtocolError')
    expect(err?.message).toMatch(message)
  })

  it('gives up on a peer that never answers with a PeerUnreachableError', async () => {
    const err = await ask('silent', 500).then(
      () => null,
      (e: Error) => e,
    )
    expect(err?.name).toBe('PeerUnreachableError')
  })
})
