/** Import a key file exported from another device. */
import type { Identity } from '@cosmolocal/core'
import { createSignal } from 'solid-js'
import { describeError } from '../peer/errors.js'
import { identityFromFile, saveIdentity } from '../peer/identity.js'
import { ErrorNotice } from './Notice.js'

export function ImportKey(props: { onImported: (identity: Identity) => void }) {
  const [error, setError] = createSignal<string | null>(null)
  async function pick(e: Event & { currentTarget: HTMLInputElement }) {
    const file = e.currentTarget.files?.[0]
    if (file === undefined) return
    setError(null)
    try {
      const identity = identityFromFile(await file.text())
      saveIdentity(identity)
      props.onImported(identity)
    } catch (err) {
      setError(describeError(err))
    }
  }
  return (
    <div class="card">
      <label for="import-key">Import a key file</label>
      <input id="import-key" type="file" accept="application/json,.json" onChange={pick} />
      <ErrorNotice message={error()} />
    </div>
  )
}
