/** The header's link to the inbox, with how many items of followed designs are unread (live). */
import { Show } from 'solid-js'
import { activityStore } from '../peer/activity.js'
import { usePeer } from '../peer/context.js'
import { href } from '../router.js'

export function InboxBadge() {
  const store = activityStore(usePeer())
  const label = () => (store.unread() === 0 ? 'Inbox' : `Inbox, ${store.unread()} unread`)
  return (
    <a href={href({ page: 'inbox' })} aria-label={label()} class="inbox-link">
      Inbox
      <Show when={store.unread() > 0}>
        <span class="inbox-badge" data-testid="inbox-unread" aria-hidden="true">
          {store.unread()}
        </span>
      </Show>
    </a>
  )
}
