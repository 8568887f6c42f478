/**
 * Create a design: a title is enough; the rest can follow. Checked as the details editor checks
 * (messages next to each field; the licence against the SPDX list, with the id a near miss
 * probably means). Nothing typed is lost on an error. A visitor is asked for a key on submit.
 */
import type { DesignInit } from '@cosmolocal/core'
import { createMemo, createSignal, For, Show } from 'solid-js'
import { ErrorNotice } from '../components/Notice.js'
import { OkhImport } from '../components/OkhImport.js'
import { checkLicence, lineProblem, splitTags } from '../peer/design-edit.js'
import { licenceNames } from '../peer/licence-names.js'
import { createDraft } from '../peer/drafts.js'
import { describeError } from '../peer/errors.js'
import { useKeyGate } from '../peer/key-gate.js'
import { remember } from '../peer/library.js'
import { navigate } from '../router.js'

type Field = 'title' | 'summary' | 'readme' | 'tags' | 'hardware'

const FIELDS: { key: Field; id: string; label: string; multiline?: boolean; hint?: string }[] = [
  { key: 'title', id: 'nd-title', label: 'Title' },
  { key: 'summary', id: 'nd-summary', label: 'Summary' },
  { key: 'readme', id: 'nd-readme', label: 'Readme (Markdown)', multiline: true },
  { key: 'tags', id: 'nd-tags', label: 'Tags (comma separated)' },
  { key: 'hardware', id: 'nd-hw', label: 'Hardware licence (SPDX)', hint: 'e.g. CERN-OHL-S-2.0; empty for none' },
]

export default function NewDesign() {
  const gate = useKeyGate()
  // Kept as a draft: a re-rendered form or a reload gives back what was typed.
  const draft = createDraft('new-design', { title: '', summary: '', readme: '', tags: '', hardware: '' })
  const form = draft.value
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const [submitted, setSubmitted] = createSignal(false)
  const licence = createMemo(() => checkLicence(form().hardware, licenceNames()))
  const problems = createMemo(() => {
    const f = form()
    const out: Partial<Record<Field, string>> = {}
    const title = lineProblem(f.title, 'title', true)
    if (title !== undefined && (submitted() || f.title !== '')) out.title = title
    const summary = lineProblem(f.summary, 'summary', false)
    if (summary !== undefined) out.summary = summary
    const l = licence()
    if (!l.ok) out.hardware = l.problem
    return out
  })

  /** Creates as the person: a visitor is asked for a key first (and the peer restarts with it). */
  async function create(init: DesignInit): Promise<string | null> {
    const p = await gate.ensureKey('To create a design')
    if (p === null) return null
    const id = await p.commons.createDesign(init)
    remember(await p.commons.design(id))
    return id
  }

  async function submit(e: SubmitEvent) {
    e.preventDefault()
    setSubmitted(true)
    const first = FIELDS.find((f) => problems()[f.key] !== undefined)
    if (first !== undefined) {
      document.getElementById(first.id)?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      const f = form()
      const l = licence()
      const id = await create({
        title: f.title,
        summary: f.summary,
        readme: f.readme,
        tags: splitTags(f.tags),
        licenses: { hardware: l.ok ? l.expression : null },
      })
      if (id === null) return
      draft.clear()
      navigate({ page: 'design', id })
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="page narrow">
      <h1 tabIndex={-1}>New design</h1>
      <form class="card" onSubmit={(e) => void submit(e)} aria-label="New design" noValidate>
        <For each={FIELDS}>
          {(f) => {
            const problem = () => problems()[f.key]
            const described = () => [f.hint && `${f.id}-hint`, problem() && `${f.id}-error`].filter(Boolean).join(' ') || undefined
            const onInput = (e: { currentTarget: { value: string } }) => draft.set(f.key, e.currentTarget.value)
            return (
              <div class="field">
                <label for={f.id}>{f.label}</label>
                <Show
                  when={f.multiline}
                  fallback={<input id={f.id} value={form()[f.key]} onInput={onInput} aria-invalid={problem() !== undefined} aria-describedby={described()} />}
                >
                  <textarea id={f.id} rows="6" value={form()[f.key]} onInput={onInput} aria-describedby={described()} />
                </Show>
                <Show when={f.hint}>
                  <span class="muted hint" id={`${f.id}-hint`}>
                    {f.hint}
                  </span>
                </Show>
                <Show when={problem()}>
                  <p class="field-error" id={`${f.id}-error`} role="alert">
                    {problem()}
                  </p>
                </Show>
              </div>
            )
          }}
        </For>
        <ErrorNotice message={error()} />
        <button type="submit" disabled={busy()}>
          Create design
        </button>
      </form>
      <OkhImport create={create} onOpen={(id) => navigate({ page: 'design', id })} />
    </main>
  )
}
