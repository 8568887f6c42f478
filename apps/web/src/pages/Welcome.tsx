/** First visit: a display name creates this person's key (or they import one). */
import type { Identity } from '@cosmolocal/core'
import { createSignal } from 'solid-js'
import { ErrorNotice } from '../components/Notice.js'
import { ImportKey } from '../components/ImportKey.js'
import { describeError } from '../peer/errors.js'
import { newIdentity } from '../peer/identity.js'

export default function Welcome(props: { onReady: (identity: Identity) => void }) {
  const [name, setName] = createSignal('')
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  async function create(e: SubmitEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      props.onReady(await newIdentity(name()))
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <main class="page narrow">
      <h1>Welcome to Cosmolocal</h1>
      <p>
        A commons for open hardware designs that lives in your browser and syncs with others. Choose the name people will see next to your
        designs and reviews; a signing key is created for you and kept in this browser. Your name travels with everything you sign,
        shown with the end of your key's id: anyone can pick any name, so the id is what tells people apart.
      </p>
      <form class="card" onSubmit={create} aria-label="Create your identity">
        <div class="field">
          <label for="display-name">Your name</label>
          <input id="display-name" autocomplete="nickname" required value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <ErrorNotice message={error()} />
        <button type="submit" disabled={busy()}>
          Create my key
        </button>
      </form>
      <ImportKey onImported={props.onReady} />
    </main>
  )
}
