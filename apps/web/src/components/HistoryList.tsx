/** The design's valid signed records: who, what, when. */
import type { LogEntry } from '@cosmolocal/core'
import { For } from 'solid-js'
import { PersonName } from './PersonName.js'

export function HistoryList(props: { entries: LogEntry[]; me: string }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
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
