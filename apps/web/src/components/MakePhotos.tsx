/** A build report's photos: fetched from peers when not here (like a design's files), then shown in the gallery. */
import type { FileRef } from '@cosmolocal/core'
import { createResource, Show } from 'solid-js'
import { ImageGallery } from './ImageGallery.js'

export interface PhotoSource {
  fetch(file: FileRef): Promise<boolean>
  blob(file: FileRef): Promise<Blob>
}

export function MakePhotos(props: { photos: FileRef[]; files: PhotoSource; label: string }) {
  const [images] = createResource(
    () => props.photos,
    async (list) => {
      const out = []
      for (const f of list) if (await props.files.fetch(f)) out.push({ id: f.id, name: f.name, mediaType: f.mediaType, data: await props.files.blob(f) })
      return out
    },
  )
  return (
    <Show when={props.photos.length > 0}>
      <Show when={images.latest} fallback={<p class="muted">Fetching {props.photos.length} photo(s)…</p>}>
        {(list) => <ImageGallery images={list()} label={props.label} />}
      </Show>
    </Show>
  )
}
