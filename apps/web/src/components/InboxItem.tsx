/** One item of the activity inbox: who did what on which design, when; unread ones stand out. */
import type { ActivityItem } from '@cosmolocal/core'
import { Show } from 'solid-js'
import { href } from '../router.js'
import { ago } from './DesignCard.js'
import { PersonName } from './PersonName.js'

/** Where an item leads: its proposal or fork when it has one, else its design. */
function target(item: ActivityItem): string {
  if (item.subject !== null && item.subject.startsWith('automerge:')) {
    return href({ page: item.kind === 'fork' ? 'design' : item.kind === 'proposal' || item.kind === 'revision' || item.kind === 'verdict' || item.kind === 'merge' ? 'proposal' : 'design', id: item.subject })
  }
  return href({ page: 'design', id: item.design })
}

export function InboxItem(props: { item: ActivityItem; title: string; me: string }) {
  const i = () => props.item
  return (
    <li class={i().read ? 'inbox-item' : 'inbox-item unread'} data-kind={i().kind}>
      <Show when={!i().read}>
        <span class="sr-only">Unread: </span>
      </Show>
      <PersonName id={i().actor} me={props.me} name={i().actorName} link /> · <a href={target(i())}>{i().summary}</a>{' '}
      <span class="muted">
        on {props.title} · <time dateTime={new Date(i().time).toISOString()} title={new Date(i().time).toLocaleString()}>{ago(i().time)}</time>
      </span>
    </li>
  )
}
