/** Download a design as an OKH-LOSH manifest (`okh.toml`), saying what the manifest lacks. */
import type { OkhWarning, VerifiedDesign } from '@cosmolocal/core'
import { createSignal, For, Show } from 'solid-js'
import { describeError } from '../peer/errors.js'
import { ErrorNotice } from './Notice.js'
import './okh-licences.css'

/** A file name for a design's manifest: "Frame loom" → "frame-loom.okh.toml". */
export function manifestName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return `${slug === '' ? 'design' : slug}.okh.toml`
}

export function OkhWarningList(props: { warnings: readonly OkhWarning[] }) {
  return (
    <ul class="warning-list">
      <For each={props.warnings}>
        {(w) => (
          <li>
            <Show when={w.path !== ''}>
              <span class="okh-path">{w.path}</span>:{' '}
            </Show>
            {w.problem}
          </li>
        )}
      </For>
    </ul>
  )
}

export function OkhExport(props: { design: VerifiedDesign; onSave: (blob: Blob, name: string) => void }) {
  const [warnings, setWarnings] = createSignal<OkhWarning[] | null>(null)
  const [error, setError] = createSignal<string | null>(null)
  async function run() {
    setError(null)
    try {
      const { exportOkh } = await import('../okh-core.js')
      const d = props.design
      const out = exportOkh({ content: d.content, url: d.url, forkedFrom: d.forkedFrom?.url ?? null })
      props.onSave(new Blob([out.text], { type: 'application/toml' }), manifestName(d.content.title))
      setWarnings(out.warnings)
    } catch (err) {
      setError(`Could not export: ${describeError(err)}`)
    }
  }
  return (
    <section class="okh-export" aria-label="Open Know-How">
      <button type="button" onClick={() => void run()}>
        Export OKH manifest
      </button>
      <ErrorNotice message={error()} />
      <Show when={warnings()}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">Manifest saved.</p>}>
            <div class="warning" role="status">
              <h3>Manifest saved; it lacks {list().length === 1 ? 'one thing' : `${list().length} things`} OKH-LOSH asks for</h3>
              <OkhWarningList warnings={list()} />
            </div>
          </Show>
        )}
      </Show>
    </section>
  )
}
