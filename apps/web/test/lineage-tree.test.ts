import type { LineageNode } from '@cosmolocal/core'
import { describe, expect, it } from 'vitest'
import { lineageByUrl, proposalTargets } from '../src/peer/lineage-tree.js'

const node = (design: string, title: string, upstream: string | null, forks: LineageNode[] = []): LineageNode =>
  ({ design, title, upstream, place: '', placeCode: null, ahead: upstream === null ? null : 1, behind: 0, rejected: [], maintainers: [], current: false, truncated: false, forks }) as unknown as LineageNode

describe('the lineage tree, flattened', () => {
  const lyon = node('automerge:lyon', 'Lyon loom', 'automerge:nbo')
  const nairobi = node('automerge:nbo', 'Nairobi loom', 'automerge:root', [lyon])
  const paris = node('automerge:paris', 'Paris loom', 'automerge:root')
  const root = node('automerge:root', 'Frame loom', null, [nairobi, paris])

  it('finds every design of the tree by URL', () => {
    expect([...lineageByUrl(root).keys()].sort()).toEqual(['automerge:lyon', 'automerge:nbo', 'automerge:paris', 'automerge:root'])
    expect(lineageByUrl(null).size).toBe(0)
  })

  it('offers every other related design as a proposal target, the upstream first, each with how it is related', () => {
    expect(proposalTargets(root, 'automerge:nbo', 'automerge:root')).toEqual([
      { url: 'automerge:root', title: 'Frame loom', relation: 'upstream' },
      { url: 'automerge:lyon', title: 'Lyon loom', relation: 'your fork' },
      { url: 'automerge:paris', title: 'Paris loom', relation: 'sibling' },
    ])
    expect(proposalTargets(root, 'automerge:lyon', 'automerge:nbo').map((t) => [t.title, t.relation])).toEqual([
      ['Nairobi loom', 'upstream'],
      ['Frame loom', 'related'],
      ['Paris loom', 'related'],
    ])
  })

  it('offers the upstream even when this browser holds no tree yet', () => {
    expect(proposalTargets(null, 'automerge:nbo', 'automerge:root')).toEqual([{ url: 'automerge:root', title: 'the upstream design', relation: 'upstream' }])
    expect(proposalTargets(null, 'automerge:root', null)).toEqual([])
  })
})
