/**
 * Core's verified-state cache on disk: a second process starts from what the first verified, and
 * a damaged, edited or deleted cache directory is rebuilt from history, never believed.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Repo } from '@automerge/automerge-repo'
import { Commons, createIdentity } from '@cosmolocal/core'
import { afterEach, describe, expect, it } from 'vitest'
import { AtomicFsStorageAdapter, FsCacheBackend } from '../src/index.js'

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

async function home() {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-cache-'))
  dirs.push(dir)
  return { store: join(dir, 'repo'), cache: join(dir, 'cache') }
}

/** A process: a repo on the store and a Commons on the cache. */
function open(h: { store: string; cache: string }, identity: Awaited<ReturnType<typeof createIdentity>> | null) {
  const storage = new AtomicFsStorageAdapter(h.store)
  const repo = new Repo({ storage, network: [] })
  const commons = new Commons(repo, identity, null, { cache: new FsCacheBackend(h.cache) })
  return {
    commons,
    async close() {
      await commons.settled()
      await repo.flush()
      await storage.settled()
    },
  }
}

describe('FsCacheBackend', () => {
  it('keeps entries as files, whole, with the secret readable by its owner only', async () => {
    const h = await home()
    const cache = new FsCacheBackend(h.cache)
    expect(await cache.get('design/x')).toBeUndefined()
    await cache.put('design/x', new Uint8Array([1, 2, 3]))
    expect(await cache.get('design/x')).toEqual(new Uint8Array([1, 2, 3]))
    await cache.put('secret', new Uint8Array(32))
    expect((await stat(join(h.cache, 'secret'))).mode & 0o777).toBe(0o600)
    await cache.delete('design/x')
    expect(await cache.get('design/x')).toBeUndefined()
  })

  it('a second process reads a design from the cache: no change decoded, no signature checked', async () => {
    const h = await home()
    const first = open(h, await createIdentity('alice'))
    const design = await first.commons.createDesign({ title: 'Loom' })
    await first.commons.addBomRow(design, { name: 'frame', quantity: 2 })
    const seen = await first.commons.design(design)
    await first.close()
    const second = open(h, null)
    const again = await second.commons.design(design)
    expect(again.content).toEqual(seen.content)
    expect(second.commons.counters).toMatchObject({ changesDecoded: 0, signaturesVerified: 0, designFolds: 0 })
    await second.close()
  })

  it('a damaged or deleted cache is rebuilt and gives the same design', async () => {
    const h = await home()
    const first = open(h, await createIdentity('alice'))
    const design = await first.commons.createDesign({ title: 'Loom' })
    const seen = await first.commons.design(design)
    await first.close()
    for (const name of await readdir(h.cache)) {
      if (name === 'secret') continue
      const bytes = await readFile(join(h.cache, name))
      bytes[Math.floor(bytes.length / 2)]! ^= 0x55
      await writeFile(join(h.cache, name), bytes)
    }
    const damaged = open(h, null)
    expect((await damaged.commons.design(design)).content).toEqual(seen.content)
    expect(damaged.commons.cacheCounters.rejected).toBeGreaterThan(0)
    await damaged.close()
    await rm(h.cache, { recursive: true })
    const fresh = open(h, null)
    expect((await fresh.commons.design(design)).state.canonicalHeads).toEqual(seen.state.canonicalHeads)
    await fresh.close()
  })

  it('removes temporary files a killed writer left', async () => {
    const h = await home()
    const cache = new FsCacheBackend(h.cache)
    await cache.put('a', new Uint8Array([1]))
    const stale = join(h.cache, '.a.tmp-999999999-0011aabb')
    await writeFile(stale, 'half')
    await new FsCacheBackend(h.cache).get('a')
    expect(await readdir(h.cache)).toEqual(['a'])
  })
})
