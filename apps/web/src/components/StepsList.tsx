/**
 * Build steps, in order. Maintainers add, edit, remove and reorder them in place; everyone else
 * sees the steps (the page offers one "Fork to edit"). What is typed is a draft (kept across reloads, and kept with
 * the reason next to it when an operation fails).
 */
import { MAX_STEP_BODY_LENGTH, type Step } from '@cosmolocal/core'

/** Why a step's instructions are refused (too long), or null. Core checks again. */
export function bodyProblem(body: string): string | null {
  return body.length > MAX_STEP_BODY_LENGTH
    ? `Instructions can be at most ${MAX_STEP_BODY_LENGTH.toLocaleString('en')} characters (these are ${body.length.toLocaleString('en')}): split the step in two.`
    : null
}
import { createSignal, For, Show, type JSX } from 'solid-js'
import { createDraft } from '../peer/drafts.js'
import { describeError } from '../peer/errors.js'
import { moveBefore } from '../peer/reorder.js'
import { Markdown } from './Markdown.js'
import { ErrorNotice } from './Notice.js'

export interface StepValue {
  title: string
  body: string
}

export interface StepsListProps {
  steps: Step[]
  editable: boolean
  onAdd: (title: string, body: string) => Promise<void>
  onSave?: (id: string, value: StepValue) => Promise<void>
  onRemove?: (id: string) => Promise<void>
  /** Moves `id` before `before` (null: to the end). */
  onMove?: (id: string, before: string | null) => Promise<void>
  /** The draft's name: one per design. */
  draftName?: string
  /** What people said about a step (comments, needs), shown beside it. */
  aside?: (id: string, title: string) => JSX.Element
}

interface StepsDraft {
  addTitle: string
  addBody: string
  editing: string | null
  editTitle: string
  editBody: string
}

const EMPTY: StepsDraft = { addTitle: '', addBody: '', editing: null, editTitle: '', editBody: '' }

export function StepsList(props: StepsListProps) {
  const sorted = () => [...props.steps].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
  // One draft per design (drafts are shared by name, so this is a lookup once created).
  const draft = () => createDraft<StepsDraft>(props.draftName ?? 'steps', EMPTY)
  const d = () => draft().value()
  const [error, setError] = createSignal<string | null>(null)
  const [editError, setEditError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)

  async function run(op: () => Promise<void>, onError: (m: string) => void = setError): Promise<boolean> {
    setBusy(true)
    setError(null)
    setEditError(null)
    try {
      await op()
      return true
    } catch (err) {
      onError(describeError(err))
      return false
    } finally {
      setBusy(false)
    }
  }

  async function add(e: SubmitEvent) {
    e.preventDefault()
    if (d().addTitle.trim() === '') return setError('Give the step a title.')
    const long = bodyProblem(d().addBody)
    if (long !== null) return setError(long)
    if (await run(() => props.onAdd(d().addTitle, d().addBody))) {
      draft().set('addTitle', '')
      draft().set('addBody', '')
    }
  }

  function startEdit(s: Step) {
    draft().set('editing', s.id)
    draft().set('editTitle', s.title)
    draft().set('editBody', s.body)
    setEditError(null)
    // Keyboard users land in the form, and back on the step's Edit button when it closes.
    setTimeout(() => document.getElementById(`step-${s.id}-title`)?.focus())
  }

  function stopEdit() {
    const id = d().editing
    if (id !== null) setTimeout(() => document.querySelector<HTMLElement>(`[data-step="${id}"] .step-actions button`)?.focus())
    draft().set('editing', null)
    draft().set('editTitle', '')
    draft().set('editBody', '')
  }

  async function saveEdit(e: SubmitEvent, id: string) {
    e.preventDefault()
    if (d().editTitle.trim() === '') return setEditError('Give the step a title.')
    const long = bodyProblem(d().editBody)
    if (long !== null) return setEditError(long)
    if (await run(() => props.onSave!(id, { title: d().editTitle, body: d().editBody }), setEditError)) stopEdit()
  }

  function move(index: number, delta: -1 | 1) {
    const list = sorted()
    const before = moveBefore(
      list.map((s) => s.id),
      index,
      delta,
    )
    if (before === undefined) return
    void run(() => props.onMove!(list[index]!.id, before))
  }

  const canEdit = () => props.editable && props.onSave !== undefined

  return (
    <section aria-labelledby="steps-heading">
      <div class="section-head">
        <h2 id="steps-heading">Build steps</h2>
      </div>
      <ErrorNotice message={error()} />
      <Show when={sorted().length > 0} fallback={<p class="muted">No steps yet.</p>}>
        <ol class="steps">
          <For each={sorted()}>
            {(s, i) => (
              <li data-step={s.id}>
                <Show
                  when={canEdit() && d().editing === s.id}
                  fallback={
                    <>
                      <h3>{s.title}</h3>
                      <Markdown source={s.body} headingOffset={3} />
                      <Show when={canEdit()}>
                        <div class="row step-actions">
                          <button type="button" disabled={busy()} onClick={() => startEdit(s)} aria-label={`Edit step ${s.title}`}>
                            Edit
                          </button>
                          <button type="button" disabled={busy() || i() === 0} onClick={() => move(i(), -1)} aria-label={`Move step ${s.title} up`}>
                            ↑
                          </button>
                          <button
                            type="button"
                            disabled={busy() || i() === sorted().length - 1}
                            onClick={() => move(i(), 1)}
                            aria-label={`Move step ${s.title} down`}
                          >
                            ↓
                          </button>
                          <button
                            type="button"
                            class="danger"
                            disabled={busy()}
                            onClick={() => void run(() => props.onRemove!(s.id))}
                            aria-label={`Remove step ${s.title}`}
                          >
                            Remove
                          </button>
                        </div>
                      </Show>
                    </>
                  }
                >
                  <form class="card" aria-label={`Edit step ${s.title}`} onSubmit={(e) => void saveEdit(e, s.id)}>
                    <div class="field">
                      <label for={`step-${s.id}-title`}>Step title</label>
                      <input id={`step-${s.id}-title`} value={d().editTitle} onInput={(e) => draft().set('editTitle', e.currentTarget.value)} />
                    </div>
                    <div class="field">
                      <label for={`step-${s.id}-body`}>Instructions (Markdown)</label>
                      <textarea id={`step-${s.id}-body`} rows="5" value={d().editBody} onInput={(e) => draft().set('editBody', e.currentTarget.value)} />
                    </div>
                    <ErrorNotice message={editError()} />
                    <button type="submit" disabled={busy()}>
                      Save step
                    </button>
                    <button type="button" class="secondary" onClick={stopEdit}>
                      Cancel
                    </button>
                  </form>
                </Show>
                {props.aside?.(s.id, s.title)}
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={props.editable}>
        <form class="card" onSubmit={(e) => void add(e)} aria-label="Add a step">
          <div class="field">
            <label for="step-title">Step title</label>
            <input id="step-title" value={d().addTitle} onInput={(e) => draft().set('addTitle', e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="step-body">Instructions (Markdown)</label>
            <textarea id="step-body" rows="3" value={d().addBody} onInput={(e) => draft().set('addBody', e.currentTarget.value)} />
          </div>
          <button type="submit" disabled={busy()}>
            Add step
          </button>
        </form>
      </Show>
    </section>
  )
}
