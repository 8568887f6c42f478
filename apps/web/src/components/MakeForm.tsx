/**
 * "I made this": a build report anyone may sign, saying where they built the design, how it went,
 * what they changed for local materials or tools, with photos. It cites the version they see now.
 */
import type { MakeInput } from '@cosmolocal/core'
import { createSignal, Show } from 'solid-js'
import { createDraft } from '../peer/drafts.js'
import { describeError } from '../peer/errors.js'
import { ErrorNotice } from './Notice.js'

export function MakeForm(props: { draftName: string; onReport: (input: MakeInput, photos: File[]) => Promise<void> }) {
  const [open, setOpen] = createSignal(false)
  const draft = () => createDraft(props.draftName, { place: '', result: 'works', changes: '', notes: '' })
  const d = () => draft().value()
  const [photos, setPhotos] = createSignal<File[]>([])
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  async function submit(e: SubmitEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await props.onReport({ place: d().place.trim(), result: d().result, changes: d().changes, notes: d().notes }, photos())
      draft().clear()
      setPhotos([])
      setOpen(false)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Show
      when={open()}
      fallback={
        <button type="button" onClick={() => setOpen(true)}>
          I made this
        </button>
      }
    >
      <form class="card" aria-label="I made this" onSubmit={(e) => void submit(e)}>
        <div class="field">
          <label for="make-place">Where you built it</label>
          <input id="make-place" value={d().place} onInput={(e) => draft().set('place', e.currentTarget.value)} placeholder="Nairobi, KE" />
        </div>
        <div class="field">
          <label for="make-result">How it went</label>
          <select id="make-result" value={d().result} onChange={(e) => draft().set('result', e.currentTarget.value)}>
            <option value="works">It works</option>
            <option value="issues">It works, with issues</option>
            <option value="failed">It failed</option>
          </select>
        </div>
        <div class="field">
          <label for="make-changes">What you changed</label>
          <textarea id="make-changes" rows="2" value={d().changes} onInput={(e) => draft().set('changes', e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="make-notes">Notes</label>
          <textarea id="make-notes" rows="2" value={d().notes} onInput={(e) => draft().set('notes', e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="make-photos">Photos</label>
          <input id="make-photos" type="file" accept="image/*" multiple onChange={(e) => setPhotos([...(e.currentTarget.files ?? [])])} />
        </div>
        <ErrorNotice message={error()} />
        <button type="submit" disabled={busy()}>
          Report my build
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </form>
    </Show>
  )
}
