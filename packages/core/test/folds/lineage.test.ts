/** Ahead / behind, table by table: pure, no Repo (content ancestry is a small hand-made change graph). */
import { describe, expect, it } from 'vitest'
import { divergence, signedChangesAhead, type ChangeHash, type ContentAncestry, type DocumentId, type LineageSide } from '../../src/index.js'

/** A change graph: each change names its parents. */
type Graph = Record<string, string[]>

const h = (c: string) => c as ChangeHash

/** The ancestry of a document holding exactly the changes of `graph`. */
function ancestry(graph: Graph): ContentAncestry {
  const ancestors = (of: readonly string[]) => {
    const out = new Set<string>()
    const stack = [...of]
    while (stack.length > 0) {
      const c = stack.pop()!
      if (out.has(c)) continue
      out.add(c)
      stack.push(...(graph[c] ?? []))
    }
    return out
  }
  return {
    covers: (of, heads) => heads.every((x) => x in graph) && of.every((x) => x in graph) && of.length > 0 && heads.every((x) => ancestors(of).has(x)),
  }
}

/** Approved, held approvals with these heads, in order. */
const approvals = (...sets: string[][]) => sets.map((heads) => ({ heads: heads.map(h), approved: true, available: true }))

function side(graph: Graph, canonical: string[], sets: string[][]): LineageSide {
  return { approvals: approvals(...sets), canonicalHeads: canonical.map(h), ancestry: ancestry(graph) }
}

// Upstream u: g (genesis) → u1 (a fix). Fork f from g: f1, then an update taking u1 in, then f2.
const upstreamGraph: Graph = { g: [], u1: ['g'] }
const forkGraph: Graph = { g: [], f1: ['g'], u1: ['g'], f2: ['f1', 'u1'] }

const rows: { name: string; a: LineageSide; b: LineageSide; ahead: number; behind: number }[] = [
  {
    name: 'a fork just made is level with its upstream',
    a: side({ g: [] }, ['g'], [['g']]),
    b: side({ g: [] }, ['g'], [['g']]),
    ahead: 0,
    behind: 0,
  },
  {
    name: "each of the fork's own edits counts once; the upstream's fix is one it lacks",
    a: side({ g: [], f1: ['g'], f2: ['f1'] }, ['f2'], [['g'], ['f1'], ['f2']]),
    b: side(upstreamGraph, ['u1'], [['g'], ['u1']]),
    ahead: 2,
    behind: 1,
  },
  {
    name: "an update from the upstream counts nothing: its heads' only new change is the fork's own, already counted",
    a: side({ g: [], f1: ['g'], u1: ['g'] }, ['f1', 'u1'], [['g'], ['f1'], ['f1', 'u1']]),
    b: side(upstreamGraph, ['u1'], [['g'], ['u1']]),
    ahead: 1,
    behind: 0,
  },
  {
    name: 'an edit after the update counts; the upstream is not behind by what it took in',
    a: side(forkGraph, ['f2'], [['g'], ['f1'], ['f1', 'u1'], ['f2']]),
    b: side(upstreamGraph, ['u1'], [['g'], ['u1']]),
    ahead: 2,
    behind: 0,
  },
  {
    name: "a merge of a sibling's change counts once against the upstream, which lacks it",
    a: side({ g: [], f1: ['g'], s1: ['g'] }, ['f1', 's1'], [['g'], ['f1'], ['f1', 's1']]),
    b: side({ g: [] }, ['g'], [['g']]),
    ahead: 2,
    behind: 0,
  },
  {
    name: 'approvals not yet approved (threshold) or not held do not count',
    a: {
      approvals: [
        { heads: [h('g')], approved: true, available: true },
        { heads: [h('f1')], approved: false, available: true },
        { heads: [h('f9')], approved: true, available: false },
      ],
      canonicalHeads: [h('g')],
      ancestry: ancestry({ g: [], f1: ['g'] }),
    },
    b: side({ g: [] }, ['g'], [['g']]),
    ahead: 0,
    behind: 0,
  },
  {
    name: 'concurrent edits by two maintainers are two changes',
    a: side({ g: [], m1: ['g'], m2: ['g'] }, ['m1', 'm2'], [['g'], ['m1'], ['m2']]),
    b: side({ g: [] }, ['g'], [['g']]),
    ahead: 2,
    behind: 0,
  },
]

describe('ahead / behind', () => {
  for (const row of rows) {
    it(row.name, () => {
      expect(divergence(row.a, row.b)).toMatchObject({ ahead: row.ahead, behind: row.behind })
      expect(signedChangesAhead(row.b, row.a)).toBe(row.behind)
    })
  }

  it('counts a three-level tree: a grandchild against its parent, the parent against the root', () => {
    // root r: g → r1. child c (forked at g): c1, then an update taking r1. grandchild gc (forked at c1): x1.
    const root = side({ g: [], r1: ['g'] }, ['r1'], [['g'], ['r1']])
    const child = side({ g: [], c1: ['g'], r1: ['g'] }, ['c1', 'r1'], [['g'], ['c1'], ['c1', 'r1']])
    const grandchild = side({ g: [], c1: ['g'], x1: ['c1'] }, ['x1'], [['c1'], ['x1']])
    expect(divergence(child, root)).toMatchObject({ ahead: 1, behind: 0 })
    expect(divergence(grandchild, child)).toMatchObject({ ahead: 1, behind: 1 }) // lacks the child's update (r1)
    expect(divergence(grandchild, root)).toMatchObject({ ahead: 2, behind: 1 }) // c1 (at its fork point) and x1; lacks r1
  })

  it('reports rejected revisions the design still carries, until the other holds their changes', () => {
    const rejected = [
      { proposal: 'p' as DocumentId, revision: 1, title: 'Glitter', heads: [h('f1')] },
      { proposal: 'p' as DocumentId, revision: 2, title: 'Not carried', heads: [h('f9')] },
    ]
    const fork = side({ g: [], f1: ['g'] }, ['f1'], [['g'], ['f1']])
    expect(divergence(fork, side({ g: [] }, ['g'], [['g']]), rejected).rejected.map((r) => r.title)).toEqual(['Glitter'])
    // accepted later by another route: nothing rejected is carried any more
    expect(divergence(fork, side({ g: [], f1: ['g'] }, ['f1'], [['g'], ['f1']]), rejected).rejected).toEqual([])
  })
})
