/**
 * On a fork its maintainer controls: propose the fork's changes upstream. When the fork already
 * has a proposal there that is not accepted, proposing again adds a revision to it (core's
 * `propose`), which the upstream's maintainers then review. The form is a draft.
 */
import type { ProposalSummary } from '@cosmolocal/core'
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from 'solid-js'
import { createDraft } from '../peer/drafts.js'
import { describeError } from '../peer/errors.js'
import { href } from '../router.js'
import { ErrorNotice } from './Notice.js'
import { ResolvesNeeds } from './ResolvesNeeds.js'

export interface ProposeTarget {
  url: string
  title: string
  /** upstream, sibling, your fork, related. */
  relation: string
}

export interface ProposeFormProps {
  /** `target`: the design proposed to (one of `targets`; the upstream when there are none); `needs`: its needs this resolves. */
  onPropose: (title: string, description: string, target: string | null, needs?: string[]) => Promise<void>
  /** The open needs of a design proposals may go to (the proposal may say it resolves them). */
  needsOf?: (target: string) => Promise<{ id: string; title: string }[]>
  /** Related designs a proposal may go to ("Propose to…"), the upstream first. */
  targets?: ProposeTarget[]
  /** This fork's proposals to its upstream, the latest last. */
  proposals?: ProposalSummary[]
  draftName?: string
}

/** The proposal a new `propose` adds a revision to: the latest one not accepted (as core decides). */
export function openProposal(proposals: ProposalSummary[]): ProposalSummary | undefined {
  return [...proposals].reverse().find((p) => p.status === 'open' || p.status === 'rejected')
}

export function ProposeForm(props: ProposeFormProps) {
  const draft = () => createDraft(props.draftName ?? 'propose', { title: '', description: '' })
  const d = () => draft().value()
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const [target, setTarget] = createSignal<string | null>(null)
  // A memo: the targets list is rebuilt on every reload of the page; the choice changes only when its value does.
  const chosen = createMemo(() => target() ?? props.targets?.[0]?.url ?? null)
  const toUpstream = () => {
    const t = (props.targets ?? []).find((x) => x.url === chosen())
    return t === undefined || t.relation === 'upstream'
  }
  // The proposals listed are those to the upstream: a revision is added only there.
  const existing = () => (toUpstream() ? openProposal(props.proposals ?? []) : undefined)
  const [needs] = createResource(
    () => (props.needsOf === undefined ? null : chosen()),
    (t) => props.needsOf!(t).catch(() => []),
  )
  const [resolves, setResolves] = createSignal<string[]>([])
  createEffect(on(chosen, () => setResolves([]), { defer: true }))
  async function submit(e: SubmitEvent) {
    e.preventDefault()
    const title = d().title.trim() || existing()?.title || ''
    if (title === '') return setError('Give the proposal a title.')
    setBusy(true)
    setError(null)
    try {
      await props.onPropose(title, d().description, chosen(), ...(resolves().length === 0 ? [] : [resolves()]))
      draft().clear()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card" onSubmit={(e) => void submit(e)} aria-label="Propose changes upstream">
      <h2>{toUpstream() ? 'Propose your changes upstream' : 'Propose your changes to a related design'}</h2>
      <Show when={(props.targets ?? []).length > 1}>
        <div class="field">
          <label for="proposal-target">Propose to…</label>
          <select id="proposal-target" value={chosen() ?? ''} onChange={(e) => setTarget(e.currentTarget.value)}>
            <For each={props.targets}>{(t) => <option value={t.url}>{`${t.title || 'untitled design'} (${t.relation})`}</option>}</For>
          </select>
        </div>
      </Show>
      <Show when={(props.proposals ?? []).length > 0}>
        <ul aria-label="Your proposals upstream">
          <For each={props.proposals}>
            {(p) => (
              <li>
                <a href={href({ page: 'proposal', id: p.proposal })}>{p.title || '(unavailable proposal)'}</a> <span class={`badge status-${p.status}`}>{p.status}</span>{' '}
                <span class="muted">
                  {p.revisions} revision{p.revisions === 1 ? '' : 's'}
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={existing()}>
        {(p) => (
          <p class="muted">
            Proposing again adds your latest changes to “{p().title}” as revision {p().revisions + 1}; its reviewers see the newest revision.
          </p>
        )}
      </Show>
      <div class="field">
        <label for="proposal-title">Proposal title</label>
        <input id="proposal-title" value={d().title} placeholder={existing()?.title ?? ''} onInput={(e) => draft().set('title', e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="proposal-description">Description</label>
        <textarea id="proposal-description" rows="3" value={d().description} onInput={(e) => draft().set('description', e.currentTarget.value)} />
      </div>
      <ResolvesNeeds needs={needs.latest ?? []} selected={resolves()} onChange={setResolves} />
      <ErrorNotice message={error()} />
      <button type="submit" disabled={busy()}>
        {existing() ? `Propose revision ${existing()!.revisions + 1}` : 'Propose'}
      </button>
    </form>
  )
}
