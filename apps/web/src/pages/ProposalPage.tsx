/** A proposal: its revisions, the diff of the latest in domain terms, verdicts; maintainers review. */
import type { DesignDiff, VerifiedProposal } from '@cosmolocal/core'
import { createResource, For, Match, Show, Switch } from 'solid-js'
import { DiffView } from '../components/DiffView.js'
import { PersonName } from '../components/PersonName.js'
import { ReviewForm } from '../components/ReviewForm.js'
import { toUrl } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { describeError } from '../peer/errors.js'
import { href } from '../router.js'

interface ProposalView {
  proposal: VerifiedProposal
  diff: DesignDiff | null
  diffError: string | null
  maintainer: boolean
}

export default function ProposalPage(props: { id: string }) {
  const peer = usePeer()
  const url = () => toUrl(props.id)
  const load = async (u: string): Promise<ProposalView> => {
    await peer.hubReady(8_000)
    const proposal = await peer.commons.proposal(u)
    const target = await peer.commons.design(proposal.target)
    let diff: DesignDiff | null = null
    let diffError: string | null = null
    try {
      diff = await peer.commons.diff(u)
    } catch (err) {
      diffError = describeError(err)
    }
    return { proposal, diff, diffError, maintainer: peer.commons.isMaintainer(target) }
  }
  const [view, { refetch }] = createResource(url, load)
  const me = peer.identity.id

  return (
    <main class="page">
      <Switch>
        <Match when={view.error !== undefined && view.latest === undefined}>
          <h1>Proposal unavailable</h1>
          <p class="error" role="alert">
            {describeError(view.error)}
          </p>
          <button type="button" onClick={() => void refetch()}>
            Try again
          </button>
        </Match>
        <Match when={view.latest === undefined}>
          <p class="muted">Finding and verifying the proposal…</p>
        </Match>
        <Match when={view.latest}>
          {(v) => {
            const p = () => v().proposal
            return (
              <>
                <h1>{p().title}</h1>
                <p>
                  <span class={`badge status-${p().status}`}>{p().status}</span> by <PersonName id={p().author} me={me} /> ·{' '}
                  <a href={href({ page: 'design', id: p().target })}>target design</a> · <a href={href({ page: 'design', id: p().source })}>the fork</a>
                </p>
                <Show when={p().description}>
                  <p>{p().description}</p>
                </Show>
                <h2>Changes (revision {p().revisions.length})</h2>
                <Show when={v().diff} fallback={<p class="error" role="alert">{v().diffError}</p>}>
                  {(diff) => <DiffView diff={diff()} />}
                </Show>
                <Show when={v().maintainer && p().status !== 'accepted'}>
                  <ReviewForm
                    onReview={async (verdict, comment) => {
                      await peer.commons.review(url(), { verdict, comment })
                      await refetch()
                    }}
                  />
                </Show>
                <h2>Revisions and verdicts</h2>
                <ul>
                  <For each={p().revisions}>
                    {(r) => (
                      <li>
                        Revision {r.number} <span class="badge">{r.status}</span> by <PersonName id={r.author} me={me} />, {new Date(r.time).toLocaleString()}
                      </li>
                    )}
                  </For>
                  <For each={p().verdicts}>
                    {(vd) => (
                      <li>
                        <span class="badge">{vd.verdict}</span> by <PersonName id={vd.author} me={me} />, {new Date(vd.time).toLocaleString()}
                        {vd.comment && `: ${vd.comment}`}
                      </li>
                    )}
                  </For>
                </ul>
              </>
            )
          }}
        </Match>
      </Switch>
    </main>
  )
}
