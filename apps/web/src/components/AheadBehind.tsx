/** How far a fork is from its upstream: signed changes ahead and behind, and a flag when it carries changes the upstream rejected. */
import type { LineageNode } from '@cosmolocal/core'
import { Show } from 'solid-js'

export function AheadBehind(props: { node: LineageNode | undefined }) {
  return (
    <Show when={props.node}>
      {(n) => (
        <>
          <Show when={n().ahead !== null && n().behind !== null}>
            <span class="ahead-behind" data-ahead={n().ahead} data-behind={n().behind}>
              {' '}
              {n().ahead} ahead · {n().behind} behind
            </span>
          </Show>
          <Show when={n().rejected.length > 0}>
            {' '}
            <span class="badge rejected-flag" title={n().rejected.map((r) => `${r.title} (revision ${r.revision})`).join('; ')}>
              carries rejected changes
            </span>
          </Show>
          <Show when={n().place || n().placeCode}>
            <span class="muted"> · {[n().place, n().placeCode].filter((p) => p).join(' · ')}</span>
          </Show>
        </>
      )}
    </Show>
  )
}
