/**
 * Opening a need on a design (anyone may): a title, a description, labels, and optionally the BOM
 * row, step or file it is about. A draft until it is opened; a refusal keeps what was typed.
 */
import type { DesignContent, NeedInput } from '@cosmolocal/core'
import { createSignal } from 'solid-js'
import { createDraft } from '../peer/drafts.js'
import { describeError } from '../peer/errors.js'
import { AboutSelect } from './AboutSelect.js'
import { ErrorNotice } from './Notice.js'

export function NeedForm(props: { content: DesignContent; draftName: string; onOpen: (input: NeedInput) => Promise<void> }) {
  const draft = () => createDraft(props.draftName, { title: '', body: '', labels: '', about: '' })
  const d = () => draft().value()
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  async function submit(e: SubmitEvent) {
    e.preventDefault()
    if (d().title.trim() === '') return setError('Say in a few words what is needed.')
    setBusy(true)
    setError(null)
    try {
      const labels = d().labels.split(',').map((l) => l.trim()).filter((l) => l !== '')
      await props.onOpen({ title: d().title.trim(), body: d().body, labels, ...(d().about === '' ? {} : { about: d().about }) })
      draft().clear()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card" aria-label="Open a need" onSubmit={(e) => void submit(e)}>
      <h3>Open a need</h3>
      <div class="field">
        <label for="need-title">What is needed</label>
        <input id="need-title" value={d().title} onInput={(e) => draft().set('title', e.currentTarget.value)} placeholder="A cheaper hinge" />
      </div>
      <div class="field">
        <label for="need-body">Details (Markdown)</label>
        <textarea id="need-body" rows="3" value={d().body} onInput={(e) => draft().set('body', e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="need-labels">Labels (comma separated)</label>
        <input id="need-labels" value={d().labels} onInput={(e) => draft().set('labels', e.currentTarget.value)} placeholder="testing, laser cutter" />
      </div>
      <AboutSelect id="need-about" content={props.content} value={d().about} onChange={(v) => draft().set('about', v)} />
      <ErrorNotice message={error()} />
      <button type="submit" disabled={busy()}>
        Open need
      </button>
    </form>
  )
}
