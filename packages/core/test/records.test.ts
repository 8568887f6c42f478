import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { concatBytes, utf8 } from '../src/bytes.js'
import {
  createIdentity,
  decodeRecord,
  designIdFor,
  InvalidInputError,
  MAX_RECORD_BYTES,
  RECORD_SIGNING_DOMAIN,
  signRecord,
  verifyRecord,
  type DesignId,
} from '../src/index.js'

const design = async () => designIdFor((await createIdentity('x')).id, 'n') as DesignId

describe('signed records', () => {
  it('a signed record verifies for its design and keeps its body', async () => {
    const me = await createIdentity('alice')
    const d = await design()
    const r = await signRecord(me, { design: d, payload: { kind: 'comment', subject: 's', text: 'hello' } })
    const v = await verifyRecord(r.bytes, d)
    expect(v.id).toBe(r.id)
    expect(v.body.author).toBe(me.id)
    expect(v.body.payload).toEqual({ kind: 'comment', subject: 's', text: 'hello' })
  })

  it('rejects a record whose signature was altered', async () => {
    const me = await createIdentity('alice')
    const d = await design()
    const r = await signRecord(me, { design: d, payload: { kind: 'comment', subject: 's', text: 'hello' } })
    const env = dagCbor.decode(r.bytes) as { body: unknown; sig: Uint8Array }
    env.sig[0]! ^= 1
    await expect(verifyRecord(dagCbor.encode(env), d)).rejects.toThrow('signature does not verify')
  })

  it('rejects a record whose body was altered after signing', async () => {
    const me = await createIdentity('alice')
    const d = await design()
    const r = await signRecord(me, { design: d, payload: { kind: 'comment', subject: 's', text: 'hello' } })
    const env = dagCbor.decode(r.bytes) as { body: { payload: { text: string } }; sig: Uint8Array }
    env.body.payload.text = 'goodbye'
    await expect(verifyRecord(dagCbor.encode(env), d)).rejects.toThrow('signature does not verify')
  })

  it('rejects a record replayed into another design', async () => {
    const me = await createIdentity('alice')
    const r = await signRecord(me, { design: await design(), payload: { kind: 'comment', subject: 's', text: 'x' } })
    await expect(verifyRecord(r.bytes, await design())).rejects.toThrow('record is bound to another design')
  })

  it('rejects an unknown kind even when correctly signed', async () => {
    const me = await createIdentity('alice')
    const d = await design()
    const body = { v: 1, design: d, author: me.id, time: 1, prev: [], base: [], heads: [], payload: { kind: 'bogus' } }
    const encoded = dagCbor.encode(body)
    const sig = await me.privateKey.sign(concatBytes(utf8.encode(RECORD_SIGNING_DOMAIN), encoded))
    await expect(verifyRecord(dagCbor.encode({ body, sig }), d)).rejects.toThrow('unknown record kind: bogus')
  })

  it('rejects garbage, oversized and unsorted input with a reason', async () => {
    const d = await design()
    await expect(verifyRecord(new Uint8Array([1, 2, 3]), d)).rejects.toThrow(/malformed record/)
    expect(() => decodeRecord(new Uint8Array(MAX_RECORD_BYTES + 1))).toThrow(/larger than/)
    const me = await createIdentity('alice')
    const body = { v: 1, design: d, author: me.id, time: 1, prev: ['b'.repeat(64), 'a'.repeat(64)], base: [], heads: [], payload: { kind: 'comment', subject: '', text: '' } }
    expect(() => decodeRecord(dagCbor.encode({ body, sig: new Uint8Array(64) }))).toThrow(/prev not sorted/)
  })

  it('a signature made for a record is domain-separated: the bare body signature does not verify', async () => {
    const me = await createIdentity('alice')
    const d = await design()
    const body = { v: 1, design: d, author: me.id, time: 1, prev: [], base: [], heads: [], payload: { kind: 'comment', subject: '', text: 'x' } }
    const sig = await me.privateKey.sign(dagCbor.encode(body))
    await expect(verifyRecord(dagCbor.encode({ body, sig }), d)).rejects.toThrow('signature does not verify')
  })

  it('refuses to sign a malformed payload', async () => {
    const me = await createIdentity('alice')
    await expect(
      signRecord(me, { design: await design(), payload: { kind: 'governance', action: { op: 'threshold', k: 0 }, nonce: 'n' } }),
    ).rejects.toBeInstanceOf(InvalidInputError)
  })
})

describe('record kinds of the peer-production layer', () => {
  const hash = 'a'.repeat(64)
  it('needs, build reports and updates round-trip through signing and verification', async () => {
    const me = await createIdentity('alice')
    const d = await design()
    const payloads = [
      { kind: 'need', op: 'open', title: 'Cheaper hinge', body: 'brass is dear', labels: ['hardware', 'help wanted'], about: 'row1' },
      { kind: 'need', op: 'claim', need: hash },
      { kind: 'need', op: 'close', need: hash, by: d },
      { kind: 'make', place: 'Nairobi, KE', result: 'works', changes: 'pine for oak', notes: '', photos: [{ name: 'loom.jpg', hash, size: 10, root: hash, mediaType: 'image/jpeg' }] },
      { kind: 'content', reason: 'update', summary: 'took upstream', proposal: null, from: { design: d, heads: [hash] } },
    ] as const
    for (const payload of payloads) {
      const r = await signRecord(me, { design: d, payload: payload as never })
      expect((await verifyRecord(r.bytes, d)).body.payload).toEqual(payload)
    }
  })

  it('refuses malformed ones with a reason', async () => {
    const me = await createIdentity('alice')
    const d = await design()
    const bad = [
      { kind: 'need', op: 'open', title: 'x', body: '', labels: 'one', about: null },
      { kind: 'need', op: 'explode', need: hash },
      { kind: 'make', place: '', result: 'maybe', changes: '', notes: '', photos: [] },
      { kind: 'make', place: '', result: 'works', changes: '', notes: '', photos: [{ name: 'p', hash: 'nothex', size: 1, root: hash, mediaType: 'image/png' }] },
    ]
    for (const payload of bad) {
      await expect(signRecord(me, { design: d, payload: payload as never })).rejects.toBeInstanceOf(InvalidInputError)
    }
  })
})
