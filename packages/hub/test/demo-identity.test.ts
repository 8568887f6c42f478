import { createIdentity, parseIdentity, serializeIdentity } from '@cosmolocal/core'
import { afterAll, describe, expect, it } from 'vitest'
import { Scratch, testHub } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

describe('a sample hub’s shared demo identity', () => {
  it('is served at /api/demo-identity when the hub is given one, and is a 404 otherwise', async () => {
    const demo = await createIdentity('Amara (OHLOOM maintainer)')
    const { hub } = await testHub(await scratch.dir(), { demoIdentity: { name: demo.name, key: serializeIdentity(demo) } })
    const plain = (await testHub(await scratch.dir())).hub
    try {
      const res = await fetch(new URL('/api/demo-identity', hub.http))
      expect(res.status).toBe(200)
      const body = (await res.json()) as { name: string; key: unknown }
      expect(body.name).toBe('Amara (OHLOOM maintainer)')
      expect(parseIdentity(body.key).id).toBe(demo.id)
      expect((await fetch(new URL('/api/demo-identity', plain.http))).status).toBe(404)
    } finally {
      await hub.stop()
      await plain.stop()
    }
  }, 60_000)
})
