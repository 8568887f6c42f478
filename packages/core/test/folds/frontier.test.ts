/**
 * Canonical heads cost what is new, not the number of approvals: a fold over many approved edits
 * asks the content document about each change's presence through its change index, and never
 * rebuilds a change to answer it (counted on the real Automerge backend).
 */
import * as A from '@automerge/automerge'
import { describe, expect, it, vi } from 'vitest'
import { createIdentity, designIdFor, foldGovernance, signRecord, type ChangeHash, type RecordId, type SignedRecord } from '../../src/index.js'

describe('canonical heads of many approvals', () => {
  it('a fold over 40 approved edits rebuilds no change and looks up no change metadata one by one', { timeout: 60_000 }, async () => {
    const alice = await createIdentity('alice')
    const design = designIdFor(alice.id, 'g')
    let doc = A.from<{ n: number }>({ n: 0 })
    const genesis = await signRecord(alice, {
      design,
      heads: A.getHeads(doc),
      payload: { kind: 'genesis', nonce: 'g', content: design, inbox: design, forkedFrom: null, title: '' },
    })
    const records: SignedRecord[] = [genesis]
    for (let i = 1; i <= 40; i++) {
      doc = A.change(doc, (d) => void (d.n = i))
      records.push(
        await signRecord(alice, {
          design,
          prev: [records.at(-1)!.id] as RecordId[],
          heads: A.getHeads(doc),
          payload: { kind: 'content', reason: 'edit', summary: `edit ${i}`, proposal: null },
        }),
      )
    }
    const backend = Object.getPrototypeOf(A.getBackend(doc)) as Record<string, (...args: unknown[]) => unknown>
    const built = vi.spyOn(backend, 'getChangeByHash')
    const meta = vi.spyOn(backend, 'getChangeMetaByHash')
    try {
      const { state } = foldGovernance(design, records, doc)
      expect(state.canonicalHeads).toEqual(A.getHeads(doc) as ChangeHash[])
      expect(built).not.toHaveBeenCalled()
      expect(meta).not.toHaveBeenCalled()
    } finally {
      built.mockRestore()
      meta.mockRestore()
    }
  })
})
