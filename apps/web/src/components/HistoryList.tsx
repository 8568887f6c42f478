/** The design's valid signed records: who, what, when. */
import type { LogEntry } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { PersonName } from './PersonName.js'

/** `reading`: the history is still being read (it is read after the page's first paint). */
export function HistoryList(props: { entries: LogEntry[]; me: string; reading?: boolean }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <Show when={props.reading === true}>
        <p class="muted">Reading the history…</p>
      </Show>
      <ol class="history" reversed>
        <For each={[...props.entries].reverse()}>
          {(e) => (
            <li>
              <time dateTime={new Date(e.time).toISOString()}>{new Date(e.time).toLocaleString()}</time> · <PersonName id={e.author} me={props.me} name={e.authorName} />{' '}
              <span class="badge">{e.kind}</span> {e.summary}
            </li>
          )}
        </For>
      </ol>
    </section>
  )
}
