import { cleanup, fireEvent, render, screen, within } from '@solidjs/testing-library'
import { createSignal } from 'solid-js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { BlobHash } from '@cosmolocal/core'
import { FilesList, type FileEntry } from '../src/components/FilesList.js'

afterEach(cleanup)

const entry = (id: string, name: string, position: number, extra: Partial<FileEntry> = {}): FileEntry => ({
  id,
  name,
  hash: `${id}`.padEnd(64, '0') as BlobHash,
  root: `${id}`.padEnd(64, '1') as BlobHash,
  size: 1000,
  mediaType: 'application/octet-stream',
  role: 'document',
  position,
  state: { kind: 'available' },
  ...extra,
})

const rowOf = (name: string) => screen.getByRole('cell', { name }).closest('tr')!
const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent)

describe('FilesList', () => {
  it('lists files in position order with role, media type and a readable size', () => {
    render(() => (
      <FilesList
        files={[
          entry('c', 'frame.step', 3, { size: 5 * 1024 * 1024 + 300 * 1024, role: 'cad', mediaType: 'model/step' }),
          entry('a', 'notes.txt', 1, { size: 512, mediaType: 'text/plain' }),
          entry('b', 'cut.dxf', 2, { size: 1536, role: 'drawing', mediaType: 'image/vnd.dxf' }),
        ]}
        onDownload={() => {}}
      />
    ))
    const rows = screen.getAllByRole('row').slice(1)
    expect(rows.map((r) => cells(r).slice(0, 4))).toEqual([
      ['notes.txt', 'document', 'text/plain', '512 B'],
      ['cut.dxf', 'drawing', 'image/vnd.dxf', '1.5 KB'],
      ['frame.step', 'cad', 'model/step', '5.3 MB'],
    ])
  })

  it('shows each state: available, fetching with progress, missing with an explanation', () => {
    render(() => (
      <FilesList
        files={[
          entry('a', 'here.pdf', 1),
          entry('b', 'coming.step', 2, { size: 4000, state: { kind: 'fetching', loaded: 1000 } }),
          entry('c', 'gone.stl', 3, { state: { kind: 'missing' } }),
          entry('d', 'refused.stl', 4, { state: { kind: 'missing', reason: 'the bytes did not match the hash' } }),
        ]}
        onDownload={() => {}}
      />
    ))
    expect(cells(rowOf('here.pdf'))[4]).toBe('Available')

    const fetching = rowOf('coming.step')
    expect(cells(fetching)[4]).toContain('Fetching 25%')
    const bar = within(fetching).getByRole('progressbar', { name: 'Fetching coming.step' }) as HTMLProgressElement
    expect([bar.value, bar.max]).toEqual([1000, 4000])
    expect((within(fetching).getByRole('button', { name: 'Download coming.step' }) as HTMLButtonElement).disabled).toBe(true)

    const missing = cells(rowOf('gone.stl'))[4]!
    expect(missing).toContain('Missing.')
    expect(missing).toContain('no connected peer has it right now')
    expect(cells(rowOf('refused.stl'))[4]).toContain('(the bytes did not match the hash)')
    expect((within(rowOf('gone.stl')).getByRole('button', { name: 'Download gone.stl' }) as HTMLButtonElement).disabled).toBe(false)
  })

  it('calls onDownload with the id of the row', () => {
    const onDownload = vi.fn<(id: string) => void>()
    render(() => <FilesList files={[entry('a', 'one.pdf', 1), entry('b', 'two.pdf', 2)]} onDownload={onDownload} />)
    fireEvent.click(screen.getByRole('button', { name: 'Download two.pdf' }))
    expect(onDownload).toHaveBeenCalledExactlyOnceWith('b')
  })

  it('follows state changes given by the caller', () => {
    const [files, setFiles] = createSignal([entry('a', 'frame.step', 1, { state: { kind: 'fetching', loaded: 0 } })])
    render(() => <FilesList files={files()} onDownload={() => {}} />)
    expect(cells(rowOf('frame.step'))[4]).toContain('Fetching 0%')
    setFiles([entry('a', 'frame.step', 1)])
    expect(cells(rowOf('frame.step'))[4]).toBe('Available')
  })

  it('says so when there are no files', () => {
    render(() => <FilesList files={[]} onDownload={() => {}} />)
    expect(screen.getByText('No other files.')).toBeTruthy()
    expect(screen.queryByRole('table')).toBeNull()
  })
})
