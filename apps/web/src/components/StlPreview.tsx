/**
 * An interactive 3D preview of an STL file: drag to orbit, wheel or pinch to zoom, right-drag or
 * two fingers to pan; with the keyboard, focus the view and use the arrows (Shift pans, + and -
 * zoom, 0 resets). The file is checked before three.js sees it, and three.js itself is loaded
 * only when the first preview appears. Whatever goes wrong, the box says why.
 */
import { createEffect, createSignal, createUniqueId, onCleanup, Show } from 'solid-js'
import { formatBytes } from '../attachments/media.js'
import { checkStl } from '../attachments/stl.js'
import type { StlScene } from '../attachments/stl-scene.js'
import './attachments.css'

export interface StlPreviewProps {
  /** The file's bytes, binary or ASCII STL. */
  bytes: Uint8Array
  /** The file name, for labels and messages. */
  name: string
}

type Status =
  | { kind: 'loading' }
  | { kind: 'shown'; triangles: number; size: StlScene['size'] }
  | { kind: 'malformed'; problem: string }
  | { kind: 'unavailable'; problem: string }

const round = (n: number) => (n >= 100 ? Math.round(n) : Math.round(n * 10) / 10)

export function StlPreview(props: StlPreviewProps) {
  const [status, setStatus] = createSignal<Status>({ kind: 'loading' })
  let container!: HTMLDivElement
  let scene: StlScene | null = null
  const hintId = `stl-hint-${createUniqueId()}`

  createEffect(() => {
    const bytes = props.bytes
    let cancelled = false
    onCleanup(() => {
      cancelled = true
      scene?.dispose()
      scene = null
    })
    const checked = checkStl(bytes)
    if (!checked.ok) {
      setStatus({ kind: 'malformed', problem: checked.problem })
      return
    }
    setStatus({ kind: 'loading' })
    import('../attachments/stl-scene.js').then(
      ({ mountStlScene, StlSceneError }) => {
        if (cancelled) return
        try {
          scene = mountStlScene(container, bytes, {
            label: `3D preview of ${props.name}`,
            describedBy: hintId,
            onContextLost: () => setStatus({ kind: 'unavailable', problem: 'the browser stopped the 3D view (its graphics context was lost). Reload the page to see it again.' }),
          })
          setStatus({ kind: 'shown', triangles: scene.triangles, size: scene.size })
        } catch (err) {
          if (err instanceof StlSceneError && err.kind === 'malformed') setStatus({ kind: 'malformed', problem: err.message })
          else setStatus({ kind: 'unavailable', problem: err instanceof Error ? err.message : String(err) })
        }
      },
      (err: unknown) => {
        if (!cancelled) setStatus({ kind: 'unavailable', problem: `the 3D viewer could not be loaded (${err instanceof Error ? err.message : String(err)}).` })
      },
    )
  })

  const shown = () => {
    const s = status()
    return s.kind === 'shown' ? s : null
  }
  const message = () => {
    const s = status()
    if (s.kind === 'malformed') return `${props.name} is not a valid STL file: ${s.problem}`
    if (s.kind === 'unavailable') return `No 3D preview of ${props.name}: ${s.problem} You can still download the file.`
    return null
  }

  return (
    <figure class="stl-preview" aria-busy={status().kind === 'loading'}>
      <div class="stl-stage" classList={{ hidden: message() !== null }}>
        {/* The canvas goes in here; Solid manages no children of this div, so it never clears it. */}
        <div class="stl-canvas" ref={container} />
        <Show when={status().kind === 'loading'}>
          <p class="stl-overlay muted">Loading 3D preview…</p>
        </Show>
      </div>
      <Show when={message()}>
        <p class="error stl-error" role="alert">
          {message()}
        </p>
      </Show>
      <figcaption class="stl-caption">
        <span>{props.name}</span>
        <Show when={shown()}>
          {(s) => (
            <span class="muted">
              {s().triangles.toLocaleString('en')} triangles, {round(s().size.x)} × {round(s().size.y)} × {round(s().size.z)} (file units, usually mm),{' '}
              {formatBytes(props.bytes.byteLength)}
            </span>
          )}
        </Show>
        <span id={hintId} class="sr-only">
          Drag to turn, scroll or pinch to zoom, right-drag to pan. With the keyboard: arrow keys turn, Shift with arrows pans, plus and minus zoom, 0 resets.
        </span>
        <button type="button" disabled={shown() === null} onClick={() => scene?.resetView()}>
          Reset view
        </button>
      </figcaption>
    </figure>
  )
}
