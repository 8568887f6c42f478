/** One need on the board: what is needed, on which design (and where it is adapted for), who is on it. */
import type { PersonNames } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import type { BoardNeed } from '../peer/board.js'
import { href } from '../router.js'
import { ago } from './DesignCard.js'
import { PersonName } from './PersonName.js'

export function BoardItem(props: { need: BoardNeed; me: string; names?: PersonNames }) {
  const n = () => props.need
  return (
    <li class="board-item" data-need={n().id}>
      <h2 class="card-title">{n().title}</h2>
      <p class="need-meta">
        <span class={`badge status-${n().status}`}>{n().status}</span>
        <For each={n().labels}>{(l) => <span class="tag">{l}</span>}</For>
        <span>
          on <a href={href({ page: 'design', id: n().designUrl })}>{n().designTitle || 'a design'}</a>
        </span>
        <Show when={n().place}>{(p) => <span class="muted"> · adapted for {p()}</span>}</Show>
        <span class="muted">
          {' '}
          · by <PersonName id={n().author} me={props.me} name={n().authorName} names={props.names} link />, {ago(n().time)}
        </span>
        <Show when={n().claims.length > 0}>
          <span class="muted"> · {n().claims.length} on it</span>
        </Show>
      </p>
    </li>
  )
}
