/**
 * Card pictures. A photo is the file itself (fetched by hash like any file, verified). An STL is
 * drawn once into a small PNG, kept in the blob store like an attachment and remembered by the
 * STL's hash (localStorage), so that each browser renders each mesh once. Drawing happens one at
 * a time, when the browser is idle: the grid shows a placeholder meanwhile and never waits.
 */
import type { BlobHash, BlobStore, FileRef } from '@cosmolocal/core'
import { checkStl } from '../attachments/stl.js'
import { MAX_THUMBNAIL_SOURCE_BYTES, THUMBNAIL_HEIGHT, THUMBNAIL_WIDTH } from '../limits.js'
import type { Thumbnail } from './catalogue.js'

export const PREVIEWS_KEY = 'cosmolocal/previews'

/** What thumbnails need of the peer's files (`BrowserFiles`). */
export interface ThumbnailFiles {
  readonly store: BlobStore
  fetch(file: FileRef): Promise<boolean>
  blob(file: FileRef): Promise<Blob>
}

export interface ThumbnailSource {
  /** An object URL for the card's picture, or null when there is none to show (yet). */
  url(t: Thumbnail): Promise<string | null>
}

const asRef = (t: Thumbnail): FileRef =>
  ({ id: `thumbnail-${t.hash}`, name: t.name, hash: t.hash, root: t.root, size: t.size, mediaType: t.mediaType, role: t.kind === 'photo' ? 'photo' : 'mesh', position: 0 }) as FileRef

const idle = () => new Promise<void>((r) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => r(), { timeout: 2_000 }) : setTimeout(r, 50)))

export class Thumbnails implements ThumbnailSource {
  readonly #files: ThumbnailFiles
  readonly #urls = new Map<string, Promise<string | null>>()
  #queue: Promise<unknown> = Promise.resolve()

  readonly #ready: () => Promise<unknown>

  /** `ready`: resolves once peers can be asked for files (the hub connected, or given up on). */
  constructor(files: ThumbnailFiles, ready: () => Promise<unknown> = async () => {}) {
    this.#files = files
    this.#ready = ready
  }

  /** The file's bytes here, fetched first (once peers can be asked) when they are not. */
  async #have(ref: FileRef): Promise<boolean> {
    if (await this.#files.store.has(ref.hash)) return true
    await this.#ready()
    return await this.#files.fetch(ref)
  }

  url(t: Thumbnail): Promise<string | null> {
    let u = this.#urls.get(t.hash)
    if (u === undefined) {
      u = (t.kind === 'photo' ? this.#photo(t) : this.#mesh(t)).catch(() => null)
      this.#urls.set(t.hash, u)
      // A failure (not on any peer yet) is asked again the next time a card wants it.
      void u.then((v) => v === null && this.#urls.delete(t.hash))
    }
    return u
  }

  async #photo(t: Thumbnail): Promise<string | null> {
    if (t.size > MAX_THUMBNAIL_SOURCE_BYTES) return null
    const ref = asRef(t)
    if (!(await this.#have(ref))) return null
    return URL.createObjectURL(await this.#files.blob(ref))
  }

  async #mesh(t: Thumbnail): Promise<string | null> {
    const kept = loadPreviews()[t.hash]
    if (kept !== undefined && (await this.#files.store.has(kept as BlobHash))) {
      return URL.createObjectURL(new Blob([(await this.#files.store.get(kept as BlobHash)) as Uint8Array<ArrayBuffer>], { type: 'image/png' }))
    }
    if (t.size > MAX_THUMBNAIL_SOURCE_BYTES) return null
    const ref = asRef(t)
    if (!(await this.#have(ref))) return null
    // One drawing at a time, each in idle time.
    const drawn = this.#queue.then(async () => {
      await idle()
      const bytes = await this.#files.store.get(ref.hash)
      if (!checkStl(bytes).ok) return null
      const { snapshotStl } = await import('../attachments/stl-scene.js')
      return await snapshotStl(bytes, THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT)
    })
    this.#queue = drawn.catch(() => null)
    const png = await drawn
    if (png === null) return null
    const info = await this.#files.store.put(png)
    savePreview(t.hash, info.hash)
    return URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }))
  }
}

function loadPreviews(): Record<string, string> {
  try {
    const raw = JSON.parse(localStorage.getItem(PREVIEWS_KEY) ?? '{}') as unknown
    return typeof raw === 'object' && raw !== null ? (raw as Record<string, string>) : {}
  } catch {
    return {}
  }
}

function savePreview(stl: string, png: string): void {
  localStorage.setItem(PREVIEWS_KEY, JSON.stringify({ ...loadPreviews(), [stl]: png }))
}
