import type { NeedView } from '@cosmolocal/core'
import { describe, expect, it } from 'vitest'
import { boardDesigns, filterBoard, type BoardNeed } from '../src/peer/board.js'
import type { CatalogueItem } from '../src/peer/catalogue.js'

const item = (url: string, extra: Partial<CatalogueItem> = {}): CatalogueItem => ({
  url,
  title: url,
  summary: '',
  tags: [],
  materials: [],
  forkedFrom: null,
  maintainers: [],
  local: false,
  hub: true,
  ...extra,
})

const need = (id: string, extra: Partial<BoardNeed> = {}): BoardNeed =>
  ({
    id,
    design: 'd',
    author: 'p',
    authorName: null,
    time: 0,
    title: id,
    body: '',
    labels: [],
    about: null,
    status: 'open',
    claims: [],
    closed: null,
    reopened: 0,
    events: [],
    updated: 0,
    heads: [],
    designUrl: 'automerge:d',
    designTitle: 'Frame loom',
    place: '',
    ...extra,
  }) as unknown as BoardNeed & NeedView

describe("the What's needed board", () => {
  it('reads the designs held here, and the hub designs whose catalogue entry says they have needs not closed, held first then the newest, up to a bound', () => {
    const summary = (open: number, claimed: number, closed: number) => ({ open, claimed, closed, labels: [] })
    const items = [
      item('automerge:open', { needs: summary(1, 0, 0), lastChange: 1 }),
      item('automerge:claimed', { needs: summary(0, 2, 0), lastChange: 2 }),
      item('automerge:held', { local: true, hub: false }),
      item('automerge:closed', { needs: summary(0, 0, 3) }),
      item('automerge:older-hub'),
    ]
    expect(boardDesigns(items).designs.map((i) => i.url)).toEqual(['automerge:held', 'automerge:claimed', 'automerge:open'])
    expect(boardDesigns(items).skipped).toBe(0)
    const bounded = boardDesigns(items, 2)
    expect([bounded.designs.map((i) => i.url), bounded.skipped]).toEqual([['automerge:held', 'automerge:claimed'], 1])
  })

  it('filters by label (any case) and by every search word, in the need, its design and its place', () => {
    const needs = [
      need('hinge', { title: 'A cheaper hinge', labels: ['Hardware'] }),
      need('test', { title: 'Test with 6 mm plywood', labels: ['testing'], place: 'Lyon, FR' }),
      need('done', { title: 'Done hinge', labels: ['hardware'], status: 'closed' }),
    ]
    const ids = (f: { label: string | null; text: string }) => filterBoard(needs, f).map((n) => n.id)
    expect(ids({ label: null, text: '' })).toEqual(['hinge', 'test'])
    expect(ids({ label: 'hardware', text: '' })).toEqual(['hinge'])
    expect(ids({ label: null, text: 'plywood lyon' })).toEqual(['test'])
    expect(ids({ label: null, text: 'loom hinge' })).toEqual(['hinge'])
    expect(ids({ label: null, text: 'plywood nairobi' })).toEqual([])
  })
})
