import { describe, expect, it } from 'vitest'
import { createIdentity, InvalidInputError, parseIdentity, parsePersonId, serializeIdentity } from '../src/index.js'

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
