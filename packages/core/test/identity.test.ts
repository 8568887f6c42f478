import { describe, expect, it } from 'vitest'
import { createIdentity, InvalidInputError, parseIdentity, parsePersonId, serializeIdentity } from '../src/index.js'
import { keyCounters, signBytes, verifySignature } from '../src/identity.js'

describe('identity', () => {
  it('an identity is an Ed25519 key whose id is its libp2p PeerId', async () => {
    const me = await createIdentity('  Alice ')
    expect(me.name).toBe('Alice')
    expect(me.id).toMatch(/^12D3KooW/)
    expect(parsePersonId(me.id)).toBe(me.id)
  })

  it('round-trips through its key file, recomputing the id from the key', async () => {
    const me = await createIdentity('alice')
    const back = parseIdentity(JSON.parse(JSON.stringify(serializeIdentity(me))))
    expect(back.id).toBe(me.id)
    expect(back.name).toBe('alice')
  })

  it('rejects a key file whose id does not match its key', async () => {
    const a = serializeIdentity(await createIdentity('a'))
    const b = await createIdentity('b')
    expect(() => parseIdentity({ ...a, id: b.id })).toThrow(/does not match/)
  })

  it('rejects malformed key files and names', async () => {
    expect(() => parseIdentity(null)).toThrow(InvalidInputError)
    expect(() => parseIdentity({ version: 2 })).toThrow(/version/)
    expect(() => parseIdentity({ version: 1, name: 'x', privateKey: 'AAAA' })).toThrow(/unreadable key/)
    await expect(createIdentity('   ')).rejects.toThrow(/name is required/)
    expect(() => parsePersonId('not-a-peer')).toThrow(/not a person id/)
  })
})

describe('signature checks', () => {
  it("checking many of one person's signatures parses their key once, and still tells good from bad", async () => {
    const me = await createIdentity('alice')
    const data = Array.from({ length: 20 }, (_, i) => new TextEncoder().encode(`record ${i}`))
    const sigs = await Promise.all(data.map((d) => signBytes(me, d)))
    const before = keyCounters.parsed
    const results = await Promise.all(data.map((d, i) => verifySignature(me.id, d, sigs[i]!)))
    expect(results.every((ok) => ok)).toBe(true)
    const flipped = sigs[0]!.slice()
    flipped[0]! ^= 1
    expect(await verifySignature(me.id, data[0]!, flipped)).toBe(false)
    expect(await verifySignature(me.id, data[1]!, sigs[0]!)).toBe(false)
    expect(await verifySignature(me.id, data[0]!, sigs[0]!.subarray(0, 63))).toBe(false)
    expect(keyCounters.parsed - before).toBe(1)
  })

  it('an id that names no Ed25519 key verifies nothing, and is parsed once', async () => {
    const me = await createIdentity('alice')
    const sig = await signBytes(me, new Uint8Array([1]))
    const before = keyCounters.parsed
    for (let i = 0; i < 3; i++) expect(await verifySignature('not-a-peer-id', new Uint8Array([1]), sig)).toBe(false)
    expect(keyCounters.parsed - before).toBe(1)
  })
})
