/** Whether a document holds changes: the cheap answer agrees with Automerge's own, queue included. */
import * as A from '@automerge/automerge'
import { describe, expect, it } from 'vitest'
import { holds } from '../src/held.js'

function twoChanges() {
  const base = A.from<{ n: number }>({ n: 0 })
  let doc = A.change(A.clone(base), (d) => void (d.n = 1))
  doc = A.change(doc, (d) => void (d.n = 2))
  const [first, second] = A.getChanges(base, doc) as [A.Change, A.Change]
  return { base, doc, first, second, h1: A.decodeChange(first).hash!, h2: A.decodeChange(second).hash! }
}

describe('holds', () => {
  it('says yes for changes the document applied, and for no heads at all', () => {
    const { doc, h1, h2 } = twoChanges()
    expect(holds(doc, [h1, h2])).toBe(true)
    expect(holds(doc, [])).toBe(true)
    expect(holds(A.view(doc, [h1]), [h2])).toBe(A.hasHeads(A.view(doc, [h1]), [h2]))
  })

  it('says no for a change it lacks, alone or beside held ones', () => {
    const { base, doc, h1, h2 } = twoChanges()
    expect(holds(base, [h1])).toBe(false)
    expect(holds(A.change(A.clone(base), (d) => void (d.n = 9)), [h2])).toBe(false)
    expect(holds(doc, [h1, 'ab'.repeat(32)])).toBe(false)
  })

  it('says no for a change that waits in the queue for its dependency (Automerge does not report it missing)', () => {
    const { base, second, h2 } = twoChanges()
    const [queued] = A.applyChanges(A.clone(base), [second])
    expect(A.getMissingDeps(queued, [h2])).not.toContain(h2)
    expect(holds(queued, [h2])).toBe(false)
    expect(A.hasHeads(queued, [h2])).toBe(false)
  })

  it('says no for a malformed hash instead of throwing', () => {
    const { doc, h1 } = twoChanges()
    expect(holds(doc, ['not a hash'])).toBe(false)
    expect(holds(doc, [h1, 'not a hash'])).toBe(false)
  })
})
