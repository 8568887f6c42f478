/**
 * Moving content between related documents: only what is signed (up to given heads) crosses, and
 * a view never smuggles in what lies beyond the heads it was taken at.
 */
import * as A from '@automerge/automerge'
import { describe, expect, it } from 'vitest'
import { mergeUpTo, missingChanges } from '../../src/commons/merge.js'

type Doc = { rows: Record<string, string> }

/** An upstream, a fork of it, and the fork's changes: two signed, one beyond what was signed. */
function fixture() {
  const upstream = A.change(A.from<Doc>({ rows: {} }), (d) => (d.rows.a = 'frame'))
  let fork = A.clone(upstream)
  fork = A.change(fork, (d) => (d.rows.b = 'oak'))
  fork = A.change(fork, (d) => (d.rows.c = 'linen'))
  const signed = A.getHeads(fork)
  fork = A.change(fork, (d) => (d.rows.d = 'unsigned'))
  return { upstream, fork, signed }
}

describe('mergeUpTo', () => {
  it("takes everything when the heads are the other document's own, as a merge does", () => {
    const { upstream, fork } = fixture()
    const merged = mergeUpTo(A.clone(upstream), fork, A.getHeads(fork))
    expect(merged.rows).toEqual({ a: 'frame', b: 'oak', c: 'linen', d: 'unsigned' })
    expect(A.getHeads(merged)).toEqual(A.getHeads(fork))
  })

  it('takes only the changes up to the given heads, never what came after them', () => {
    const { upstream, fork, signed } = fixture()
    const merged = mergeUpTo(A.clone(upstream), fork, signed)
    expect(merged.rows).toEqual({ a: 'frame', b: 'oak', c: 'linen' })
    expect(A.getHeads(merged)).toEqual(signed)
  })

  it("a view at the signed heads brings only what the view shows, not its backend's later changes", () => {
    const { upstream, fork, signed } = fixture()
    const merged = mergeUpTo(A.clone(upstream), A.view(fork, signed), signed)
    expect(merged.rows).toEqual({ a: 'frame', b: 'oak', c: 'linen' })
  })

  it('keeps what the receiver has of its own, and adds nothing it already holds', () => {
    const { upstream, fork, signed } = fixture()
    const mine = A.change(A.clone(upstream), (d) => (d.rows.e = 'local'))
    const merged = mergeUpTo(mine, fork, signed)
    expect(merged.rows).toEqual({ a: 'frame', b: 'oak', c: 'linen', e: 'local' })
    expect(missingChanges(fork, signed, merged)).toEqual([])
  })
})
