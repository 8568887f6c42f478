/** The person's identity: name, id, export and import of the key. */
import { ImportKey } from '../components/ImportKey.js'
import { usePeer } from '../peer/context.js'
import { exportIdentity } from '../peer/identity.js'

export default function Me() {
  const peer = usePeer()
  return (
    <main class="page narrow">
      <h1>Your identity</h1>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{peer.identity.name}</dd>
        <dt>Id</dt>
        <dd>
          <code class="wrap" data-testid="my-id">
            {peer.identity.id}
          </code>
        </dd>
      </dl>
      <p>Your key signs everything you do. Export it to keep a copy, or to use it on another device. Anyone holding the file can sign as you.</p>
      <button type="button" onClick={() => exportIdentity(peer.identity)}>
        Export key file
      </button>
      <h2>Use another key</h2>
      <p>Importing a key replaces the one in this browser (export it first). The page reloads.</p>
      <ImportKey onImported={() => location.reload()} />
    </main>
  )
}
