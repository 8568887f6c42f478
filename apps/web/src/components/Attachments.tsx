/**
 * A design's "Files" section: STL files previewed in 3D, photos in a gallery, every file in a table
 * with its type, size and whether this device has its bytes (available, fetching with progress,
 * missing), a Download button, and "Download all" as one zip. Maintainers attach files by drag
 * and drop or "Choose files" (a file that would be a mesh must read as STL, else it is attached as
 * a plain document, and the uploader is told), remove files and change their role. Files not here
 * are fetched from peers as soon as the section shows, and asked for again every FILE_RETRY_MS
 * while they are missing.
 */
import { guessFileType, MAX_BLOB_BYTES, type FileRef, type FileRole, type VerifiedDesign } from '@cosmolocal/core'
import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js'
import { mediaKind } from '../attachments/media.js'
import { checkStlFile } from '../attachments/stl.js'
import { zipName } from '../peer/make.js'
import { FILE_RETRY_MS, MAX_GALLERY_IMAGE_BYTES, MAX_PREVIEW_BYTES } from '../limits.js'
import { describeError } from '../peer/errors.js'
import { FileDrop, type UploadProgress } from './FileDrop.js'
import { FilesList, type FileEntry, type FileState, type FilesListProps } from './FilesList.js'
import { ImageGallery, type GalleryImage } from './ImageGallery.js'
import { ErrorNotice } from './Notice.js'
import { StlPreview } from './StlPreview.js'
import './attachments.css'

/** What the section needs from the peer (`BrowserFiles` in the app). */
export interface AttachmentSource {
  state(file: FileRef): FileState
  /** Makes sure the bytes are here (fetching them); false when no peer had them. Never throws. */
  fetch(file: FileRef): Promise<boolean>
  bytes(file: FileRef): Promise<Uint8Array>
  blob(file: FileRef): Promise<Blob>
  upload(design: VerifiedDesign, file: File, callbacks: { onProgress?(loaded: number, total: number): void; role?: FileRole }): Promise<FileRef>
}

export interface AttachmentsProps {
  design: VerifiedDesign
  maintainer: boolean
  files: AttachmentSource
  /** Saves bytes to the person's device (the app's `saveBlob`). */
  onSave: (blob: Blob, name: string) => void
  /** Maintainers' tools. */
  onRemove?: (id: string) => Promise<void>
  onRole?: (id: string, role: FileRole) => Promise<void>
  /** Comments and needs about a file, shown beside it in the list. */
  aside?: FilesListProps['aside']
}

/** Which files get a 3D preview and which go to the gallery (bytes here and not too large to show). */
export function previewable(files: readonly FileRef[], state: (f: FileRef) => FileState): { meshes: FileRef[]; images: FileRef[] } {
  const here = (f: FileRef) => state(f).kind === 'available'
  const sorted = [...files].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
  return {
    meshes: sorted.filter((f) => mediaKind(f.name, f.mediaType) === 'mesh' && f.size <= MAX_PREVIEW_BYTES && here(f)),
    images: sorted.filter((f) => mediaKind(f.name, f.mediaType) === 'image' && f.size <= MAX_GALLERY_IMAGE_BYTES && here(f)),
  }
}

const same = (a: readonly FileRef[], b: readonly FileRef[]) => a.length === b.length && a.every((f, i) => f === b[i])

function MeshPreview(props: { file: FileRef; source: AttachmentSource }) {
  const [bytes] = createResource(
    () => props.file,
    (f) => props.source.bytes(f),
  )
  return (
    <Show when={bytes()} fallback={<p class="muted">{bytes.error ? `Cannot read ${props.file.name}: ${describeError(bytes.error)}` : `Reading ${props.file.name}…`}</p>}>
      {(b) => <StlPreview bytes={b()} name={props.file.name} />}
    </Show>
  )
}

export function Attachments(props: AttachmentsProps) {
  const refs = () => props.design.content.files
  const [uploads, setUploads] = createSignal<UploadProgress[]>([])
  const [error, setError] = createSignal<string | null>(null)
  const [notes, setNotes] = createSignal<string[]>([])
  const [busy, setBusy] = createSignal(false)
  const asking = new Set<string>()

  const ask = (f: FileRef) => {
    if (asking.has(f.hash)) return
    asking.add(f.hash)
    void props.files.fetch(f).finally(() => asking.delete(f.hash))
  }

  createEffect(on(refs, (files) => files.forEach(ask)))
  const retry = setInterval(() => {
    for (const f of refs()) if (props.files.state(f).kind === 'missing') ask(f)
  }, FILE_RETRY_MS)
  onCleanup(() => clearInterval(retry))

  const entries = (): FileEntry[] => refs().map((f) => ({ ...f, state: props.files.state(f) }))
  // The design is re-read on every change; keep one object per file so that previews and the
  // gallery are not rebuilt (nor their bytes read again) when nothing about the file changed.
  let known = new Map<string, FileRef>()
  const stable = createMemo(() => {
    const next = new Map<string, FileRef>()
    const out = refs().map((f) => {
      const key = JSON.stringify(f)
      const kept = known.get(key) ?? f
      next.set(key, kept)
      return kept
    })
    known = next
    return out
  })
  const shown = createMemo(
    () => previewable(stable(), (f) => props.files.state(f)),
    undefined,
    { equals: (a, b) => same(a.meshes, b.meshes) && same(a.images, b.images) },
  )
  const [images] = createResource(
    () => shown().images,
    async (list): Promise<GalleryImage[]> =>
      await Promise.all(list.map(async (f) => ({ id: f.id, name: f.name, mediaType: f.mediaType, data: await props.files.blob(f) }))),
  )

  async function download(id: string) {
    const f = refs().find((x) => x.id === id)
    if (f === undefined) return
    setError(null)
    try {
      if (!(await props.files.fetch(f))) {
        const s = props.files.state(f)
        throw new Error(s.kind === 'missing' && s.reason !== undefined ? s.reason : 'no connected peer has it')
      }
      props.onSave(await props.files.blob(f), f.name)
    } catch (err) {
      setError(`Could not download ${f.name}: ${describeError(err)}`)
    }
  }

  async function upload(list: File[]) {
    const start = list.map((f) => ({ name: f.name, loaded: 0, total: f.size }))
    setUploads((u) => [...u.filter((x) => x.error === undefined && x.loaded < x.total), ...start])
    setNotes([])
    const update = (name: string, patch: Partial<UploadProgress>) => setUploads((u) => u.map((x) => (x.name === name ? { ...x, ...patch } : x)))
    for (const file of list) {
      try {
        // A mesh must be one the preview can read: anything else named .stl is kept as a plain document.
        let role: FileRole | undefined
        if (guessFileType(file.name).role === 'mesh' && mediaKind(file.name, file.type) === 'mesh') {
          const checked = await checkStlFile(file)
          if (!checked.ok) {
            role = 'document'
            setNotes((n) => [...n, `${file.name} is not a readable STL file: ${checked.problem} It was attached as a plain document; remove it if it is not what you meant.`])
          }
        }
        await props.files.upload(props.design, file, { onProgress: (loaded) => update(file.name, { loaded }), ...(role === undefined ? {} : { role }) })
        update(file.name, { loaded: file.size })
      } catch (err) {
        update(file.name, { error: describeError(err) })
      }
    }
  }

  async function tool(op: () => Promise<void>) {
    setBusy(true)
    setError(null)
    try {
      await op()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  /** Every file in one zip, fetched first where needed; files no peer has are listed in the zip's MISSING.txt. */
  async function downloadAll() {
    setError(null)
    setBusy(true)
    try {
      const entries: { name: string; bytes: Uint8Array }[] = []
      const missing: string[] = []
      for (const f of refs()) {
        if (await props.files.fetch(f)) entries.push({ name: f.name, bytes: await props.files.bytes(f) })
        else missing.push(f.name)
      }
      const { zipFiles } = await import('../peer/zip.js')
      props.onSave(new Blob([zipFiles(entries, missing) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), zipName(props.design.content.title))
    } catch (err) {
      setError(`Could not make the zip: ${describeError(err)}`)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="attachments" aria-labelledby="files-heading">
      <div class="section-head">
        <h2 id="files-heading">Files</h2>
        <Show when={refs().length > 1}>
          <button type="button" class="secondary" disabled={busy()} onClick={() => void downloadAll()}>
            Download all (zip)
          </button>
        </Show>
      </div>
      <For each={shown().meshes}>{(f) => <MeshPreview file={f} source={props.files} />}</For>
      <Show when={(images() ?? []).length > 0}>
        <ImageGallery images={images() ?? []} />
      </Show>
      <FilesList
        files={entries()}
        onDownload={(id) => void download(id)}
        empty="No files attached yet."
        busy={busy()}
        aside={props.aside}
        {...(props.maintainer && props.onRemove ? { onRemove: (id: string) => void tool(() => props.onRemove!(id)) } : {})}
        {...(props.maintainer && props.onRole ? { onRole: (id: string, role: FileRole) => void tool(() => props.onRole!(id, role)) } : {})}
      />
      <ErrorNotice message={error()} onDismiss={() => setError(null)} />
      <Show when={props.maintainer}>
        <FileDrop onFiles={(files) => void upload(files)} maxBytes={MAX_BLOB_BYTES} uploads={uploads()} />
        <For each={notes()}>
          {(n) => (
            <p class="warning" role="alert">
              {n}
            </p>
          )}
        </For>
      </Show>
    </section>
  )
}
