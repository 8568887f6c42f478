/** Create a design: a title is enough; the rest can follow. Nothing typed is lost on an error. */
import { createSignal } from 'solid-js'
import { ErrorNotice } from '../components/Notice.js'
import { OkhImport } from '../components/OkhImport.js'
import { usePeer } from '../peer/context.js'
import { describeError } from '../peer/errors.js'
import { remember } from '../peer/library.js'
import { navigate } from '../router.js'
import { createDraft } from '../peer/drafts.js'

export default function NewDesign() {
  const peer = usePeer()
  // Kept as a draft: a re-rendered form or a reload gives back what was typed.
  const draft = createDraft('new-design', { title: '', summary: '', readme: '', tags: '', hardware: '' })
  const form = draft.value
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const set = (k: keyof ReturnType<typeof form>) => (e: { currentTarget: { value: string } }) => draft.set(k, e.currentTarget.value)

  async function submit(e: SubmitEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const f = form()
      const id = await peer.commons.createDesign({
        title: f.title,
        summary: f.summary,
        readme: f.readme,
        tags: f.tags.split(',').map((t) => t.trim()).filter((t) => t !== ''),
        licenses: { hardware: f.hardware.trim() === '' ? null : f.hardware.trim() },
      })
      remember(await peer.commons.design(id))
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
      <h1>New design</h1>
      <form class="card" onSubmit={submit} aria-label="New design">
        <div class="field">
          <label for="nd-title">Title</label>
          <input id="nd-title" required value={form().title} onInput={set('title')} />
        </div>
        <div class="field">
          <label for="nd-summary">Summary</label>
          <input id="nd-summary" value={form().summary} onInput={set('summary')} />
        </div>
        <div class="field">
          <label for="nd-readme">Readme (Markdown)</label>
          <textarea id="nd-readme" rows="6" value={form().readme} onInput={set('readme')} />
        </div>
        <div class="field">
          <label for="nd-tags">Tags (comma separated)</label>
          <input id="nd-tags" value={form().tags} onInput={set('tags')} />
        </div>
        <div class="field">
          <label for="nd-hw">Hardware licence (SPDX, e.g. CERN-OHL-S-2.0)</label>
          <input id="nd-hw" value={form().hardware} onInput={set('hardware')} />
        </div>
        <ErrorNotice message={error()} />
        <button type="submit" disabled={busy()}>
          Create design
        </button>
      </form>
      <OkhImport create={async (init) => { const id = await peer.commons.createDesign(init); remember(await peer.commons.design(id)); return id }} onOpen={(id) => navigate({ page: 'design', id })} />
    </main>
  )
}
