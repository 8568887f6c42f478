/**
 * A design's photos: a grid of thumbnails that open a larger view. In the larger view the arrow
 * keys move between photos, Home and End jump to the first and last, Escape closes and focus goes
 * back to the thumbnail. Images are shown from object URLs made from the bytes given, revoked when
 * an image leaves the list or the gallery goes away.
 */
import { createMemo, createSignal, For, onCleanup, Show } from 'solid-js'
import { altFromName } from '../attachments/media.js'
import './attachments.css'

export interface GalleryImage {
  id: string
  name: string
  mediaType: string
  data: Blob | Uint8Array
}

export interface ImageGalleryProps {
  images: GalleryImage[]
  /** The gallery's accessible name; "Photos" by default. */
  label?: string
}

function toBlob(image: GalleryImage): Blob {
  return image.data instanceof Blob ? image.data : new Blob([image.data.slice()], { type: image.mediaType })
}

export function ImageGallery(props: ImageGalleryProps) {
  // One object URL per distinct data object, kept across updates of the list.
  let urls = new Map<GalleryImage['data'], string>()
  const urlFor = createMemo(() => {
    const next = new Map<GalleryImage['data'], string>()
    for (const image of props.images) next.set(image.data, urls.get(image.data) ?? URL.createObjectURL(toBlob(image)))
    for (const [data, url] of urls) if (!next.has(data)) URL.revokeObjectURL(url)
    urls = next
    return next
  })
  onCleanup(() => {
    for (const url of urls.values()) URL.revokeObjectURL(url)
    urls = new Map()
  })

  const [open, setOpen] = createSignal<number | null>(null)
  const [broken, setBroken] = createSignal<ReadonlySet<string>>(new Set())
  const thumbs: HTMLButtonElement[] = []
  let dialog: HTMLDivElement | undefined

  const current = () => {
    const i = open()
    return i === null ? undefined : props.images[i]
  }
  const markBroken = (id: string) => setBroken((s) => new Set(s).add(id))

  function show(index: number) {
    const n = props.images.length
    if (n === 0) return
    setOpen(((index % n) + n) % n)
  }
  function close() {
    const i = open()
    setOpen(null)
    if (i !== null) thumbs[i]?.focus()
  }

  function onKeyDown(e: KeyboardEvent) {
    const i = open()
    if (i === null) return
    const keys: Record<string, () => void> = {
      Escape: close,
      ArrowRight: () => show(i + 1),
      ArrowDown: () => show(i + 1),
      ArrowLeft: () => show(i - 1),
      ArrowUp: () => show(i - 1),
      Home: () => show(0),
      End: () => show(props.images.length - 1),
    }
    const action = keys[e.key]
    if (action !== undefined) {
      e.preventDefault()
      action()
      return
    }
    // Keep Tab inside the dialog while it is open.
    if (e.key === 'Tab' && dialog !== undefined) {
      const focusable = Array.from(dialog.querySelectorAll<HTMLElement>('button:not([disabled])'))
      const first = focusable[0]
      const last = focusable[focusable.length - 1]
      if (first === undefined || last === undefined) return
      if (e.shiftKey && (document.activeElement === first || document.activeElement === dialog)) {
        e.preventDefault()
        last.focus()
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault()
        first.focus()
      }
    }
  }

  return (
    <section class="gallery" aria-label={props.label ?? 'Photos'}>
      <ul class="gallery-grid">
        <For each={props.images}>
          {(image, i) => (
            <li>
              <button type="button" class="thumb" ref={(el) => (thumbs[i()] = el)} onClick={() => show(i())} aria-label={`View ${image.name} larger`}>
                <Show when={!broken().has(image.id)} fallback={<span class="thumb-broken">Cannot show this image</span>}>
                  <img src={urlFor().get(image.data)} alt={altFromName(image.name)} loading="lazy" decoding="async" onError={() => markBroken(image.id)} />
                </Show>
                <span class="thumb-name">{image.name}</span>
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={current()}>
        {(image) => (
          <div class="lightbox" onClick={(e) => e.target === e.currentTarget && close()}>
            <div
              class="lightbox-body"
              role="dialog"
              aria-modal="true"
              aria-label={image().name}
              tabIndex={-1}
              ref={(el) => {
                dialog = el
                queueMicrotask(() => el.focus())
              }}
              onKeyDown={onKeyDown}
            >
              <Show when={!broken().has(image().id)} fallback={<p class="error">{image().name} cannot be shown: the browser could not decode it. Download it instead.</p>}>
                <img src={urlFor().get(image().data)} alt={altFromName(image().name)} onError={() => markBroken(image().id)} />
              </Show>
              <div class="lightbox-bar">
                <span aria-live="polite">
                  {image().name} <span class="muted">({(open() ?? 0) + 1} of {props.images.length})</span>
                </span>
                <span>
                  <button type="button" onClick={() => show((open() ?? 0) - 1)} disabled={props.images.length < 2} aria-label="Previous photo">
                    ←
                  </button>
                  <button type="button" onClick={() => show((open() ?? 0) + 1)} disabled={props.images.length < 2} aria-label="Next photo">
                    →
                  </button>
                  <button type="button" onClick={close} aria-label="Close">
                    ✕
                  </button>
                </span>
              </div>
            </div>
          </div>
        )}
      </Show>
    </section>
  )
}
