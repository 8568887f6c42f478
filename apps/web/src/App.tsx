/**
 * The shell: the peer (with the person's key, or a visitor's throwaway one), the header with
 * network status, and the routed page. A key is asked for at the first act (peer/key-gate.ts);
 * making one restarts the peer with it and asks, once, to back it up.
 */
import type { Identity } from '@cosmolocal/core'
import { createEffect, createResource, createSignal, Match, on, Show, Switch } from 'solid-js'
import { InboxBadge } from './components/InboxBadge.js'
import { KeyDialog } from './components/KeyDialog.js'
import { NetworkStatus } from './components/NetworkStatus.js'
import { PeerContext } from './peer/context.js'
import { describeError } from './peer/errors.js'
import { exportIdentity, isBackedUp, loadIdentity, markBackedUp } from './peer/identity.js'
import { KeyGateContext, type KeyGate } from './peer/key-gate.js'
import { startPeer, type Peer } from './peer/peer.js'
import { href, route } from './router.js'

// Pages are imported statically: Solid's lazy() without a Suspense boundary could re-create a page
// (and lose what was typed in it) when its chunk's resource settled. The app as a whole is already
// split from the boot chunk (main.tsx loads it after the wasm).
import Catalogue from './pages/Catalogue.js'
import DesignPage from './pages/DesignPage.js'
import Inbox from './pages/Inbox.js'
import NeedsBoard from './pages/NeedsBoard.js'
import Me from './pages/Me.js'
import NewDesign from './pages/NewDesign.js'
import PersonPage from './pages/PersonPage.js'
import ProposalPage from './pages/ProposalPage.js'

function initialIdentity(): { identity: Identity | null; error: string | null } {
  try {
    return { identity: loadIdentity(), error: null }
  } catch (err) {
    return { identity: null, error: `The key kept in this browser is unreadable (${describeError(err)}); create or import another when you next act.` }
  }
}

/** After a page change, focus moves to the new page's heading (screen readers announce it; Tab continues from there). */
function focusHeading(): void {
  const deadline = Date.now() + 5_000
  const tick = () => {
    const h = document.querySelector<HTMLElement>('main h1')
    if (h !== null) {
      if (!h.hasAttribute('tabindex')) h.tabIndex = -1
      h.focus({ preventScroll: false })
    } else if (Date.now() < deadline) setTimeout(tick, 50)
  }
  setTimeout(tick)
}

export default function App() {
  const initial = initialIdentity()
  const [identity, setIdentity] = createSignal<Identity | null>(initial.identity)
  let running: Peer | undefined
  const [peer] = createResource(
    () => ({ identity: identity() }),
    async ({ identity: id }) => {
      // One peer at a time on the browser's storage: the old one (a visitor's) stops first.
      await running?.stop().catch(() => undefined)
      running = await startPeer(id)
      return running
    },
  )
  const [asking, setAsking] = createSignal<{ why: string; done: (p: Peer | null) => void } | null>(null)
  const [askBackup, setAskBackup] = createSignal(false)

  // Acts waiting for the peer that runs on a key just made or imported.
  let waiting: { id: string; resolve: (p: Peer) => void }[] = []
  createEffect(() => {
    const p = peer.loading ? undefined : peer()
    if (p?.identity == null) return
    for (const w of waiting) if (w.id === p.identity.id) w.resolve(p)
    waiting = waiting.filter((w) => w.id !== p.identity!.id)
  })
  const waitForPeer = (id: Identity) => new Promise<Peer>((resolve) => waiting.push({ id: id.id, resolve }))

  const gate: KeyGate = {
    ensureKey(why) {
      const p = peer()
      if (p?.identity) return Promise.resolve(p)
      return new Promise((done) => setAsking({ why, done }))
    },
  }

  async function gotKey(id: Identity, made: boolean) {
    const ask = asking()
    if (!made) markBackedUp(id)
    setIdentity(id)
    const p = await waitForPeer(id)
    setAsking(null)
    if (made) setAskBackup(true)
    ask?.done(p)
  }

  createEffect(on(route, () => focusHeading(), { defer: true }))

  return (
    <KeyGateContext.Provider value={gate}>
      <Show when={initial.error}>
        <p class="error" role="alert">
          {initial.error}
        </p>
      </Show>
      <Switch>
        <Match when={peer.error !== undefined}>
          <p class="error" role="alert">
            The peer could not start: {describeError(peer.error)}
          </p>
        </Match>
        <Match when={peer.loading ? undefined : peer()} keyed>
          {(p) => (
            <PeerContext.Provider value={p}>
              <header class="top">
                <nav aria-label="Main">
                  <a class="brand" href={href({ page: 'catalogue' })}>
                    Cosmolocal
                  </a>
                  <a href={href({ page: 'new' })}>New design</a>
                  <a href={href({ page: 'needs' })}>What's needed</a>
                  <InboxBadge />
                  <a href={href({ page: 'me' })}>{p.identity?.name ?? 'Your key'}</a>
                </nav>
                <NetworkStatus state={p.status()} designs={p.designs()} onRetry={() => void p.reconnect()} />
              </header>
              <Show when={askBackup() && p.identity !== null && !isBackedUp(p.identity)}>
                <div class="backup notice" role="region" aria-label="Back up your key">
                  <p>
                    <strong>Back up your key.</strong> It exists only in this browser: if the browser's data is cleared, nobody can sign as you
                    again, not even you. Export it to a file and keep that safe (anyone holding it can sign as you).
                  </p>
                  <button
                    type="button"
                    onClick={() => {
                      exportIdentity(p.identity!)
                      setAskBackup(false)
                    }}
                  >
                    Export key file
                  </button>
                  <button type="button" class="secondary" onClick={() => setAskBackup(false)}>
                    Later
                  </button>
                </div>
              </Show>
              <Switch>
                <Match when={route().page === 'new'}>
                  <NewDesign />
                </Match>
                <Match when={route().page === 'me'}>
                  <Me onKey={(id) => void gotKey(id, false)} />
                </Match>
                <Match when={(() => { const r = route(); return r.page === 'design' ? r.id : false })()}>
                  {(id) => <DesignPage id={id()} />}
                </Match>
                <Match when={(() => { const r = route(); return r.page === 'proposal' ? r.id : false })()}>
                  {(id) => <ProposalPage id={id()} />}
                </Match>
                <Match when={(() => { const r = route(); return r.page === 'person' ? r.id : false })()}>
                  {(id) => <PersonPage id={id()} />}
                </Match>
                <Match when={route().page === 'inbox'}>
                  <Inbox />
                </Match>
                <Match when={route().page === 'needs'}>
                  <NeedsBoard />
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
      <Show when={asking()}>
        {(a) => (
          <KeyDialog
            why={a().why}
            onKey={(id, made) => void gotKey(id, made)}
            onCancel={() => {
              setAsking(null)
              a().done(null)
            }}
          />
        )}
      </Show>
    </KeyGateContext.Provider>
  )
}
