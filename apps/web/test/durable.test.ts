// @vitest-environment node
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import * as A from '@automerge/automerge/slim'
import { Repo, type Chunk, type StorageAdapterInterface, type StorageKey } from '@automerge/automerge-repo/slim'
import { Commons, createIdentity } from '@cosmolocal/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { durableCommons } from '../src/peer/durable.js'

beforeAll(async () => {
  const wasm = createRequire(import.meta.url).resolve('@automerge/automerge/automerge.wasm')
  await A.initializeWasm(await readFile(wasm))
})

/** Storage whose contents can be read back at any moment: what a reloaded page would find. */
class MapStorage implements StorageAdapterInterface {
  readonly data = new Map<string, Uint8Array>()
  async load(key: StorageKey) {
    return this.data.get(key.join('/'))
  }
  async save(key: StorageKey, value: Uint8Array) {
    this.data.set(key.join('/'), value)
  }
  async remove(key: StorageKey) {
    this.data.delete(key.join('/'))
  }
  async loadRange(prefix: StorageKey): Promise<Chunk[]> {
    const p = prefix.join('/')
    return [...this.data].filter(([k]) => k.startsWith(p)).map(([k, data]) => ({ key: k.split('/'), data }))
  }
  async removeRange(prefix: StorageKey) {
    for (const k of [...this.data.keys()]) if (k.startsWith(prefix.join('/'))) this.data.delete(k)
  }
}

/** What a fresh page would read from the same storage (a new repo, nothing in memory). */
async function reloaded(storage: MapStorage, url: string, identity: Awaited<ReturnType<typeof createIdentity>>) {
  const repo = new Repo({ storage: structuredCloneStorage(storage), network: [] })
  try {
    return await new Commons(repo, identity).design(url)
  } finally {
    await repo.shutdown().catch(() => {})
  }
}

function structuredCloneStorage(storage: MapStorage): MapStorage {
  const copy = new MapStorage()
  for (const [k, v] of storage.data) copy.data.set(k, v.slice())
  return copy
}

async function scenario(wrap: boolean) {
  const storage = new MapStorage()
  const repo = new Repo({ storage, network: [] })
  const identity = await createIdentity('alice')
  const plain = new Commons(repo, identity)
  const commons = wrap ? durableCommons(plain, repo) : plain
  const url = await commons.createDesign({ title: 'Loom' })
  await commons.addBomRow(url, { name: 'Side bar', quantity: 2 })
  // the page is reloaded right now: only what storage holds survives
  const after = await reloaded(storage, url, identity).catch(() => null)
  await repo.shutdown().catch(() => {})
  return after?.content.bom.map((r) => r.name) ?? null
}

describe('durable commons', () => {
  it('an edit is in storage when the operation returns, so a reload right after keeps it', async () => {
    expect(await scenario(true)).toEqual(['Side bar'])
  })

  it('(control) without it, automerge-repo has not saved the edit yet at that moment', async () => {
    expect(await scenario(false)).not.toEqual(['Side bar'])
  })

  it('passes reads and their results through untouched', async () => {
    const repo = new Repo({ storage: new MapStorage(), network: [] })
    const commons = durableCommons(new Commons(repo, await createIdentity('bob')), repo)
    const url = await commons.createDesign({ title: 'Sifter' })
    expect((await commons.design(url)).content.title).toBe('Sifter')
    expect(commons.repo).toBe(repo)
    await repo.shutdown().catch(() => {})
  })
})
