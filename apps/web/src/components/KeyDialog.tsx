/**
 * Asked at a person's first act (fork, propose, comment, create): the name people will see, and a
 * key made for it; or a key file from another device; or, on a sample hub, the shared demo key of
 * the sample designs' maintainer (labelled as such: anyone can sign with it).
 */
import type { Identity } from '@cosmolocal/core'
import { createResource, createSignal, onMount, Show } from 'solid-js'
import { parseIdentity } from '@cosmolocal/core'
import { describeError } from '../peer/errors.js'
import { fetchDemoIdentity } from '../peer/hub.js'
import { markBackedUp, newIdentity, saveIdentity } from '../peer/identity.js'
import { ImportKey } from './ImportKey.js'

export interface KeyDialogProps {
  /** What the person was doing ("To fork this design"). */
  why: string
  /** A key was made or imported; `made`: new (so not backed up yet). */
  onKey: (identity: Identity, made: boolean) => void
  onCancel: () => void
}

export function KeyDialog(props: KeyDialogProps) {
  const [name, setName] = createSignal('')
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const [demo] = createResource(() => fetchDemoIdentity())
  let input!: HTMLInputElement
  onMount(() => input.focus())

  async function create(e: SubmitEvent) {
    e.preventDefault()
    if (name().trim() === '') return setError('Give the name people will see next to what you sign.')
    setBusy(true)
    setError(null)
    try {
      props.onKey(await newIdentity(name()), true)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  function useDemo() {
    const d = demo()
    if (!d) return
    try {
      const identity = parseIdentity(d.key)
      saveIdentity(identity)
      // Nothing to back up: every visitor of this sample hub can get the same key.
      markBackedUp(identity)
      props.onKey(identity, false)
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <div class="overlay" onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <div class="card dialog" role="dialog" aria-modal="true" aria-labelledby="key-dialog-title">
        <h2 id="key-dialog-title">Create your key</h2>
        <p>
          {props.why}, you need a signing key: everything you do is signed with it, and peers check it. It is made here and stays in this
          browser. Choose the name people will see next to what you sign; anyone can pick any name, so the end of your key's id is shown beside it.
        </p>
        <form onSubmit={(e) => void create(e)} aria-label="Create your key" noValidate>
          <div class="field">
            <label for="display-name">Your name</label>
            <input
              id="display-name"
              ref={input}
              autocomplete="nickname"
              value={name()}
              onInput={(e) => setName(e.currentTarget.value)}
              aria-invalid={error() !== null}
              aria-describedby={error() === null ? undefined : 'display-name-error'}
            />
            <Show when={error()}>
              <p class="field-error" id="display-name-error" role="alert">
                {error()}
              </p>
            </Show>
          </div>
          <div class="row">
            <button type="submit" disabled={busy()}>
              Create my key
            </button>
            <button type="button" class="secondary" onClick={() => props.onCancel()}>
              Not now
            </button>
          </div>
        </form>
        <details>
          <summary>I already have a key</summary>
          <ImportKey onImported={(identity) => props.onKey(identity, false)} />
        </details>
        <Show when={demo()}>
          {(d) => (
            <div class="warning" role="region" aria-label="Shared demo key">
              <p>
                <strong>Try the maintainer side:</strong> this is a sample hub. It offers the shared demo key of {d().name}, who maintains the
                sample designs. It is a <strong>shared demo key</strong>: everyone using this hub can sign with it, so use it only to try things.
              </p>
              <button type="button" class="secondary" onClick={useDemo}>
                Use the shared demo key
              </button>
            </div>
          )}
        </Show>
      </div>
    </div>
  )
}
