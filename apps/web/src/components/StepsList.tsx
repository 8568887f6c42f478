/** Build steps, in order; maintainers can add one. */
import type { Step } from '@cosmolocal/core'
import { createSignal, For, Show } from 'solid-js'
import { describeError } from '../peer/errors.js'
import { Markdown } from './Markdown.js'
import { ErrorNotice } from './Notice.js'

export function StepsList(props: { steps: Step[]; editable: boolean; onAdd: (title: string, body: string) => Promise<void> }) {
  const sorted = () => [...props.steps].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
  const [title, setTitle] = createSignal('')
  const [body, setBody] = createSignal('')
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  async function add(e: SubmitEvent) {
    e.preventDefault()
    if (title().trim() === '') return setError('Give the step a title.')
    setBusy(true)
    setError(null)
    try {
      await props.onAdd(title(), body())
      setTitle('')
      setBody('')
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section aria-labelledby="steps-heading">
      <h2 id="steps-heading">Build steps</h2>
      <Show when={sorted().length > 0} fallback={<p class="muted">No steps yet.</p>}>
        <ol class="steps">
          <For each={sorted()}>
            {(s) => (
              <li>
                <h3>{s.title}</h3>
                <Markdown source={s.body} />
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={props.editable}>
        <form class="card" onSubmit={add} aria-label="Add a step">
          <div class="field">
            <label for="step-title">Step title</label>
            <input id="step-title" value={title()} onInput={(e) => setTitle(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="step-body">Instructions (Markdown)</label>
            <textarea id="step-body" rows="3" value={body()} onInput={(e) => setBody(e.currentTarget.value)} />
          </div>
          <ErrorNotice message={error()} />
          <button type="submit" disabled={busy()}>
            Add step
          </button>
        </form>
      </Show>
    </section>
  )
}
