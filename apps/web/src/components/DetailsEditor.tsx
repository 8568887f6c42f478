/**
 * The design's overview, edited in place by its maintainers: title, summary, readme, version,
 * tags and licences in one form, checked as typed (licences against the SPDX list, with the
 * message next to the field). On a fork, a licence change the upstream's licence may not allow is
 * shown as a warning; saving still works. Everyone else reads it (the page offers one "Fork to edit"). The form is a draft:
 * a reload or a failed save keeps what was typed.
 */
import type { DesignPatch, Licences, PersonNames, VerifiedDesign } from '@cosmolocal/core'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { checkDetails, draftFromContent, type DetailsDraft } from '../peer/design-edit.js'
import { licenceNames } from '../peer/licence-names.js'
import { createDraft } from '../peer/drafts.js'
import { describeError } from '../peer/errors.js'
import { ErrorNotice } from './Notice.js'
import { Overview } from './Overview.js'

type Form = DetailsDraft & { open: boolean }

const FIELDS: { key: keyof DetailsDraft; label: string; multiline?: boolean; live?: boolean; hint?: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'summary', label: 'Summary' },
  { key: 'readme', label: 'Readme (Markdown)', multiline: true },
  { key: 'version', label: 'Version' },
  { key: 'tags', label: 'Tags (comma separated)', live: true },
  { key: 'hardware', label: 'Hardware licence (SPDX)', live: true, hint: 'e.g. CERN-OHL-S-2.0; empty for none' },
  { key: 'documentation', label: 'Documentation licence (SPDX)', live: true, hint: 'e.g. CC-BY-SA-4.0' },
  { key: 'software', label: 'Software licence (SPDX)', live: true, hint: 'e.g. GPL-3.0-or-later' },
  { key: 'place', label: 'Adapted for (place)', hint: 'e.g. Nairobi, Kibera workshop; empty for none' },
  { key: 'placeCode', label: 'Country or region code (ISO 3166)', live: true, hint: 'e.g. KE, FR-69' },
]

export interface DetailsEditorProps {
  design: VerifiedDesign
  me: string
  /** Display names by id, shown beside the maintainers' ids. */
  names?: PersonNames
  editable: boolean
  /** The licences of the design this one was forked from; null for an original (or not known yet). */
  upstreamLicences: Licences | null
  onSave: (patch: DesignPatch) => Promise<void>
  /** The draft's name (default: per design). */
  draftName?: string
}

export function DetailsEditor(props: DetailsEditorProps) {
  // One draft per design (drafts are shared by name, so this is a lookup once created).
  const draft = () => createDraft<Form>(props.draftName ?? `details/${props.design.url}`, { open: false, ...draftFromContent(props.design.content) })
  const form = () => draft().value()
  const [submitted, setSubmitted] = createSignal(false)
  const [failure, setFailure] = createSignal<string | null>(null)
  const [note, setNote] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  // The SPDX names (a chunk of their own) are asked for only once the editor is open: a design
  // page that is only read does not fetch them.
  const check = createMemo(() => checkDetails(form(), props.design.content, props.upstreamLicences, form().open ? licenceNames() : null))
  const errorFor = (key: keyof DetailsDraft, live: boolean) => {
    const c = check()
    if (c.ok || (!live && !submitted())) return undefined
    return c.errors[key]
  }

  function open() {
    for (const [k, v] of Object.entries(draftFromContent(props.design.content))) draft().set(k as keyof Form, v as never)
    draft().set('open', true)
    setSubmitted(false)
    setFailure(null)
    setNote(null)
    // Keyboard users land in the form, and back on the button when it closes.
    setTimeout(() => document.getElementById('details-title')?.focus())
  }

  function close() {
    draft().clear()
    setSubmitted(false)
    setTimeout(() => document.querySelector<HTMLElement>('.edit-actions button')?.focus())
  }

  async function save(e: SubmitEvent) {
    e.preventDefault()
    setSubmitted(true)
    setFailure(null)
    const c = check()
    if (!c.ok) return
    if (c.patch === null) {
      close()
      setNote('Nothing changed.')
      return
    }
    setBusy(true)
    try {
      await props.onSave(c.patch)
      close()
      setNote(null)
    } catch (err) {
      setFailure(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Show
      when={props.editable && form().open}
      fallback={
        <>
          <div class="row edit-actions">
            <Show when={props.editable}>
              <button type="button" onClick={open}>
                Edit details
              </button>
            </Show>
            <Show when={note()}>
              <span class="muted" role="status">
                {note()}
              </span>
            </Show>
          </div>
          <Overview design={props.design} me={props.me} names={props.names} />
        </>
      }
    >
      <form class="card" aria-label="Edit details" onSubmit={(e) => void save(e)} noValidate>
        <h2>Edit details</h2>
        <For each={FIELDS}>
          {(f) => {
            const id = `details-${f.key}`
            const error = () => errorFor(f.key, f.live === true)
            const described = () => [f.hint && `${id}-hint`, error() && `${id}-error`].filter(Boolean).join(' ') || undefined
            const onInput = (e: { currentTarget: { value: string } }) => draft().set(f.key, e.currentTarget.value)
            return (
              <div class="field">
                <label for={id}>{f.label}</label>
                <Show when={f.multiline} fallback={<input id={id} value={form()[f.key]} onInput={onInput} aria-invalid={error() !== undefined} aria-describedby={described()} />}>
                  <textarea id={id} rows="8" value={form()[f.key]} onInput={onInput} aria-invalid={error() !== undefined} aria-describedby={described()} />
                </Show>
                <Show when={f.hint}>
                  <span class="muted hint" id={`${id}-hint`}>
                    {f.hint}
                  </span>
                </Show>
                <Show when={error()}>
                  <p class="field-error" id={`${id}-error`} role="alert">
                    {error()}
                  </p>
                </Show>
              </div>
            )
          }}
        </For>
        <Show when={check().warnings.length > 0}>
          <div class="warning" role="status" aria-label="Licence warnings">
            <p>
              <strong>Check the licences before saving.</strong> This design is a fork; the upstream's licence may not allow this change:
            </p>
            <ul>
              <For each={check().warnings}>{(w) => <li>{w.message}</li>}</For>
            </ul>
          </div>
        </Show>
        <ErrorNotice message={failure()} />
        <div class="row">
          <button type="submit" disabled={busy()}>
            Save details
          </button>
          <button type="button" class="secondary" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Show>
  )
}
