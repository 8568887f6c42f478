import type { FileRef, VerifiedDesign } from '@cosmolocal/core'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library'
import { createSignal } from 'solid-js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Attachments, previewable, type AttachmentSource } from '../src/components/Attachments.js'
import type { FileState } from '../src/components/FilesList.js'
import { design, fileRef } from './design-fixture.js'

afterEach(cleanup)

/** An AttachmentSource over a Map of bytes, with `remote` playing the peers that have some files. */
function source(here: Map<string, Uint8Array>, remote = new Map<string, Uint8Array>()) {
  const [version, setVersion] = createSignal(0)
  const states = new Map<string, FileState>()
  const set = (hash: string, s: FileState) => {
    states.set(hash, s)
    setVersion((v) => v + 1)
  }
  const uploaded: string[] = []
  const s: AttachmentSource & { uploaded: string[] } = {
    uploaded,
    state: (f) => (version(), states.get(f.hash) ?? { kind: 'missing' }),
    fetch: async (f) => {
      if (here.has(f.hash)) {
        set(f.hash, { kind: 'available' })
        return true
      }
      const bytes = remote.get(f.hash)
      if (bytes === undefined) {
        set(f.hash, { kind: 'missing', reason: 'no connected peer has it' })
        return false
      }
      here.set(f.hash, bytes)
      set(f.hash, { kind: 'available' })
      return true
    },
    bytes: async (f) => here.get(f.hash)!,
    blob: async (f) => new Blob([here.get(f.hash)!.slice()], { type: f.mediaType }),
    upload: async (_d, file, cb) => {
      cb.onProgress?.(file.size, file.size)
      uploaded.push(file.name)
      return fileRef('new', file.name)
    },
  }
  return s
}

const props = (d: VerifiedDesign, files: AttachmentSource, extra: { maintainer?: boolean } = {}) => ({
  design: d,
  maintainer: extra.maintainer ?? true,
  files,
  onSave: vi.fn(),
})

describe('Attachments', () => {
  it('previews STL files and photos whose bytes are here, and nothing that is missing or too large', () => {
    const stl = fileRef('a', 'clamp.stl', { mediaType: 'model/stl' })
    const big = fileRef('b', 'huge.stl', { size: 1024 * 1024 * 1024 })
    const photo = fileRef('c', 'front.jpg', { mediaType: 'image/jpeg' })
    const absent = fileRef('d', 'side.png', { mediaType: 'image/png' })
    const doc = fileRef('e', 'notes.pdf', { mediaType: 'application/pdf' })
    const here = new Set(['a', 'b', 'c', 'e'].map((id) => id.padEnd(64, '0')))
    const shown = previewable([doc, absent, photo, big, stl], (f) => (here.has(f.hash) ? { kind: 'available' } : { kind: 'missing' }))
    expect(shown.meshes.map((f) => f.name)).toEqual(['clamp.stl'])
    expect(shown.images.map((f) => f.name)).toEqual(['front.jpg'])
  })

  it('fetches missing files on sight and shows each one available or missing with the reason', async () => {
    const have = fileRef('a', 'notes.pdf')
    const peers = fileRef('b', 'drawing.dxf', { position: 2 })
    const nobody = fileRef('c', 'frame.step', { position: 3 })
    const files = source(new Map([[have.hash, new Uint8Array([1, 2, 3])]]), new Map([[peers.hash, new Uint8Array([4])]]))
    render(() => <Attachments {...props(design({ files: [have, peers, nobody] }), files)} />)
    const section = screen.getByRole('region', { name: 'Files' })
    await waitFor(() => expect(section.querySelectorAll('tr[data-state="available"]').length).toBe(2))
    const missing = section.querySelector('tr[data-state="missing"]')!
    expect(missing.textContent).toContain('frame.step')
    expect(missing.textContent).toContain('no connected peer has it')
  })

  it('downloads a file with its name, and says why when no peer has it', async () => {
    const f = fileRef('a', 'notes.pdf', { mediaType: 'application/pdf' })
    const gone = fileRef('b', 'gone.pdf', { position: 2 })
    const files = source(new Map([[f.hash, new Uint8Array([1, 2, 3])]]))
    const p = props(design({ files: [f, gone] }), files)
    render(() => <Attachments {...p} />)
    fireEvent.click(await screen.findByRole('button', { name: 'Download notes.pdf' }))
    await waitFor(() => expect(p.onSave).toHaveBeenCalledOnce())
    const [blob, name] = p.onSave.mock.calls[0] as [Blob, string]
    expect(name).toBe('notes.pdf')
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]))
    fireEvent.click(screen.getByRole('button', { name: 'Download gone.pdf' }))
    expect((await screen.findByText(/Could not download gone\.pdf/)).textContent).toContain('no connected peer has it')
  })

  it('lets maintainers drop files to upload, with their progress', async () => {
    const files = source(new Map())
    render(() => <Attachments {...props(design(), files)} />)
    expect(screen.getByText('No files attached yet.')).toBeTruthy()
    const zone = screen.getByRole('group', { name: 'Attach files' })
    const file = new File([new Uint8Array(10)], 'bracket.stl', { type: 'model/stl' })
    fireEvent.drop(zone, { dataTransfer: { files: [file] } })
    await waitFor(() => expect(files.uploaded).toEqual(['bracket.stl']))
    const uploads = await screen.findByRole('list', { name: 'Uploads' })
    expect(within(uploads).getByText('bracket.stl')).toBeTruthy()
    expect(uploads.textContent).toContain('done')
  })

  it('lets maintainers remove a file and change its role', async () => {
    const junk = fileRef('a', 'junk.bin')
    const onRemove = vi.fn(async () => {})
    const onRole = vi.fn(async () => {})
    render(() => <Attachments {...props(design({ files: [junk] }), source(new Map()))} onRemove={onRemove} onRole={onRole} />)
    fireEvent.click(screen.getByRole('button', { name: 'Remove junk.bin' }))
    await waitFor(() => expect(onRemove).toHaveBeenCalledWith(junk.id))
    fireEvent.change(screen.getByRole('combobox', { name: 'Role of junk.bin' }), { target: { value: 'drawing' } })
    await waitFor(() => expect(onRole).toHaveBeenCalledWith(junk.id, 'drawing'))
  })

  it('attaches a file named .stl that is not a readable STL as a plain document, and says so', async () => {
    const files = source(new Map())
    const roles: (string | undefined)[] = []
    const upload = files.upload.bind(files)
    files.upload = async (d, f, cb) => {
      roles.push(cb.role)
      return await upload(d, f, cb)
    }
    render(() => <Attachments {...props(design(), files)} />)
    const zone = screen.getByRole('group', { name: 'Attach files' })
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['not a mesh at all'], 'bracket.stl', { type: 'model/stl' })] } })
    expect((await screen.findByText(/bracket\.stl is not a readable STL file/)).textContent).toContain('attached as a plain document')
    expect(roles).toEqual(['document'])
  })

  it('offers non-maintainers no upload zone and no file tools', () => {
    const f = fileRef('a', 'notes.pdf')
    const p = props(design({ files: [f] }), source(new Map()), { maintainer: false })
    render(() => <Attachments {...p} onRemove={vi.fn()} onRole={vi.fn()} />)
    expect(screen.queryByRole('group', { name: 'Attach files' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Remove notes.pdf' })).toBeNull()
    expect(screen.queryByRole('combobox', { name: 'Role of notes.pdf' })).toBeNull()
  })
})
