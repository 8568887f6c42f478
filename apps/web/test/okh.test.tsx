import OHLOOM from '../../../packages/core/test/fixtures/okh/OHLOOM.okh.toml?raw'
import { importOkh } from '@cosmolocal/core'
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { manifestName, OkhExport } from '../src/components/OkhExport.js'
import { manifestSyntax, OkhImport } from '../src/components/OkhImport.js'
import { design } from './design-fixture.js'

afterEach(cleanup)


function pick(name: string, text: string) {
  const input = screen.getByLabelText('OKH manifest (okh.toml, okh.yml)') as HTMLInputElement
  fireEvent.change(input, { target: { files: [new File([text], name)] } })
}

describe('OKH import', () => {
  it('tells TOML from YAML by the file name', () => {
    expect(manifestSyntax('okh.toml')).toBe('toml')
    expect(manifestSyntax('OKH.YML')).toBe('yaml')
    expect(manifestSyntax('x.yaml')).toBe('yaml')
    expect(manifestSyntax('manifest')).toBeUndefined()
  })

  it('creates the design from a real manifest, lists its warnings, and opens it when asked', async () => {
    const create = vi.fn(async () => 'NEW')
    const onOpen = vi.fn()
    render(() => <OkhImport create={create} onOpen={onOpen} />)
    pick('OHLOOM.okh.toml', OHLOOM)
    const alert = await screen.findByRole('alert', { name: 'Import warnings' })
    expect(create).toHaveBeenCalledOnce()
    expect((create.mock.calls[0] as unknown as [{ title: string }])[0].title).toBe('OHLOOM')
    expect(alert.textContent).toContain('OTLR-5')
    expect(onOpen).not.toHaveBeenCalled()
    fireEvent.click(screen.getByRole('button', { name: 'Open the new design' }))
    expect(onOpen).toHaveBeenCalledWith('NEW')
  })

  it('opens a design at once when the manifest had nothing to warn about', async () => {
    const clean = importOkh(OHLOOM).design
    const onOpen = vi.fn()
    const text = `okhv = "OKH-LOSHv1.0"\nname = "Clean"\nrepo = "https://example.org/clean"\nversion = "1.0.0"\nlicense = "CERN-OHL-S-2.0"\nlicensor = "Someone"\n`
    expect(clean.title).toBe('OHLOOM')
    render(() => <OkhImport create={async () => 'C'} onOpen={onOpen} />)
    pick('okh.toml', text)
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith('C'))
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('says in one sentence why a file that is not a manifest cannot be imported, creating nothing', async () => {
    const create = vi.fn(async () => 'X')
    render(() => <OkhImport create={create} onOpen={vi.fn()} />)
    pick('okh.toml', 'this is = = not toml [')
    expect((await screen.findByRole('alert')).querySelector('span')!.textContent).toBe('okh.toml is not an Open Know-How manifest: its TOML cannot be read (there is a mistake near line 1).')
    cleanup()
    render(() => <OkhImport create={create} onOpen={vi.fn()} />)
    pick('photo.png', new TextDecoder().decode(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])))
    expect((await screen.findByRole('alert')).querySelector('span')!.textContent).toBe(
      'photo.png is not an Open Know-How manifest: it is not text (it looks like an image or another binary file).',
    )
    expect(create).not.toHaveBeenCalled()
  })
})

describe('OKH export', () => {
  it('names the manifest after the design', () => {
    expect(manifestName('Frame loom')).toBe('frame-loom.okh.toml')
    expect(manifestName('Ölmühle / v2')).toBe('olmuhle-v2.okh.toml')
    expect(manifestName('—')).toBe('design.okh.toml')
  })

  it('saves a manifest core reads back and lists what it lacks', async () => {
    const onSave = vi.fn()
    const d = design({ title: 'Frame loom', licenses: { hardware: 'CERN-OHL-S-2.0', documentation: null, software: null } })
    render(() => <OkhExport design={d} onSave={onSave} />)
    fireEvent.click(screen.getByRole('button', { name: 'Export OKH manifest' }))
    await waitFor(() => expect(onSave).toHaveBeenCalledOnce())
    const [blob, name] = onSave.mock.calls[0] as [Blob, string]
    expect(name).toBe('frame-loom.okh.toml')
    const back = importOkh(await blob.text(), { syntax: 'toml' })
    expect(back.design.title).toBe('Frame loom')
    expect(back.design.licenses?.hardware).toBe('CERN-OHL-S-2.0')
    // No repo, version or licensor: the export says so.
    const status = await screen.findByRole('status')
    expect(status.textContent).toContain('repo')
    expect(status.textContent).toContain('licensor')
  })
})
