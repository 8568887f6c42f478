import { describe, expect, it } from 'vitest'
import { createIdentity, parseIdentity, serializeIdentity } from '../src/index.js'
import { summarizeIdentityFile } from '../src/identity-file.js'
import { base64Decode, base64Encode } from '../src/bytes.js'

describe('reading a key file without libp2p crypto', () => {
  it('derives the same id as libp2p does, for many keys', async () => {
    for (let i = 0; i < 20; i++) {
      const file = serializeIdentity(await createIdentity(`person ${i}`))
      expect(await summarizeIdentityFile(file)).toEqual({ id: parseIdentity(file).id, name: `person ${i}` })
    }
  })

  it('refuses a file whose id is not its key, or whose key halves do not match', async () => {
    const a = serializeIdentity(await createIdentity('a'))
    const b = serializeIdentity(await createIdentity('b'))
    await expect(summarizeIdentityFile({ ...a, id: b.id })).rejects.toThrow(/does not match its key/)
    const key = base64Decode(a.privateKey)
    key.set(base64Decode(b.privateKey).subarray(36), 36)
    await expect(summarizeIdentityFile({ ...a, id: undefined, privateKey: base64Encode(key) })).rejects.toThrow(/inconsistent/)
    await expect(summarizeIdentityFile({ ...a, privateKey: base64Encode(new Uint8Array(10)) })).rejects.toThrow(/Ed25519/)
    await expect(summarizeIdentityFile({ ...a, version: 2 })).rejects.toThrow(/version/)
    await expect(summarizeIdentityFile(null)).rejects.toThrow(/not an object/)
  })
})
