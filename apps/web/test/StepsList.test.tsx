import type { Step } from '@cosmolocal/core'
import { cleanup, fireEvent, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { StepsList } from '../src/components/StepsList.js'
import { moveBefore } from '../src/peer/reorder.js'

afterEach(() => {
  cleanup()
  sessionStorage.clear()
})

const step = (id: string, title: string, position: number): Step => ({ id, title, body: `Do ${title}`, position })

let n = 0
function setup(steps: Step[], editable = true) {
  const calls = { add: vi.fn(), save: vi.fn(), remove: vi.fn(), move: vi.fn(), fork: vi.fn() }
  for (const f of [calls.add, calls.save, calls.remove, calls.move]) f.mockResolvedValue(undefined)
  render(() => (
    <StepsList
      steps={steps}
      editable={editable}
      draftName={`steps-test-${++n}`}
      onAdd={calls.add}
      onSave={calls.save}
      onRemove={calls.remove}
      onMove={calls.move}
    />
  ))
  return calls
}

const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } })

describe('StepsList', () => {
  it('lists steps in position order; someone who is not a maintainer sees no controls', () => {
    setup([step('b', 'Glue', 2), step('a', 'Cut', 1)], false)
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['Cut', 'Glue'])
    expect(screen.queryByRole('button', { name: /Edit step/ })).toBeNull()
    expect(screen.queryByRole('form', { name: 'Add a step' })).toBeNull()
    expect(screen.queryByRole('button', { name: /Fork/ })).toBeNull()
  })

  it('edits a step in place and saves its title and instructions', async () => {
    const calls = setup([step('a', 'Cut', 1)])
    fireEvent.click(screen.getByRole('button', { name: 'Edit step Cut' }))
    const form = screen.getByRole('form', { name: 'Edit step Cut' })
    expect((within(form).getByLabelText('Step title') as HTMLInputElement).value).toBe('Cut')
    type(within(form).getByLabelText('Instructions (Markdown)'), 'Cut **twice**')
    fireEvent.click(within(form).getByRole('button', { name: 'Save step' }))
    await vi.waitFor(() => expect(calls.save).toHaveBeenCalledWith('a', { title: 'Cut', body: 'Cut **twice**' }))
    await vi.waitFor(() => expect(screen.queryByRole('form', { name: 'Edit step Cut' })).toBeNull())
  })

  it('refuses an empty title and keeps the edit, with the reason, when saving fails', async () => {
    const calls = setup([step('a', 'Cut', 1)])
    calls.save.mockRejectedValue(Object.assign(new Error('you are not a maintainer'), { kind: 'not-permitted' }))
    fireEvent.click(screen.getByRole('button', { name: 'Edit step Cut' }))
    const form = screen.getByRole('form', { name: 'Edit step Cut' })
    type(within(form).getByLabelText('Step title'), ' ')
    fireEvent.click(within(form).getByRole('button', { name: 'Save step' }))
    expect(await within(form).findByText('Give the step a title.')).toBeTruthy()
    expect(calls.save).not.toHaveBeenCalled()
    type(within(form).getByLabelText('Step title'), 'Cut the frame')
    fireEvent.click(within(form).getByRole('button', { name: 'Save step' }))
    expect(await within(form).findByText('Not allowed: you are not a maintainer')).toBeTruthy()
    expect((within(form).getByLabelText('Step title') as HTMLInputElement).value).toBe('Cut the frame')
  })

  it('reorders with up / down and removes', async () => {
    const calls = setup([step('a', 'A', 1), step('b', 'B', 2), step('c', 'C', 3)])
    expect((screen.getByRole('button', { name: 'Move step A up' }) as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByRole('button', { name: 'Move step C down' }) as HTMLButtonElement).disabled).toBe(true)
    fireEvent.click(screen.getByRole('button', { name: 'Move step C up' }))
    await vi.waitFor(() => expect(calls.move).toHaveBeenLastCalledWith('c', 'b'))
    fireEvent.click(screen.getByRole('button', { name: 'Move step A down' }))
    await vi.waitFor(() => expect(calls.move).toHaveBeenLastCalledWith('a', 'c'))
    fireEvent.click(screen.getByRole('button', { name: 'Move step B down' }))
    await vi.waitFor(() => expect(calls.move).toHaveBeenLastCalledWith('b', null))
    fireEvent.click(screen.getByRole('button', { name: 'Remove step B' }))
    await vi.waitFor(() => expect(calls.remove).toHaveBeenCalledWith('b'))
  })

  it('adds a step and clears the form once added', async () => {
    const calls = setup([])
    const form = screen.getByRole('form', { name: 'Add a step' })
    type(within(form).getByLabelText('Step title'), 'Sand')
    type(within(form).getByLabelText('Instructions (Markdown)'), 'Sand it')
    fireEvent.click(within(form).getByRole('button', { name: 'Add step' }))
    await vi.waitFor(() => expect(calls.add).toHaveBeenCalledWith('Sand', 'Sand it'))
    await vi.waitFor(() => expect((within(form).getByLabelText('Step title') as HTMLInputElement).value).toBe(''))
  })

  it('moveBefore: up is before the previous, down before the one after next or to the end', () => {
    const ids = ['a', 'b', 'c']
    expect([moveBefore(ids, 0, -1), moveBefore(ids, 1, -1), moveBefore(ids, 0, 1), moveBefore(ids, 1, 1), moveBefore(ids, 2, 1)]).toEqual([
      undefined,
      'a',
      'c',
      null,
      undefined,
    ])
  })
})

describe('StepsList with the keyboard', () => {
  it('moves focus into the edit form, and back to the Edit button on Cancel', async () => {
    setup([step('a', 'Cut', 1)])
    fireEvent.click(screen.getByRole('button', { name: 'Edit step Cut' }))
    const form = screen.getByRole('form', { name: 'Edit step Cut' })
    await vi.waitFor(() => expect(document.activeElement).toBe(within(form).getByLabelText('Step title')))
    fireEvent.click(within(form).getByRole('button', { name: 'Cancel' }))
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit step Cut' })))
  })
})
