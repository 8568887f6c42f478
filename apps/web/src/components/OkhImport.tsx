/**
 * Create a design from an Open Know-How manifest (OKH-LOSH `okh.toml`, or OKH v1 `okh.yml`): the
 * file is read in the browser, what could not be taken over is listed, and the new design opens
 * from there.
 */
import type { DesignInit, OkhImport as OkhResult } from '@cosmolocal/core'
import { createSignal, createUniqueId, Show } from 'solid-js'
import { describeError } from '../peer/errors.js'
import { ErrorNotice } from './Notice.js'
import { OkhWarningList } from './OkhExport.js'
import './okh-licences.css'

/** TOML or YAML, from the file name; undefined lets core try both. */
export function manifestSyntax(name: string): 'toml' | 'yaml' | undefined {
  const n = name.toLowerCase()
  if (n.endsWith('.toml')) return 'toml'
  if (n.endsWith('.yml') || n.endsWith('.yaml')) return 'yaml'
  return undefined
}

/** Reads a manifest's text into what to create; throws OkhParseError when it is not a manifest. */
export async function readManifest(name: string, text: string): Promise<OkhResult> {
  const syntax = manifestSyntax(name)
  const { importOkh } = await import('../okh-core.js')
  return importOkh(text, syntax === undefined ? {} : { syntax })
}

export interface OkhImportProps {
  /** Creates the design; returns its id (null: the person declined to make a key, nothing was created). */
  create: (init: DesignInit) => Promise<string | null>
  onOpen: (id: string) => void
}

export function OkhImport(props: OkhImportProps) {
  const inputId = `okh-${createUniqueId()}`
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string | null>(null)
  const [done, setDone] = createSignal<{ id: string; title: string; result: OkhResult } | null>(null)

  async function take(file: File | undefined) {
    if (file === undefined) return
    setBusy(true)
    setError(null)
    setDone(null)
    try {
      const result = await readManifest(file.name, await file.text())
      const id = await props.create(result.design)
      if (id === null) return
      if (result.warnings.length === 0) props.onOpen(id)
      else setDone({ id, title: result.design.title, result })
    } catch (err) {
      // Core's refusal is a sentence about the file ("not an Open Know-How manifest: …"): nothing was created.
      setError(err instanceof Error && err.name === 'OkhParseError' ? `${file.name} is ${err.message}` : `Could not import ${file.name}: ${describeError(err)}`)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="card okh-import" aria-label="Import from Open Know-How">
      <h2>Import an Open Know-How manifest</h2>
      <p class="muted">An OKH-LOSH okh.toml or an OKH v1 okh.yml becomes a new design you maintain.</p>
      <div class="field">
        <label for={inputId}>OKH manifest (okh.toml, okh.yml)</label>
        <input
          id={inputId}
          type="file"
          accept=".toml,.yml,.yaml"
          disabled={busy()}
          onChange={(e) => {
            void take(e.currentTarget.files?.[0])
            e.currentTarget.value = ''
          }}
        />
      </div>
      <Show when={busy()}>
        <p class="muted">Importing…</p>
      </Show>
      <ErrorNotice message={error()} onDismiss={() => setError(null)} />
      <Show when={done()}>
        {(d) => (
          <div class="warning" role="alert" aria-label="Import warnings">
            <h3>
              Created “{d().title}” ({d().result.format === 'okh-losh' ? 'OKH-LOSH' : 'OKH v1'}); {d().result.warnings.length}{' '}
              {d().result.warnings.length === 1 ? 'thing was' : 'things were'} not taken over as is:
            </h3>
            <OkhWarningList warnings={d().result.warnings} />
            <button type="button" onClick={() => props.onOpen(d().id)}>
              Open the new design
            </button>
          </div>
        )}
      </Show>
    </section>
  )
}
