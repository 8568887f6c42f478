import { cleanup, fireEvent, render, screen, within } from '@solidjs/testing-library'
import { createSignal } from 'solid-js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ImageGallery, type GalleryImage } from '../src/components/ImageGallery.js'

// jsdom has no object URLs; these record what the gallery makes and gives back.
let made: string[] = []
let revoked: string[] = []
const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL }
beforeEach(() => {
  made = []
  revoked = []
  let n = 0
  URL.createObjectURL = (blob: Blob | MediaSource) => {
    const url = `blob:test/${++n}-${blob instanceof Blob ? blob.type : 'media'}`
    made.push(url)
    return url
  }
  URL.revokeObjectURL = (url: string) => void revoked.push(url)
})
afterEach(() => {
  cleanup()
  URL.createObjectURL = original.create
  URL.revokeObjectURL = original.revoke
})

const image = (id: string, name: string): GalleryImage => ({ id, name, mediaType: 'image/png', data: new Uint8Array([1, 2, 3]) })
const photos = [image('a', 'front-view.png'), image('b', 'side_view.png'), image('c', 'detail.png')]
const dialog = () => screen.getByRole('dialog')
const key = (k: string) => fireEvent.keyDown(document.activeElement!, { key: k })
const flush = () => new Promise<void>((r) => queueMicrotask(r))

describe('ImageGallery', () => {
  it('shows a thumbnail per photo, with alt text from the file name', () => {
    render(() => <ImageGallery images={photos} />)
    const grid = screen.getByRole('region', { name: 'Photos' })
    const imgs = within(grid).getAllByRole('img') as HTMLImageElement[]
    expect(imgs.map((i) => i.alt)).toEqual(['front view', 'side view', 'detail'])
    expect(imgs.map((i) => i.getAttribute('src'))).toEqual(made)
    expect(made).toHaveLength(3)
    expect(made[0]).toContain('image/png')
  })

  it('opens a larger view; arrows move, Home and End jump, Escape closes and focus returns', async () => {
    render(() => <ImageGallery images={photos} />)
    const second = screen.getByRole('button', { name: 'View side_view.png larger' })
    fireEvent.click(second)
    await flush()
    expect(dialog().getAttribute('aria-label')).toBe('side_view.png')
    expect(dialog().getAttribute('aria-modal')).toBe('true')
    expect(document.activeElement).toBe(dialog())
    expect(within(dialog()).getByText('(2 of 3)')).toBeTruthy()
    expect((within(dialog()).getByRole('img') as HTMLImageElement).alt).toBe('side view')

    key('ArrowRight')
    expect(dialog().getAttribute('aria-label')).toBe('detail.png')
    key('ArrowRight')
    expect(dialog().getAttribute('aria-label')).toBe('front-view.png')
    key('ArrowLeft')
    expect(dialog().getAttribute('aria-label')).toBe('detail.png')
    key('Home')
    expect(dialog().getAttribute('aria-label')).toBe('front-view.png')
    key('End')
    expect(dialog().getAttribute('aria-label')).toBe('detail.png')

    key('Escape')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'View detail.png larger' }))
  })

  it('moves and closes with the buttons too, and keeps Tab inside the open view', async () => {
    render(() => <ImageGallery images={photos} />)
    fireEvent.click(screen.getByRole('button', { name: 'View front-view.png larger' }))
    await flush()
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Next photo' }))
    expect(dialog().getAttribute('aria-label')).toBe('side_view.png')
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Previous photo' }))
    expect(dialog().getAttribute('aria-label')).toBe('front-view.png')

    const close = within(dialog()).getByRole('button', { name: 'Close' })
    close.focus()
    key('Tab')
    expect(document.activeElement).toBe(within(dialog()).getByRole('button', { name: 'Previous photo' }))
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(close)

    fireEvent.click(close)
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('says so when a photo cannot be decoded, instead of a blank box', async () => {
    render(() => <ImageGallery images={[image('a', 'broken.png')]} />)
    fireEvent.error(screen.getByRole('img'))
    expect(screen.getByText('Cannot show this image')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'View broken.png larger' }))
    await flush()
    expect(within(dialog()).getByText(/broken\.png cannot be shown/)).toBeTruthy()
  })

  it('revokes the URL of a photo that leaves the list, and all of them on cleanup', () => {
    const [images, setImages] = createSignal(photos)
    const { unmount } = render(() => <ImageGallery images={images()} />)
    expect(made).toHaveLength(3)
    setImages([photos[0]!, photos[2]!])
    expect(revoked).toEqual([made[1]])
    expect(made).toHaveLength(3)
    unmount()
    expect([...revoked].sort()).toEqual([...made].sort())
  })
})
