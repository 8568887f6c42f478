import type { BomRow } from '@cosmolocal/core'
import { cleanup, fireEvent, render, screen, within } from '@solidjs/testing-library'
import { createSignal } from 'solid-js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BomTable } from '../src/components/BomTable.js'
import type { BomValue } from '../src/peer/bom-input.js'

const row = (id: string, name: string, position: number, extra: Partial<BomRow> = {}): BomRow => ({
  id,
  name,
  quantity: 1,
  unit: 'pcs',
  material: '',
  notes: '',
  position,
  ...extra,
})

afterEach(cleanup)

function setup(rows: BomRow[], editable = true) {
  const calls = { add: vi.fn<(v: BomValue) => Promise<void>>(), save: vi.fn(), remove: vi.fn(), move: vi.fn(), fork: vi.fn() }
  calls.add.mockResolvedValue(undefined)
  calls.save.mockResolvedValue(undefined)
  calls.remove.mockResolvedValue(undefined)
  calls.move.mockResolvedValue(undefined)
  const [list] = createSignal(rows)
  render(() => (
    <BomTable
      rows={list()}
      editable={editable}
      onAdd={calls.add}
      onSave={calls.save}
      onRemove={calls.remove}
      onMove={calls.move}
    />
  ))
  return calls
}

const input = (form: HTMLElement, name: string) => within(form).getByRole('textbox', { name }) as HTMLInputElement
const type = (el: HTMLInputElement, value: string) => fireEvent.input(el, { target: { value } })

describe('BomTable', () => {
  it('lists rows in position order', () => {
    setup([row('b', 'Warp beam', 2), row('a', 'Side bar', 1, { quantity: 2, material: 'oak' })], false)
    const names = [...document.querySelectorAll('tbody tr')].map((r) => within(r as HTMLElement).getAllByRole('cell')[0]!.textContent)
    expect(names).toEqual(['Side bar', 'Warp beam'])
  })

  it('adds quantities up per unit, and exports the BOM as CSV', async () => {
    const saved: [Blob, string][] = []
    render(() => (
      <BomTable
        rows={[row('a', 'Side bar', 1, { quantity: 2, material: 'oak' }), row('b', 'Warp, beam', 2, { quantity: 1.5 }), row('c', 'Yarn', 3, { quantity: 120, unit: 'm', notes: '=SUM(A1)' })]}
        title="Frame loom"
        editable={false}
        onAdd={vi.fn()}
        onSave={vi.fn()}
        onRemove={vi.fn()}
        onMove={vi.fn()}
        onSaveCsv={(b, n) => saved.push([b, n])}
      />
    ))
    expect(document.querySelector('tr.totals')!.textContent).toBe('Total3.5 pcs · 120 m')
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }))
    expect(saved[0]![1]).toBe('Frame-loom-bom.csv')
    expect(await saved[0]![0].text()).toBe(
      'Part,Quantity,Unit,Material,Notes\r\nSide bar,2,pcs,oak,\r\n"Warp, beam",1.5,pcs,,\r\nYarn,120,m,,\'=SUM(A1)\r\n',
    )
  })

  it('shows a non-maintainer the table without editing controls (the page has the one "Fork to edit")', () => {
    setup([row('a', 'Side bar', 1)], false)
    expect(screen.queryByRole('button', { name: /Edit/ })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Add a part' })).toBeNull()
    expect(screen.queryByRole('button', { name: /Fork/ })).toBeNull()
  })

  it('validates a new row, keeps what was typed, then adds it with a parsed quantity', async () => {
    const calls = setup([])
    fireEvent.click(screen.getByRole('button', { name: 'Add a part' }))
    const form = screen.getByRole('form', { name: 'Add a part' })
    type(input(form, 'Part'), 'Bolt M6')
    type(input(form, 'Quantity'), '-3')
    type(input(form, 'Unit'), '')
    fireEvent.click(within(form).getByRole('button', { name: 'Add part' }))
    expect(await within(form).findByText('A quantity must be more than zero.')).toBeTruthy()
    expect(within(form).getByText('Give a unit, such as pcs, m, kg.')).toBeTruthy()
    expect(input(form, 'Quantity').getAttribute('aria-invalid')).toBe('true')
    expect(input(form, 'Part').value).toBe('Bolt M6')
    expect(calls.add).not.toHaveBeenCalled()

    type(input(form, 'Quantity'), '0,5')
    type(input(form, 'Unit'), 'kg')
    type(input(form, 'Material'), 'steel')
    fireEvent.click(within(form).getByRole('button', { name: 'Add part' }))
    await vi.waitFor(() => expect(calls.add).toHaveBeenCalledWith({ name: 'Bolt M6', quantity: 0.5, unit: 'kg', material: 'steel', notes: '' }))
  })

  it('rejects a quantity that is not a number', async () => {
    const calls = setup([])
    fireEvent.click(screen.getByRole('button', { name: 'Add a part' }))
    const form = screen.getByRole('form', { name: 'Add a part' })
    type(input(form, 'Part'), 'Bolt')
    type(input(form, 'Quantity'), 'four')
    fireEvent.click(within(form).getByRole('button', { name: 'Add part' }))
    expect(await within(form).findByText('A quantity is a number, like 4 or 0.5.')).toBeTruthy()
    expect(calls.add).not.toHaveBeenCalled()
  })

  it('edits a row in place and saves the changed values', async () => {
    const calls = setup([row('a', 'Side bar', 1, { quantity: 2, material: 'oak' })])
    fireEvent.click(screen.getByRole('button', { name: 'Edit Side bar' }))
    const form = screen.getByRole('form', { name: 'Edit Side bar' })
    expect(input(form, 'Quantity').value).toBe('2')
    type(input(form, 'Quantity'), '4')
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }))
    await vi.waitFor(() => expect(calls.save).toHaveBeenCalledWith('a', { name: 'Side bar', quantity: 4, unit: 'pcs', material: 'oak', notes: '' }))
    await vi.waitFor(() => expect(screen.queryByRole('form', { name: 'Edit Side bar' })).toBeNull())
  })

  it('keeps the edit open with the reason when the operation fails', async () => {
    const calls = setup([row('a', 'Side bar', 1)])
    calls.save.mockRejectedValue(Object.assign(new Error('you are not a maintainer'), { kind: 'not-permitted' }))
    fireEvent.click(screen.getByRole('button', { name: 'Edit Side bar' }))
    const form = screen.getByRole('form', { name: 'Edit Side bar' })
    type(input(form, 'Material'), 'walnut')
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Not allowed: you are not a maintainer')).toBeTruthy()
    expect(input(screen.getByRole('form', { name: 'Edit Side bar' }), 'Material').value).toBe('walnut')
  })

  it('removes a row and reorders with up / down', async () => {
    const calls = setup([row('a', 'A', 1), row('b', 'B', 2), row('c', 'C', 3)])
    expect((screen.getByRole('button', { name: 'Move A up' }) as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByRole('button', { name: 'Move C down' }) as HTMLButtonElement).disabled).toBe(true)
    fireEvent.click(screen.getByRole('button', { name: 'Move B up' }))
    await vi.waitFor(() => expect(calls.move).toHaveBeenLastCalledWith('b', 'a'))
    fireEvent.click(screen.getByRole('button', { name: 'Move A down' }))
    await vi.waitFor(() => expect(calls.move).toHaveBeenLastCalledWith('a', 'c'))
    fireEvent.click(screen.getByRole('button', { name: 'Move B down' }))
    await vi.waitFor(() => expect(calls.move).toHaveBeenLastCalledWith('b', null))
    fireEvent.click(screen.getByRole('button', { name: 'Remove C' }))
    await vi.waitFor(() => expect(calls.remove).toHaveBeenCalledWith('c'))
  })
})
