/** The person's identity: name, id, export (with a reminder until it is backed up) and import of the key. */
import type { Identity } from '@cosmolocal/core'
import { createSignal, Show } from 'solid-js'
import { ImportKey } from '../components/ImportKey.js'
import { usePeer } from '../peer/context.js'
import { exportIdentity, isBackedUp } from '../peer/identity.js'
import { useKeyGate } from '../peer/key-gate.js'
import { href } from '../router.js'

export default function Me(props: { onKey: (identity: Identity) => void }) {
  const peer = usePeer()
  const gate = useKeyGate()
  const id = peer.identity
  const [backedUp, setBackedUp] = createSignal(id !== null && isBackedUp(id))
  return (
    <main class="page narrow">
      <h1 tabIndex={-1}>Your identity</h1>
      <Show
        when={id}
        fallback={
          <>
            <p>
              You have no key yet. You can browse and read everything without one; a key is made when you first fork, propose, comment or create a
              design.
            </p>
            <button type="button" onClick={() => void gate.ensureKey('To sign what you do')}>
              Create my key
            </button>
            <h2>Use a key you have</h2>
            <ImportKey onImported={props.onKey} />
          </>
        }
      >
        {(me) => (
          <>
            <dl class="facts">
              <dt>Name</dt>
              <dd>{me().name}</dd>
              <dt>Id</dt>
              <dd>
                <code class="wrap" data-testid="my-id">
                  {me().id}
                </code>
              </dd>
            </dl>
            <p>
              <a href={href({ page: 'person', id: me().id })}>Your designs, forks and proposals</a>
            </p>
            <Show when={!backedUp()}>
              <p class="warning" role="status">
                <strong>Your key is not backed up yet.</strong> It exists only in this browser: export it and keep the file safe.
              </p>
            </Show>
            <p>Your key signs everything you do. Export it to keep a copy, or to use it on another device. Anyone holding the file can sign as you.</p>
            <button
              type="button"
              onClick={() => {
                exportIdentity(me())
                setBackedUp(true)
              }}
            >
              Export key file
            </button>
            <h2>Use another key</h2>
            <p>Importing a key replaces the one in this browser (export it first). The page reloads.</p>
            <ImportKey onImported={() => location.reload()} />
          </>
        )}
      </Show>
    </main>
  )
}
