import type { DesignPatch } from '@cosmolocal/core'
import { cleanup, fireEvent, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DetailsEditor } from '../src/components/DetailsEditor.js'
import { design } from './fixtures.js'

afterEach(() => {
  cleanup()
  sessionStorage.clear()
})

let n = 0
function setup(options: { editable?: boolean; upstream?: boolean } = {}) {
  const calls = { save: vi.fn<(p: DesignPatch) => Promise<void>>(), fork: vi.fn() }
  calls.save.mockResolvedValue(undefined)
  const d = design('automerge:D', {}, options.upstream ? 'automerge:U' : null)
  const draftName = `details-test-${++n}`
  render(() => (
    <DetailsEditor
      design={d}
      me="alice-id"
      editable={options.editable ?? true}
      upstreamLicences={options.upstream ? d.content.licenses : null}
      onSave={calls.save}
      draftName={draftName}
    />
  ))
  return { calls, draftName }
}

const field = (form: HTMLElement, name: string) => within(form).getByLabelText(name) as HTMLInputElement
const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } })

describe('DetailsEditor', () => {
  it('shows someone who is not a maintainer the details without an edit control', () => {
    setup({ editable: false })
    expect(screen.queryByRole('button', { name: 'Edit details' })).toBeNull()
    expect(screen.queryByRole('button', { name: /Fork/ })).toBeNull()
  })

  it('opens with the current values and saves only what changed', async () => {
    const { calls } = setup()
    fireEvent.click(screen.getByRole('button', { name: 'Edit details' }))
    const form = screen.getByRole('form', { name: 'Edit details' })
    expect(field(form, 'Title').value).toBe('Frame loom')
    expect(field(form, 'Hardware licence (SPDX)').value).toBe('CERN-OHL-S-2.0')
    type(field(form, 'Summary'), 'A sturdy loom')
    type(field(form, 'Tags (comma separated)'), 'weaving, oak')
    fireEvent.click(within(form).getByRole('button', { name: 'Save details' }))
    await vi.waitFor(() => expect(calls.save).toHaveBeenCalledWith({ summary: 'A sturdy loom', tags: ['weaving', 'oak'] }))
    await vi.waitFor(() => expect(screen.queryByRole('form', { name: 'Edit details' })).toBeNull())
  })

  it('says next to the field, as it is typed, why a licence is refused, and saves nothing', async () => {
    const { calls } = setup()
    fireEvent.click(screen.getByRole('button', { name: 'Edit details' }))
    const form = screen.getByRole('form', { name: 'Edit details' })
    const sw = field(form, 'Software licence (SPDX)')
    type(sw, 'GPL 3')
    const message = await within(form).findByText(/“GPL 3” is not an SPDX licence id/)
    expect(sw.getAttribute('aria-invalid')).toBe('true')
    expect(sw.getAttribute('aria-describedby')).toContain(message.id)
    fireEvent.click(within(form).getByRole('button', { name: 'Save details' }))
    type(field(form, 'Title'), '')
    expect(await within(form).findByText('Give the design a title.')).toBeTruthy()
    expect(calls.save).not.toHaveBeenCalled()
    type(sw, 'gpl-3.0-or-later')
    type(field(form, 'Title'), 'Frame loom')
    expect(within(form).queryByText(/not an SPDX licence id/)).toBeNull()
    fireEvent.click(within(form).getByRole('button', { name: 'Save details' }))
    await vi.waitFor(() => expect(calls.save).toHaveBeenCalledWith({ licenses: { software: 'GPL-3.0-or-later' } }))
  })

  it('suggests the closest SPDX ids for a mistyped licence', async () => {
    setup()
    fireEvent.click(screen.getByRole('button', { name: 'Edit details' }))
    const form = screen.getByRole('form', { name: 'Edit details' })
    type(field(form, 'Hardware licence (SPDX)'), 'CERN-OHL-S-2')
    expect((await within(form).findByText(/is not an SPDX licence id/)).textContent).toBe('“CERN-OHL-S-2” is not an SPDX licence id. Did you mean CERN-OHL-S-2.0?')
    // No unambiguous reading: the closest ids, nearest first.
    type(field(form, 'Software licence (SPDX)'), 'CERN-OHL-S-2.1')
    expect((await within(form).findByText(/“CERN-OHL-S-2.1”/)).textContent).toMatch(/Did you mean CERN-OHL-S-2\.0 or /)
    type(field(form, 'Documentation licence (SPDX)'), 'cc by sa 4.0')
    expect((await within(form).findByText(/“cc by sa 4.0”/)).textContent).toContain('Did you mean CC-BY-SA-4.0')
  })

  it("on a fork, warns about a licence change the upstream's share-alike licence may not allow, and still saves", async () => {
    const { calls } = setup({ upstream: true })
    fireEvent.click(screen.getByRole('button', { name: 'Edit details' }))
    const form = screen.getByRole('form', { name: 'Edit details' })
    type(field(form, 'Hardware licence (SPDX)'), 'MIT')
    const warning = await within(form).findByRole('status', { name: 'Licence warnings' })
    expect(warning.textContent).toMatch(/CERN-OHL-S-2.0 is share-alike/)
    fireEvent.click(within(form).getByRole('button', { name: 'Save details' }))
    await vi.waitFor(() => expect(calls.save).toHaveBeenCalledWith({ licenses: { hardware: 'MIT' } }))
  })

  it('keeps what was typed, with the reason, when saving fails; the draft survives in sessionStorage', async () => {
    const { calls, draftName } = setup()
    calls.save.mockRejectedValue(Object.assign(new Error('the hub refused'), { kind: 'conflict' }))
    fireEvent.click(screen.getByRole('button', { name: 'Edit details' }))
    const form = screen.getByRole('form', { name: 'Edit details' })
    type(field(form, 'Readme (Markdown)'), '# Longer readme')
    fireEvent.click(within(form).getByRole('button', { name: 'Save details' }))
    expect(await within(form).findByText('Cannot do that now: the hub refused')).toBeTruthy()
    expect(field(form, 'Readme (Markdown)').value).toBe('# Longer readme')
    expect(JSON.parse(sessionStorage.getItem(`cosmolocal/draft/${draftName}`)!)).toMatchObject({ open: true, readme: '# Longer readme' })
  })
})
