import { describe, expect, it } from 'vitest'
import type { CatalogueItem, CatalogueNode } from '../src/peer/catalogue.js'
import { itemsFromForks, lineageOf } from '../src/peer/lineage.js'

const item = (url: string, title: string, forkedFrom: string | null = null, extra: Partial<CatalogueItem> = {}): CatalogueItem => ({
  url,
  title,
  summary: '',
  tags: [],
  materials: [],
  forkedFrom,
  maintainers: [],
  local: true,
  hub: false,
  ...extra,
})

const shape = (n: CatalogueNode): unknown => [n.item.title || n.item.url, n.forks.map(shape)]

describe('lineage', () => {
  const root = item('automerge:R', 'Loom')
  const mid = item('automerge:M', 'Bolted loom', 'automerge:R')
  const self = item('automerge:S', 'Steel loom', 'automerge:M')
  const child = item('automerge:C', 'Big steel loom', 'automerge:S')
  const grandchild = item('automerge:G', 'Bigger', 'automerge:C')
  const sibling = item('automerge:X', 'Oak loom', 'automerge:M')

  it('goes up the forked-from chain to the root and down the forks, recursively', () => {
    const l = lineageOf([[root, mid, self, child, grandchild, sibling]], self.url)!
    expect(l.ancestors.map((a) => a.title)).toEqual(['Loom', 'Bolted loom'])
    expect(l.unknownUpstream).toBeNull()
    expect(shape(l.node)).toEqual(['Steel loom', [['Big steel loom', [['Bigger', []]]]]])
  })

  it("merges the library, the hub's catalogue and the inbox's forks; a fork known only by its inbox pointer still shows", () => {
    const hubOnly = item('automerge:H', 'Hub fork', 'automerge:S', { local: false, hub: true })
    const inbox = itemsFromForks(self.url, [
      { design: 'automerge:C', author: 'bob' },
      { design: 'automerge:N', author: 'carol' },
    ])
    const l = lineageOf([[self], [hubOnly], inbox, [child]], self.url)!
    expect(shape(l.node)).toEqual(['Steel loom', [['automerge:N', []], ['Big steel loom', []], ['Hub fork', []]]])
    expect(l.node.forks.find((f) => f.item.url === 'automerge:N')!.item.maintainers).toEqual(['carol'])
  })

  it('stops at an upstream this browser has not seen, and names it', () => {
    const l = lineageOf([[mid, self]], self.url)!
    expect(l.ancestors.map((a) => a.title)).toEqual(['Bolted loom'])
    expect(l.unknownUpstream).toBe('automerge:R')
  })

  it('never loops on a cycle in bad data, and is null for a design it does not know', () => {
    const a = item('automerge:A', 'A', 'automerge:B')
    const b = item('automerge:B', 'B', 'automerge:A')
    expect(lineageOf([[a, b]], a.url)!.ancestors.map((x) => x.title)).toEqual(['B'])
    expect(lineageOf([[a]], 'automerge:Z')).toBeNull()
  })
})

describe('LineageTree', () => {
  it('draws the chain above and the forks below, recursively, with links and who maintains them', async () => {
    const { render, screen, within, cleanup } = await import('@solidjs/testing-library')
    const { LineageTree } = await import('../src/components/LineageTree.js')
    const root = item('automerge:R', 'Loom', null, { maintainers: ['alice-id'] })
    const self = item('automerge:S', 'Steel loom', 'automerge:R', { maintainers: ['me-id'] })
    const child = item('automerge:C', 'Big steel loom', 'automerge:S', { maintainers: ['bob-id'] })
    const grandchild = item('automerge:G', '', 'automerge:C')
    render(() => <LineageTree lineage={lineageOf([[root, self, child, grandchild]], self.url)!} me="me-id" names={{ 'alice-id': 'Alice' }} />)
    const up = screen.getByRole('list', { name: 'Forked from' })
    // Names known from verified records show beside the id; others stay a short id.
    expect(up.querySelector('.person')!.textContent).toBe('Alice · …ice-id')
    expect(screen.getAllByRole('list', { name: 'Forks' })[0]!.querySelector('.person')!.textContent).toBe('bob-id…bob-id')
    expect(within(up).getByRole('link', { name: 'Loom' }).getAttribute('href')).toBe('#/design/R')
    expect(screen.getByText('Steel loom').getAttribute('aria-current')).toBe('page')
    const forks = screen.getAllByRole('list', { name: 'Forks' })
    expect(forks).toHaveLength(2)
    expect(within(forks[0]!).getByRole('link', { name: 'Big steel loom' }).getAttribute('href')).toBe('#/design/C')
    expect(within(forks[1]!).getByRole('link', { name: 'a fork' }).getAttribute('href')).toBe('#/design/G')
    cleanup()
  })
})
