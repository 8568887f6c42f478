import type { BomRow, DesignDiff } from '@cosmolocal/core'
import { cleanup, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { DiffView } from '../src/components/DiffView.js'

afterEach(cleanup)

const row = (id: string, name: string, extra: Partial<BomRow> = {}): BomRow => ({ id, name, quantity: 1, unit: 'pcs', material: '', notes: '', position: 1, ...extra })
const empty = (): DesignDiff => ({
  fields: [],
  licenses: [],
  tags: { added: [], removed: [] },
  bom: { added: [], removed: [], changed: [] },
  steps: { added: [], removed: [], changed: [] },
  files: { added: [], removed: [], changed: [] },
  details: [],
  parts: { added: [], removed: [], changed: [] },
  software: { added: [], removed: [], changed: [] },
  licenceWarnings: [],
  conflicts: [],
  empty: true,
})

describe('DiffView', () => {
  it('says when merging would change nothing', () => {
    render(() => <DiffView diff={empty()} />)
    expect(screen.getByText('Merging this would change nothing.')).toBeTruthy()
  })

  it('highlights BOM rows added, removed and changed, with the changed fields', () => {
    const before = row('f', 'Side bar', { quantity: 2, material: 'oak' })
    const diff: DesignDiff = {
      ...empty(),
      empty: false,
      bom: {
        added: [row('n', 'Bolt M6x40', { quantity: 4, material: 'steel' })],
        removed: [row('w', 'Wedge')],
        changed: [{ id: 'f', before, after: { ...before, quantity: 4 }, changes: [{ field: 'quantity', before: 2, after: 4 }] }],
      },
    }
    render(() => <DiffView diff={diff} />)
    const bom = screen.getByRole('region', { name: 'Bill of materials' })
    const added = within(bom).getByText(/Bolt M6x40/).closest('li')!
    expect(added.className).toBe('added')
    expect(added.textContent).toContain('4 pcs, steel')
    expect(within(bom).getByText(/Wedge/).closest('li')!.className).toBe('removed')
    const changed = within(bom).getAllByRole('listitem').find((li) => li.className === 'changed' && li.textContent!.includes('Side bar'))!
    expect(changed.querySelector('del')!.textContent).toBe('2')
    expect(changed.querySelector('ins')!.textContent).toBe('4')
    expect(screen.queryByText('Merging this would change nothing.')).toBeNull()
  })

  it('shows field, licence, tag and step changes', () => {
    const diff: DesignDiff = {
      ...empty(),
      empty: false,
      fields: [{ field: 'summary', before: 'A loom', after: 'A bolted loom' }],
      licenses: [{ field: 'hardware', before: null, after: 'CERN-OHL-S-2.0' }],
      tags: { added: ['bolted'], removed: ['glued'] },
      steps: { added: [{ id: 's', title: 'Assemble', body: '', position: 1 }], removed: [], changed: [] },
    }
    render(() => <DiffView diff={diff} />)
    const fields = screen.getByRole('region', { name: 'Fields' })
    expect(fields.textContent).toContain('summary: A loom → A bolted loom')
    const licences = screen.getByRole('region', { name: 'Licences' })
    expect(licences.textContent).toContain('hardware licence: (none) → CERN-OHL-S-2.0')
    const tags = screen.getByRole('region', { name: 'Tags' })
    expect(within(tags).getByText(/bolted/).closest('li')!.className).toBe('added')
    expect(within(tags).getByText(/glued/).closest('li')!.className).toBe('removed')
    expect(screen.getByRole('region', { name: 'Build steps' }).textContent).toContain('Assemble')
  })

  it('flags conflicts with the value the merge shows and every value kept', () => {
    const diff: DesignDiff = {
      ...empty(),
      empty: false,
      conflicts: [{ path: ['bom', 'f', 'material'], label: 'BOM row "Side bar" material', winner: 'walnut', values: ['ash', 'walnut'] }],
    }
    render(() => <DiffView diff={diff} />)
    const conflicts = screen.getByRole('alert')
    expect(conflicts.textContent).toContain('BOM row "Side bar" material')
    expect(within(conflicts).getByText('walnut').tagName).toBe('STRONG')
    expect(conflicts.textContent).toContain('ash / walnut')
  })

  it('puts licence warnings first, as an alert naming each licence change and why', () => {
    const diff: DesignDiff = {
      ...empty(),
      empty: false,
      licenses: [{ field: 'hardware', before: 'CERN-OHL-S-2.0', after: 'MIT' }],
      licenceWarnings: [
        {
          field: 'hardware',
          before: 'CERN-OHL-S-2.0',
          after: 'MIT',
          problem: 'share-alike',
          licences: ['CERN-OHL-S-2.0'],
          message: 'CERN-OHL-S-2.0 is share-alike: derived designs must keep it',
        },
      ],
    }
    const { container } = render(() => <DiffView diff={diff} />)
    const alert = screen.getByRole('alert', { name: 'Licence warnings' })
    expect(container.querySelector('.diff')!.firstElementChild).toBe(alert)
    const item = within(alert).getByRole('listitem')
    expect(item.dataset.problem).toBe('share-alike')
    expect(item.textContent).toContain('hardware licence CERN-OHL-S-2.0 → MIT')
    expect(item.textContent).toContain('derived designs must keep it')
    expect(alert.textContent).toContain('merging is not blocked')
  })

  it('shows no licence warning section when there are none', () => {
    render(() => <DiffView diff={{ ...empty(), empty: false, licenses: [{ field: 'hardware', before: null, after: 'MIT' }] }} />)
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('shows changes to OKH details, parts and software', () => {
    const part = { id: 'p', name: 'Clamp ring', image: '', material: 'PLA', dimensions: '', dimensionsUnit: '', position: 1, tsdc: [], source: [], export: [], auxiliary: [] }
    const diff: DesignDiff = {
      ...empty(),
      empty: false,
      details: [{ field: 'licensor', before: '', after: 'Jens Meisner' }],
      parts: { added: [part], removed: [], changed: [{ id: 'q', before: { ...part, id: 'q', name: 'Beam' }, after: { ...part, id: 'q', name: 'Beam', material: 'oak' }, changes: [{ field: 'material', before: 'PLA', after: 'oak' }] }] },
      software: { added: [], removed: [{ id: 's', release: 'https://example.org/fw-1.2', installationGuide: '', position: 1 }], changed: [] },
    }
    render(() => <DiffView diff={diff} />)
    expect(screen.getByRole('region', { name: 'Details' }).textContent).toContain('licensor: (none) → Jens Meisner')
    const parts = screen.getByRole('region', { name: 'Parts' })
    expect(within(parts).getByText(/Clamp ring \(PLA\)/).closest('li')!.className).toBe('added')
    const changed = within(parts).getAllByRole('listitem').find((li) => li.className === 'changed')!
    expect(changed.textContent).toContain('material: PLA → oak')
    const software = screen.getByRole('region', { name: 'Software' })
    expect(within(software).getByText(/fw-1\.2/).closest('li')!.className).toBe('removed')
  })
})
