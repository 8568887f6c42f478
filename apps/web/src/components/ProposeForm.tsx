/** On a fork its maintainer controls: propose the fork's changes upstream. */
import { createSignal } from 'solid-js'
import { describeError } from '../peer/errors.js'
import { ErrorNotice } from './Notice.js'

export function ProposeForm(props: { onPropose: (title: string, description: string) => Promise<void> }) {
  const [title, setTitle] = createSignal('')
  const [description, setDescription] = createSignal('')
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  async function submit(e: SubmitEvent) {
    e.preventDefault()
    if (title().trim() === '') return setError('Give the proposal a title.')
    setBusy(true)
    setError(null)
    try {
      await props.onPropose(title(), description())
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card" onSubmit={submit} aria-label="Propose changes upstream">
      <h2>Propose your changes upstream</h2>
      <div class="field">
        <label for="proposal-title">Proposal title</label>
        <input id="proposal-title" value={title()} onInput={(e) => setTitle(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="proposal-description">Description</label>
        <textarea id="proposal-description" rows="3" value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
      </div>
      <ErrorNotice message={error()} />
      <button type="submit" disabled={busy()}>
        Propose
      </button>
    </form>
  )
}
