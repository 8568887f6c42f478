/** Proposals made to this design (from its inbox). Its forks are in the lineage. */
import type { ProposalSummary } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { href } from '../router.js'
import { PersonName } from './PersonName.js'

/** `reading`: the design's inbox is not read yet (the page shows the design's last verified state). */
export function ProposalsList(props: { proposals: ProposalSummary[]; me: string; reading?: boolean }) {
  return (
    <section aria-labelledby="proposals-heading">
      <h2 id="proposals-heading">Proposals</h2>
      <Show when={props.proposals.length > 0} fallback={<p class="muted">{props.reading === true ? 'Reading proposals…' : 'No proposals.'}</p>}>
        <ul>
          <For each={props.proposals}>
            {(p) => (
              <li>
                <a href={href({ page: 'proposal', id: p.proposal })}>{p.title || '(unavailable proposal)'}</a> <span class="badge">{p.status}</span>
                <Show when={p.author}>{(a) => <> by <PersonName id={a()} me={props.me} name={p.authorName} link /></>}</Show>
                <Show when={p.reason}>
                  <span class="muted"> — {p.reason}</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  )
}
