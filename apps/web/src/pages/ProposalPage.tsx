/** A proposal: its revisions, the diff of the latest in domain terms, verdicts; maintainers review. */
import type { DocumentId } from '@automerge/automerge-repo'
import type { DesignDiff, PersonNames, VerifiedProposal } from '@cosmolocal/core'
import { createEffect, Match, on, Show, Switch } from 'solid-js'
import { DiffView } from '../components/DiffView.js'
import { IgnoredRecords } from '../components/IgnoredRecords.js'
import { PersonName } from '../components/PersonName.js'
import { ProposalDiscussion } from '../components/ProposalDiscussion.js'
import { ReviewForm } from '../components/ReviewForm.js'
import { toUrl } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { watchDocuments } from '../peer/design-view.js'
import { createLiveResource } from '../peer/live-resource.js'
import { describeError } from '../peer/errors.js'
import { useKeyGate } from '../peer/key-gate.js'
import { href } from '../router.js'

interface ProposalView {
  proposal: VerifiedProposal
  /** For a reviewed revision, core compares it with the design its reviewer saw (the verdict's base). */
  diff: DesignDiff | null
  diffError: string | null
  maintainer: boolean
  /** Display names by id, from the proposal's and its target's verified records. */
  names: PersonNames
  /** Documents whose changes change this page: the proposal, its target and its source fork. */
  documents: DocumentId[]
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
      diff = await peer.commons.diff(u, proposal.revisions.length)
    } catch (err) {
      diffError = describeError(err)
    }
    const source = await peer.commons.design(proposal.source).catch(() => null)
    const documents = [proposal.id, ...peer.commons.documentsOf(target), ...(source === null ? [] : peer.commons.documentsOf(source))]
    return { proposal, diff, diffError, maintainer: peer.commons.isMaintainer(target), names: proposal.names.toJSON(), documents }
  }
  const view = createLiveResource(url, load)
  const refetch = view.refetch
  const me = peer.identity?.id ?? ''
  const gate = useKeyGate()
  // Live: a new revision, a verdict or a comment (from anyone) reloads the page. Started from an
  // effect once per proposal (not during render), stopped with the page.
  createEffect(
    on(
      () => view.latest()?.proposal.url,
      (proposalUrl) => {
        const v = view.latest()
        if (proposalUrl !== undefined && v !== undefined) watchDocuments(peer, v.documents, () => void refetch())
      },
    ),
  )

  return (
    <main class="page">
      <Switch>
        <Match when={view.error() !== undefined && view.latest() === undefined}>
          <h1 tabIndex={-1}>Proposal unavailable</h1>
          <p class="error" role="alert">
            {describeError(view.error())}
          </p>
          <button type="button" onClick={() => void refetch()}>
            Try again
          </button>
        </Match>
        <Match when={view.latest() === undefined}>
          <p class="muted">Finding and verifying the proposal…</p>
        </Match>
        <Match when={view.latest()}>
          {(v) => {
            const p = () => v().proposal
            return (
              <>
                <h1 tabIndex={-1}>{p().title}</h1>
                <p>
                  <span class={`badge status-${p().status}`}>{p().status}</span> by <PersonName id={p().author} me={me} names={v().names} link /> ·{' '}
                  <a href={href({ page: 'design', id: p().target })}>target design</a> · <a href={href({ page: 'design', id: p().source })}>the fork</a>
                </p>
                <IgnoredRecords records={p().ignored} what="proposal" />
                <Show when={p().description}>
                  <p>{p().description}</p>
                </Show>
                <h2>
                  Changes (revision {p().revisions.length}
                  {p().revisions.length > 1 ? ', the latest' : ''})
                </h2>
                <Show when={p().status !== 'open'}>
                  <p class="muted">What this revision proposed, against the design as it was when it was reviewed.</p>
                </Show>
                <Show when={v().diff} fallback={<p class="error" role="alert">{v().diffError}</p>}>
                  {(diff) => <DiffView diff={diff()} />}
                </Show>
                <Show when={v().maintainer && p().status !== 'accepted'}>
                  <p class="muted">You review the latest revision, {p().revisions.length}.</p>
                  <ReviewForm
                    onReview={async (verdict, comment) => {
                      await peer.commons.review(url(), { verdict, comment })
                      await refetch()
                    }}
                  />
                </Show>
                <ProposalDiscussion
                  proposal={p()}
                  me={me}
                  names={v().names}
                  onComment={async (text) => {
                    const signer = await gate.ensureKey('To comment')
                    if (signer === null) throw new Error('A comment is signed with your key: create one to post it. What you wrote is kept here.')
                    await signer.commons.commentOnProposal(url(), text)
                    if (signer === peer) await refetch()
                  }}
                />
              </>
            )
          }}
        </Match>
      </Switch>
    </main>
  )
}
