/**
 * Records that failed verification (bad signature, not a maintainer, wrong design…): they change
 * nothing, and people are told they exist, and why each was ignored.
 */
import type { RejectedRecord } from '@cosmolocal/core'
import { For, Show } from 'solid-js'

export function IgnoredRecords(props: { records: RejectedRecord[]; what: string }) {
  return (
    <Show when={props.records.length > 0}>
      <details class="warning" role="note">
        <summary>
          {props.records.length} record{props.records.length === 1 ? '' : 's'} in this {props.what} failed verification and {props.records.length === 1 ? 'was' : 'were'}{' '}
          ignored
        </summary>
        <ul>
          <For each={props.records}>
            {(r) => (
              <li>
                {r.kind ?? 'record'}
                {r.author !== null && <> by <span title={r.author}>{`${r.author.slice(0, 8)}…`}</span></>}: {r.reason}
              </li>
            )}
          </For>
        </ul>
      </details>
    </Show>
  )
}
