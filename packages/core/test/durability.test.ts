/**
 * Success means durable: every Commons operation returns only once what it wrote has gone through
 * the write hook (by default a flush of those documents to the repo's storage). automerge-repo
 * saves a changed document at most every 100 ms on its own; a browser page reloaded, or a command
 * that exits, inside that window would lose the edit.
 */
import { Repo } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import { Commons, createIdentity } from '../src/index.js'
import { MapStorage } from './helpers.js'

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

async function scenario(hook: boolean) {
  const storage = new MapStorage()
  const repo = new Repo({ storage, network: [] })
  const identity = await createIdentity('alice')
  const commons = hook ? new Commons(repo, identity) : new Commons(repo, identity, null, { onWrite: async () => {} })
  const url = await commons.createDesign({ title: 'Loom' })
  await commons.addBomRow(url, { name: 'Side bar', quantity: 2 })
  // the page is reloaded right now: only what storage holds survives
  const after = await reloaded(storage, url, identity).catch(() => null)
  await repo.shutdown().catch(() => {})
  return after?.content.bom.map((r) => r.name) ?? null
}

describe('the write hook', () => {
  it('an edit is in storage when the operation returns, so a reload right after keeps it', async () => {
    expect(await scenario(true)).toEqual(['Side bar'])
  })

  it('(control) without it, automerge-repo has not saved the edit yet at that moment', async () => {
    expect(await scenario(false)).not.toEqual(['Side bar'])
  })

  it('is called once per operation with the documents it wrote, and never for reads', async () => {
    const repo = new Repo({ storage: new MapStorage(), network: [] })
    const calls: string[][] = []
    const commons = new Commons(repo, await createIdentity('bob'), null, {
      onWrite: async (ids) => {
        calls.push([...ids].sort())
        await repo.flush(ids)
      },
    })
    const url = await commons.createDesign({ title: 'Sifter' })
    const d = await commons.design(url)
    expect(calls).toEqual([[d.id, d.contentId, d.inboxId].sort()])
    await commons.design(url)
    await commons.log(url)
    expect(calls).toHaveLength(1)
    await commons.addBomRow(url, { name: 'mesh', quantity: 1 })
    expect(calls[1]).toEqual([d.id, d.contentId].sort())
    await repo.shutdown().catch(() => {})
  })
})
