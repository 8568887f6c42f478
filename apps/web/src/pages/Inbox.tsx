/**
 * The activity inbox: what happened on the designs this browser follows, newest first. What was
 * read is remembered in this browser only (never sent to a peer); "Mark all read" empties the
 * header's badge.
 */
import { createMemo, createSignal, For, Show } from 'solid-js'
import { InboxItem } from '../components/InboxItem.js'
import '../components/social.css'
import { activityStore } from '../peer/activity.js'
import { toUrl } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { followed, follows } from '../peer/follows.js'
import { loadLibrary } from '../peer/library.js'

export default function Inbox() {
  const peer = usePeer()
  const store = activityStore(peer)
  const me = peer.identity?.id ?? ''
  const [all, setAll] = createSignal(false)
  const titles = createMemo(() => new Map(loadLibrary().map((i) => [i.url, i.title])))
  const items = () => (store.activity()?.items ?? []).filter((i) => all() || !i.read)
  const following = () => followed(peer.identity?.id ?? null, follows())
  return (
    <main class="page">
      <div class="section-head">
        <h1 tabIndex={-1}>Inbox</h1>
        <button type="button" disabled={store.unread() === 0} onClick={() => store.markAllRead()}>
          Mark all read
        </button>
      </div>
      <p class="muted">
        What happened on the {following().length} design{following().length === 1 ? '' : 's'} you follow: the ones you maintain, their upstreams, and those you
        follow. What you have read stays in this browser.
      </p>
      <label class="inline">
        <input type="checkbox" checked={all()} onChange={(e) => setAll(e.currentTarget.checked)} /> Show what I have read too
      </label>
      <Show when={store.activity() !== null} fallback={<p class="muted">Reading the designs you follow…</p>}>
        <Show when={items().length > 0} fallback={<p class="muted">{all() ? 'Nothing has happened on the designs you follow.' : 'Nothing new.'}</p>}>
          <ul class="inbox-list" aria-label="Activity">
            <For each={items()}>{(i) => <InboxItem item={i} title={titles().get(toUrl(i.design)) ?? 'a design'} me={me} />}</For>
          </ul>
        </Show>
        <Show when={(store.activity()?.missing.length ?? 0) > 0}>
          <p class="calm">{store.activity()!.missing.length} followed design(s) are not in this browser yet: open them to see their activity.</p>
        </Show>
      </Show>
    </main>
  )
}
