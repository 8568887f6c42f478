import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defaultForkName, ForkDialog } from '../src/components/ForkDialog.js'

afterEach(cleanup)

describe('forking asks for a name', () => {
  it('offers "<title> (<name>\'s fork)", or "(my fork)" before the person has a name', () => {
    expect(defaultForkName('OHLOOM frame loom', 'Wanjiru')).toBe("OHLOOM frame loom (Wanjiru's fork)")
    expect(defaultForkName('OHLOOM frame loom', null)).toBe('OHLOOM frame loom (my fork)')
    expect(defaultForkName('x'.repeat(600), 'Bo')).toHaveLength(500)
  })

  it('opens with the offered name selected, and forks under the name typed', async () => {
    const onFork = vi.fn(async () => {})
    render(() => <ForkDialog title="Compost sifter" person="Jonas" onFork={onFork} onCancel={vi.fn()} />)
    const input = screen.getByLabelText('Name of your fork') as HTMLInputElement
    expect(input.value).toBe("Compost sifter (Jonas's fork)")
    expect(document.activeElement).toBe(input)
    fireEvent.click(screen.getByRole('button', { name: 'Fork' }))
    await waitFor(() => expect(onFork).toHaveBeenCalledWith("Compost sifter (Jonas's fork)", true))
    fireEvent.input(input, { target: { value: 'Sifter for clay soil' } })
    fireEvent.click(screen.getByRole('button', { name: 'Fork' }))
    await waitFor(() => expect(onFork).toHaveBeenLastCalledWith('Sifter for clay soil', false))
  })

  it('refuses an empty name next to the field, and shows a failure there', async () => {
    const onFork = vi.fn(async () => {
      throw new Error('the design is not here yet')
    })
    render(() => <ForkDialog title="Loom" person={null} onFork={onFork} onCancel={vi.fn()} />)
    const input = screen.getByLabelText('Name of your fork')
    fireEvent.input(input, { target: { value: '  ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Fork' }))
    expect((await screen.findByRole('alert')).textContent).toBe('Give the fork a name.')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(onFork).not.toHaveBeenCalled()
    fireEvent.input(input, { target: { value: 'Mine' } })
    fireEvent.click(screen.getByRole('button', { name: 'Fork' }))
    expect((await screen.findByText('the design is not here yet')).id).toBe('fork-name-error')
  })
})
