import { describe, expect, it } from 'vitest'
import { catalogueTree, matches, mergeItems, type CatalogueItem } from '../src/peer/catalogue.js'

const item = (url: string, title: string, extra: Partial<CatalogueItem> = {}): CatalogueItem => ({
  url,
  title,
  summary: '',
  tags: [],
  materials: [],
  forkedFrom: null,
  maintainers: [],
  local: true,
  hub: false,
  ...extra,
})

describe('catalogue', () => {
  const loom = item('automerge:L', 'Frame loom', { tags: ['weaving'], materials: ['oak'] })
  const fork = item('automerge:F', 'Bolted loom', { forkedFrom: 'automerge:L', materials: ['steel'] })
  const press = item('automerge:P', 'Oil press', { materials: ['steel'] })

  it('matches title, tag and material, every word', () => {
    expect(matches(loom, 'OAK')).toBe(true)
    expect(matches(loom, 'weav frame')).toBe(true)
    expect(matches(loom, 'steel')).toBe(false)
  })

  it('puts forks under their upstream, and keeps a matching fork with its upstream', () => {
    expect(catalogueTree([press, fork, loom]).map((n) => [n.item.title, n.forks.map((f) => f.item.title)])).toEqual([
      ['Frame loom', ['Bolted loom']],
      ['Oil press', []],
    ])
    const steel = catalogueTree([press, fork, loom], 'steel')
    expect(steel.map((n) => n.item.title)).toEqual(['Frame loom', 'Oil press'])
    expect(steel[0]!.forks.map((f) => f.item.title)).toEqual(['Bolted loom'])
  })

  it('merges local and hub entries, local details first', () => {
    const merged = mergeItems([loom], [{ ...loom, title: 'stale', tags: [], local: false, hub: true }])
    expect(merged).toEqual([{ ...loom, hub: true }])
  })
})
