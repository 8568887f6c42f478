/** Per-peer budgets and the deny list on their own, with a clock the test moves. */
import { createIdentity } from '@cosmolocal/core'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DenyList, PeerBudgets, PolicyFileError } from '../src/index.js'
import { Scratch } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

function clocked(limits: ConstructorParameters<typeof PeerBudgets>[0]) {
  let now = 1_000_000
  const budgets = new PeerBudgets({ windowMs: 60_000, cutoffMs: 30_000, minMessageChargeBytes: 1, ...limits }, () => now)
  return { budgets, advance: (ms: number) => (now += ms) }
}

describe('per-peer budgets', () => {
  it("one peer spending its whole budget leaves another peer's untouched", () => {
    const { budgets } = clocked({ bytesPerWindow: 1000 })
    expect(budgets.charge('mallory', 1000)).toBeNull()
    expect(budgets.charge('mallory', 1)).toMatchObject({ code: 'over-limit' })
    expect(budgets.charge('bob', 1000)).toBeNull()
  })

  it('a peer over its budget is refused for cutoffMs, then starts again', () => {
    const { budgets, advance } = clocked({ bytesPerWindow: 1000 })
    expect(budgets.charge('mallory', 1001)?.message).toMatch(/more than 1000 bytes in 60 s\); try again in 30 s/)
    advance(29_000)
    expect(budgets.admit('mallory')?.message).toMatch(/try again in 1 s/)
    expect(budgets.charge('mallory', 1)).toMatchObject({ code: 'over-limit' })
    advance(1_000)
    expect(budgets.admit('mallory')).toBeNull()
    expect(budgets.charge('mallory', 500)).toBeNull()
  })

  it('a budget refills evenly over the window', () => {
    const { budgets, advance } = clocked({ bytesPerWindow: 600 })
    expect(budgets.charge('p', 600)).toBeNull()
    advance(10_000) // a sixth of the window: 100 bytes back
    expect(budgets.charge('p', 100)).toBeNull()
    expect(budgets.charge('p', 1)).not.toBeNull()
  })

  it('a new document counts once, however many messages name it', () => {
    const { budgets } = clocked({ newDocumentsPerWindow: 2, bytesPerWindow: 1e9 })
    for (let i = 0; i < 10; i++) expect(budgets.charge('p', 1, 'doc-a')).toBeNull()
    expect(budgets.charge('p', 1, 'doc-b')).toBeNull()
    expect(budgets.charge('p', 1, 'doc-c')?.message).toMatch(/more than 2 new documents/)
  })

  it('every message counts at least minMessageChargeBytes', () => {
    const { budgets } = clocked({ bytesPerWindow: 10_000, minMessageChargeBytes: 1024 })
    for (let i = 0; i < 9; i++) expect(budgets.charge('p', 1)).toBeNull()
    expect(budgets.charge('p', 1)).not.toBeNull()
  })
})

describe('the deny list', () => {
  it('is kept in its file, and read back', async () => {
    const file = join(await scratch.dir(), 'denied.json')
    const alice = await createIdentity('alice')
    const list = await DenyList.load(file)
    await list.deny(alice.id, 'spam')
    expect((await DenyList.load(file)).list()).toEqual([expect.objectContaining({ id: alice.id, note: 'spam' })])
    expect(await list.allow(alice.id)).toBe(true)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ v: 1, denied: [] })
  })

  it('a file that does not parse is an error naming it, never an empty list', async () => {
    const file = join(await scratch.dir(), 'denied.json')
    for (const text of ['not json', '{"v":2,"denied":[]}', '{"v":1,"denied":[{"id":"nope","since":"2026-01-01T00:00:00Z"}]}', 'null']) {
      await writeFile(file, text)
      await expect(DenyList.load(file)).rejects.toThrow(PolicyFileError)
    }
  })
})
