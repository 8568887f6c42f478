/**
 * Where people attach files: drop them on the zone, or use "Choose files" (a real button, so the
 * keyboard and screen readers reach it). Files over the size limit or of a type not accepted are
 * refused with a message naming each one; the rest go to `onFiles`. Uploads in progress, given by
 * the caller, show under the zone with their progress or their error.
 */
import { createSignal, createUniqueId, For, Show } from 'solid-js'
import { formatBytes, percentOf } from '../attachments/media.js'
import { refusalMessages, sortPicked } from '../attachments/pick.js'
import './attachments.css'

export interface UploadProgress {
  name: string
  loaded: number
  total: number
  /** Why the upload failed; the entry stays so people can see what did not make it. */
  error?: string
}

export interface FileDropProps {
  onFiles: (files: File[]) => void
  /** The largest file accepted, in bytes. */
  maxBytes: number
  disabled?: boolean
  /** Like the file input's `accept`: ".stl, image/*, application/pdf". Checked for drops too. */
  accept?: string
  uploads?: UploadProgress[]
  /** The zone's heading-like label; "Attach files" by default. */
  label?: string
}

export function FileDrop(props: FileDropProps) {
  const [over, setOver] = createSignal(false)
  const [refusals, setRefusals] = createSignal<string[]>([])
  const inputId = `file-drop-${createUniqueId()}`
  let input!: HTMLInputElement
  // dragenter/dragleave fire for every child the pointer crosses; count to know when it left.
  let depth = 0

  function take(list: FileList | null | undefined) {
    const files = list === null || list === undefined ? [] : Array.from(list)
    if (files.length === 0 || props.disabled) return
    const picked = sortPicked(files, props.maxBytes, props.accept)
    setRefusals(refusalMessages(picked, props.maxBytes, props.accept))
    if (picked.accepted.length > 0) props.onFiles(picked.accepted)
  }

  // Always cancel the browser's default for drops here: it would open the file and leave the page.
  const onDragEnter = (e: DragEvent) => {
    e.preventDefault()
    depth++
    if (!props.disabled) setOver(true)
  }
  const onDragOver = (e: DragEvent) => {
    e.preventDefault()
    if (e.dataTransfer) e.dataTransfer.dropEffect = props.disabled ? 'none' : 'copy'
  }
  const onDragLeave = () => {
    depth = Math.max(0, depth - 1)
    if (depth === 0) setOver(false)
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    depth = 0
    setOver(false)
    take(e.dataTransfer?.files)
  }

  const label = () => props.label ?? 'Attach files'

  return (
    <div class="file-drop">
      <div
        class="drop-zone"
        classList={{ over: over(), disabled: props.disabled === true }}
        role="group"
        aria-label={label()}
        aria-disabled={props.disabled === true}
        onDragEnter={onDragEnter}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
      >
        <p class="drop-title">{label()}</p>
        <p class="muted">
          Drop files here, or{' '}
          <button type="button" disabled={props.disabled} onClick={() => input.click()}>
            Choose files
          </button>
        </p>
        <p class="muted drop-limit">Up to {formatBytes(props.maxBytes)} each.</p>
        <label for={inputId} class="sr-only">
          Files to attach
        </label>
        {/* The button above opens this input; it is not a tab stop of its own. */}
        <input
          ref={input}
          id={inputId}
          class="sr-only"
          type="file"
          multiple
          tabIndex={-1}
          accept={props.accept}
          disabled={props.disabled}
          onChange={(e) => {
            take(e.currentTarget.files)
            // Clear it so picking the same file again still fires `change`.
            e.currentTarget.value = ''
          }}
        />
      </div>
      <Show when={refusals().length > 0}>
        <div class="error" role="alert">
          <div>
            <For each={refusals()}>{(m) => <p class="refusal">{m}</p>}</For>
          </div>
          <button type="button" class="link" onClick={() => setRefusals([])} aria-label="Dismiss message">
            ✕
          </button>
        </div>
      </Show>
      <Show when={(props.uploads ?? []).length > 0}>
        <ul class="uploads" aria-label="Uploads">
          <For each={props.uploads}>
            {(u) => (
              <li classList={{ failed: u.error !== undefined }}>
                <span class="upload-name">{u.name}</span>
                <Show
                  when={u.error === undefined}
                  fallback={
                    <span class="field-error" role="alert">
                      Upload failed: {u.error}
                    </span>
                  }
                >
                  <progress max={u.total > 0 ? u.total : undefined} value={u.total > 0 ? u.loaded : undefined} aria-label={`Uploading ${u.name}`} />
                  <span class="muted">
                    {u.total > 0 && u.loaded >= u.total ? 'done' : `${formatBytes(u.loaded)} of ${formatBytes(u.total)} ${percentOf(u.loaded, u.total)}`}
                  </span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  )
}
