/**
 * One need: what is needed, who opened it, what it is about, who is on it; and what the viewer may
 * do with it: claim it ("I'm on it") or release their claim, fork to work on it, and, for its
 * author or a maintainer, close it (citing the proposal or fork that resolved it) or reopen it.
 */
import type { DesignContent, NeedView, PersonNames } from '@cosmolocal/core'
import { createSignal, For, Show } from 'solid-js'
import { anchorLabel } from '../peer/anchors.js'
import { createDraft } from '../peer/drafts.js'
import { describeError } from '../peer/errors.js'
import { href } from '../router.js'
import { Markdown } from './Markdown.js'
import { ErrorNotice } from './Notice.js'
import { PersonName } from './PersonName.js'

export type NeedAct = 'claim' | 'release' | 'close' | 'reopen'

export interface Resolver {
  url: string
  label: string
  kind: 'proposal' | 'design'
}

export interface NeedItemProps {
  need: NeedView
  content: DesignContent
  me: string
  names?: PersonNames
  /** The viewer maintains the design (may close anyone's need). */
  maintainer: boolean
  /** Proposals and forks a close may cite. */
  resolvers: Resolver[]
  onAct: (op: NeedAct, by?: string) => Promise<void>
  /** Offered to whoever does not maintain the design. */
  onFork?: () => Promise<void>
}

export function NeedItem(props: NeedItemProps) {
  const n = () => props.need
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  // Kept by name: a live reload re-creates the item, and an open close form must survive it.
  const closeDraft = () => createDraft(`need-close/${n().design}/${n().id}`, { open: false, by: '' })
  const closing = () => closeDraft().value().open
  const setClosing = (v: boolean) => (v ? closeDraft().set('open', true) : closeDraft().clear())
  const by = () => closeDraft().value().by
  const setBy = (v: string) => closeDraft().set('by', v)
  const mine = () => n().claims.includes(props.me as never)
  const mayClose = () => props.maintainer || n().author === props.me
  async function run(op: () => Promise<void>) {
    setBusy(true)
    setError(null)
    try {
      await op()
      setClosing(false)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  const closedBy = () => n().closed?.by ?? null
  /** What resolved it, as a page: a merge names a proposal; a close names one of the resolvers, or a design. */
  const resolvedBy = (url: string) => {
    const known = props.resolvers.find((r) => r.url === url || r.url === `automerge:${url}`)
    const kind = n().closed?.merge != null ? 'proposal' : (known?.kind ?? 'design')
    return { href: href({ page: kind, id: url }), label: known?.label ?? (kind === 'proposal' ? 'a merged proposal' : 'a fork') }
  }
  return (
    <li class={`need need-${n().status}`} data-need={n().id}>
      <h3>{n().title}</h3>
      <p class="need-meta">
        <span class={`badge status-${n().status}`}>{n().status}</span>
        <For each={n().labels}>{(l) => <span class="tag">{l}</span>}</For>
        <span class="muted">
          {' '}
          opened by <PersonName id={n().author} me={props.me} name={n().authorName} names={props.names} link />
        </span>
        <Show when={n().about}>{(a) => <span class="need-about"> · about {anchorLabel(props.content, a())}</span>}</Show>
      </p>
      <Show when={n().body}>
        <Markdown source={n().body} headingOffset={3} />
      </Show>
      <Show when={n().claims.length > 0}>
        <p class="need-claims">
          On it:{' '}
          <For each={n().claims}>
            {(c, i) => (
              <>
                {i() > 0 && ', '}
                <PersonName id={c} me={props.me} names={props.names} link />
              </>
            )}
          </For>
        </p>
      </Show>
      <Show when={n().closed}>
        {(c) => (
          <p class="need-closed">
            Closed by <PersonName id={c().actor} me={props.me} names={props.names} />
            <Show when={closedBy()}>
              {(u) => (
                <>
                  {', resolved by '}
                  <a href={resolvedBy(u()).href}>{resolvedBy(u()).label}</a>
                </>
              )}
            </Show>
          </p>
        )}
      </Show>
      <ErrorNotice message={error()} onDismiss={() => setError(null)} />
      <div class="need-actions">
        <Show when={n().status !== 'closed'}>
          <Show
            when={mine()}
            fallback={
              <button type="button" disabled={busy()} onClick={() => void run(() => props.onAct('claim'))} aria-label={`I'm on it: ${n().title}`}>
                I'm on it
              </button>
            }
          >
            <button type="button" class="secondary" disabled={busy()} onClick={() => void run(() => props.onAct('release'))} aria-label={`Release my claim: ${n().title}`}>
              Release my claim
            </button>
          </Show>
          <Show when={props.onFork}>
            {(fork) => (
              <button type="button" class="secondary" disabled={busy()} onClick={() => void run(fork())} aria-label={`Fork to work on this: ${n().title}`}>
                Fork to work on this
              </button>
            )}
          </Show>
          <Show when={mayClose() && !closing()}>
            <button type="button" class="secondary" disabled={busy()} onClick={() => setClosing(true)} aria-label={`Close need ${n().title}`}>
              Close…
            </button>
          </Show>
        </Show>
        <Show when={n().status === 'closed' && mayClose()}>
          <button type="button" class="secondary" disabled={busy()} onClick={() => void run(() => props.onAct('reopen'))} aria-label={`Reopen need ${n().title}`}>
            Reopen
          </button>
        </Show>
      </div>
      <Show when={closing()}>
        <form
          class="card"
          aria-label={`Close need ${n().title}`}
          onSubmit={(e) => {
            e.preventDefault()
            void run(() => props.onAct('close', by() === '' ? undefined : by()))
          }}
        >
          <div class="field">
            <label for={`need-by-${n().id}`}>Resolved by</label>
            <select id={`need-by-${n().id}`} value={by()} onChange={(e) => setBy(e.currentTarget.value)}>
              <option value="">nothing in particular</option>
              <For each={props.resolvers}>{(r) => <option value={r.url}>{r.label}</option>}</For>
            </select>
          </div>
          <button type="submit" disabled={busy()}>
            Close need
          </button>
          <button type="button" class="secondary" onClick={() => setClosing(false)}>
            Cancel
          </button>
        </form>
      </Show>
    </li>
  )
}
