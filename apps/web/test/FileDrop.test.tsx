import { cleanup, fireEvent, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FileDrop, type FileDropProps, type UploadProgress } from '../src/components/FileDrop.js'

afterEach(cleanup)

const file = (name: string, size: number, type = '') => new File([new Uint8Array(size)], name, { type })

function setup(extra: Partial<FileDropProps> = {}) {
  const onFiles = vi.fn<(files: File[]) => void>()
  render(() => <FileDrop onFiles={onFiles} maxBytes={1024} {...extra} />)
  return { onFiles, zone: screen.getByRole('group', { name: extra.label ?? 'Attach files' }) }
}

describe('FileDrop', () => {
  it('hands dropped files to onFiles', () => {
    const { onFiles, zone } = setup()
    const a = file('frame.stl', 100)
    const b = file('front.jpg', 200, 'image/jpeg')
    fireEvent.dragEnter(zone, { dataTransfer: { files: [a, b] } })
    expect(zone.classList.contains('over')).toBe(true)
    fireEvent.drop(zone, { dataTransfer: { files: [a, b] } })
    expect(onFiles).toHaveBeenCalledExactlyOnceWith([a, b])
    expect(zone.classList.contains('over')).toBe(false)
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('cancels the browser default on drag-over and drop, so a dropped file never replaces the page', () => {
    const { zone } = setup()
    expect(fireEvent.dragOver(zone, { dataTransfer: { files: [], dropEffect: 'none' } })).toBe(false)
    expect(fireEvent.drop(zone, { dataTransfer: { files: [file('a.stl', 1)] } })).toBe(false)
  })

  it('refuses files over the limit with a message naming each, and passes on the rest', () => {
    const { onFiles, zone } = setup()
    const ok = file('ok.stl', 1000)
    fireEvent.drop(zone, { dataTransfer: { files: [file('big.stl', 5000), ok, file('huge.step', 3 * 1024 * 1024)] } })
    expect(onFiles).toHaveBeenCalledExactlyOnceWith([ok])
    expect(screen.getByRole('alert').textContent).toContain('Not attached, larger than the 1 KB limit: big.stl (4.9 KB), huge.step (3 MB).')
  })

  it('does not call onFiles when every file is refused', () => {
    const { onFiles, zone } = setup({ accept: '.stl' })
    fireEvent.drop(zone, { dataTransfer: { files: [file('big.stl', 5000), file('notes.txt', 10, 'text/plain')] } })
    expect(onFiles).not.toHaveBeenCalled()
    const alert = screen.getByRole('alert')
    expect(alert.textContent).toContain('big.stl (4.9 KB)')
    expect(alert.textContent).toContain('not one of the accepted types (.stl): notes.txt.')
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss message' }))
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('opens the picker from the "Choose files" button, and takes the files chosen there', () => {
    const { onFiles } = setup({ accept: '.stl,image/*' })
    const button = screen.getByRole('button', { name: 'Choose files' })
    button.focus()
    expect(document.activeElement).toBe(button)
    const input = screen.getByLabelText('Files to attach') as HTMLInputElement
    expect(input.type).toBe('file')
    expect(input.multiple).toBe(true)
    expect(input.accept).toBe('.stl,image/*')
    const opened = vi.spyOn(input, 'click')
    fireEvent.click(button)
    expect(opened).toHaveBeenCalledOnce()

    const chosen = file('frame.stl', 10)
    Object.defineProperty(input, 'files', { value: [chosen], configurable: true })
    fireEvent.change(input)
    expect(onFiles).toHaveBeenCalledExactlyOnceWith([chosen])
  })

  it('ignores drops and disables the button while disabled', () => {
    const { onFiles, zone } = setup({ disabled: true })
    expect((screen.getByRole('button', { name: 'Choose files' }) as HTMLButtonElement).disabled).toBe(true)
    expect(fireEvent.drop(zone, { dataTransfer: { files: [file('a.stl', 1)] } })).toBe(false)
    expect(onFiles).not.toHaveBeenCalled()
  })

  it('shows the progress of uploads and the reason one failed', () => {
    const uploads: UploadProgress[] = [
      { name: 'frame.stl', loaded: 512, total: 2048 },
      { name: 'front.jpg', loaded: 100, total: 100 },
      { name: 'manual.pdf', loaded: 10, total: 900, error: 'the disk is full' },
    ]
    setup({ uploads })
    const list = screen.getByRole('list', { name: 'Uploads' })
    const items = within(list).getAllByRole('listitem')
    expect(items).toHaveLength(3)
    const bar = within(items[0]!).getByRole('progressbar', { name: 'Uploading frame.stl' }) as HTMLProgressElement
    expect(bar.value).toBe(512)
    expect(bar.max).toBe(2048)
    expect(items[0]!.textContent).toContain('512 B of 2 KB 25%')
    expect(items[1]!.textContent).toContain('done')
    expect(within(items[2]!).getByRole('alert').textContent).toBe('Upload failed: the disk is full')
    expect(within(items[2]!).queryByRole('progressbar')).toBeNull()
  })

  it('says the size limit', () => {
    render(() => <FileDrop onFiles={() => {}} maxBytes={64 * 1024 * 1024} />)
    expect(screen.getByText('Up to 64 MB each.')).toBeTruthy()
  })
})
