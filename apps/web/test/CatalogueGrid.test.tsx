import { cleanup, render, screen, waitFor, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { CatalogueGrid } from '../src/components/CatalogueGrid.js'
import { ago } from '../src/components/DesignCard.js'
import type { CatalogueItem } from '../src/peer/catalogue.js'

afterEach(cleanup)

const amara = '12D3KooWQzKfAj8cBnRCJfpw2jGaPHv2ScXxhG6mUNRxHnf2iN'
const wanjiru = '12D3KooWJ5bqQtRg9tWmD3rZ3cYgkT1yVXz7bFwK8PqLmEa4xY'
const item = (url: string, title: string, extra: Partial<CatalogueItem> = {}): CatalogueItem => ({
  url,
  title,
  summary: '',
  tags: [],
  materials: [],
  forkedFrom: null,
  maintainers: [],
  local: false,
  hub: true,
  ...extra,
})

describe('the catalogue grid', () => {
  const loom = item('automerge:L', 'OHLOOM frame loom', {
    maintainers: [amara],
    names: { [amara]: 'Amara' },
    summary: 'A small frame loom',
    licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0', software: null },
    lastChange: Date.now() - 3 * 86_400_000,
    forks: 2,
    proposals: 1,
    thumbnail: { name: 'loom.png', hash: 'a'.repeat(64), root: 'b'.repeat(64), size: 10, mediaType: 'image/png', kind: 'photo' },
    local: true,
  })
  const fork = item('automerge:F', 'OHLOOM, Nairobi edition', { forkedFrom: 'automerge:L', maintainers: [wanjiru], names: { [wanjiru]: 'Wanjiru' } })

  it('shows each design as a card: picture, title, maintainers linking to their pages, last change, licence, counts, where it is', async () => {
    const thumbnails = { url: async () => 'blob:loom-picture' }
    render(() => <CatalogueGrid items={[loom, fork]} thumbnails={thumbnails} />)
    const cards = screen.getAllByRole('article')
    expect(cards.map((c) => within(c).getByRole('heading').textContent)).toEqual(['OHLOOM frame loom', 'OHLOOM, Nairobi edition'])
    const first = cards[0]!
    await waitFor(() => expect(first.querySelector('img')?.getAttribute('src')).toBe('blob:loom-picture'))
    expect(within(first).getByRole('link', { name: /Amara/ }).getAttribute('href')).toBe(`#/person/${amara}`)
    expect(first.textContent).toContain('changed 3 days ago')
    expect(first.textContent).toContain('CERN-OHL-S-2.0')
    expect(first.textContent).toContain('2 forks')
    expect(first.textContent).toContain('1 proposal')
    expect(first.textContent).toContain('in this browser')
    // No picture yet: a placeholder, never a broken image.
    expect(cards[1]!.querySelector('img')).toBeNull()
    expect(cards[1]!.textContent).toContain('on hub')
  })

  it('says whose fork of what a fork is', () => {
    render(() => <CatalogueGrid items={[fork]} all={[loom, fork]} />)
    const card = screen.getByRole('article')
    expect(within(card).getByText(/Fork of/).textContent).toBe('Fork of OHLOOM frame loom')
    expect(within(card).getByRole('link', { name: 'OHLOOM frame loom' }).getAttribute('href')).toBe('#/design/L')
    expect(card.textContent).toContain('by Wanjiru')
    expect(card.textContent).not.toMatch(/\d+ forks?/)
  })

  it('says when nothing matches', () => {
    render(() => <CatalogueGrid items={[]} empty="No design matches." />)
    expect(screen.getByText('No design matches.')).toBeTruthy()
  })

  it('says last changes as people do', () => {
    const now = Date.UTC(2025, 5, 1)
    expect(ago(now - 10_000, now)).toBe('just now')
    expect(ago(now - 5 * 60_000, now)).toBe('5 minutes ago')
    expect(ago(now - 86_400_000, now)).toBe('yesterday')
    expect(ago(now - 400 * 86_400_000, now)).toBe('last year')
  })
})
