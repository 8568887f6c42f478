/** The shell: identity first, then the peer, the header with network status, and the routed page. */
import type { Identity } from '@cosmolocal/core'
import { createResource, createSignal, Match, Show, Switch } from 'solid-js'
import { NetworkStatus } from './components/NetworkStatus.js'
import { PeerContext } from './peer/context.js'
import { describeError } from './peer/errors.js'
import { loadIdentity } from './peer/identity.js'
import { startPeer } from './peer/peer.js'
import { href, route } from './router.js'
import Welcome from './pages/Welcome.js'

// Pages are imported statically: Solid's lazy() without a Suspense boundary could re-create a page
// (and lose what was typed in it) when its chunk's resource settled. The app as a whole is already
// split from the boot chunk (main.tsx loads it after the wasm).
import Catalogue from './pages/Catalogue.js'
import DesignPage from './pages/DesignPage.js'
import Me from './pages/Me.js'
import NewDesign from './pages/NewDesign.js'
import ProposalPage from './pages/ProposalPage.js'

function initialIdentity(): { identity: Identity | null; error: string | null } {
  try {
    return { identity: loadIdentity(), error: null }
  } catch (err) {
    return { identity: null, error: `The key kept in this browser is unreadable (${describeError(err)}); create or import another.` }
  }
}

export default function App() {
  const initial = initialIdentity()
  const [identity, setIdentity] = createSignal<Identity | null>(initial.identity)
  const [peer] = createResource(identity, (id) => startPeer(id))

  return (
    <Show when={identity()} fallback={<>{initial.error && <p class="error" role="alert">{initial.error}</p>}<Welcome onReady={setIdentity} /></>}>
      <Switch>
        <Match when={peer.error !== undefined}>
          <p class="error" role="alert">
            The peer could not start: {describeError(peer.error)}
          </p>
        </Match>
        <Match when={peer()}>
          {(p) => (
            <PeerContext.Provider value={p()}>
              <header class="top">
                <nav aria-label="Main">
                  <a class="brand" href={href({ page: 'catalogue' })}>
                    Cosmolocal
                  </a>
                  <a href={href({ page: 'new' })}>New design</a>
                  <a href={href({ page: 'me' })}>{p().identity.name}</a>
                </nav>
                <NetworkStatus state={p().status()} designs={p().designs()} onRetry={() => void p().reconnect()} />
              </header>
              <Switch>
                <Match when={route().page === 'new'}>
                  <NewDesign />
                </Match>
                <Match when={route().page === 'me'}>
                  <Me />
                </Match>
                <Match when={(() => { const r = route(); return r.page === 'design' ? r.id : false })()}>
                  {(id) => <DesignPage id={id()} />}
                </Match>
                <Match when={(() => { const r = route(); return r.page === 'proposal' ? r.id : false })()}>
                  {(id) => <ProposalPage id={id()} />}
                </Match>
                <Match when={route().page === 'catalogue'}>
                  <Catalogue />
                </Match>
              </Switch>
            </PeerContext.Provider>
          )}
        </Match>
        <Match when={true}>
          <p class="muted boot">Starting your peer…</p>
        </Match>
      </Switch>
    </Show>
  )
}
