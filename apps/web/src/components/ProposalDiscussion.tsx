/**
 * A proposal's revisions, verdicts and comments in time order, and a form anyone can comment
 * with (signed with their key, like every record). The comment is a draft until it is posted.
 */
import type { PersonNames, VerifiedProposal } from '@cosmolocal/core'
import { createSignal, For, Match, Show, Switch } from 'solid-js'
import { createDraft } from '../peer/drafts.js'
import { describeError } from '../peer/errors.js'
import { timeline } from '../peer/proposal-timeline.js'
import { ErrorNotice } from './Notice.js'
import { PersonName } from './PersonName.js'

function When(props: { time: number }) {
  return <time dateTime={new Date(props.time).toISOString()}>{new Date(props.time).toLocaleString()}</time>
}

export function ProposalDiscussion(props: {
  proposal: Pick<VerifiedProposal, 'url' | 'revisions' | 'verdicts' | 'comments'>
  me: string
  /** Display names by id (the proposal's `names`), shown beside the ids. */
  names?: PersonNames
  onComment: (text: string) => Promise<void>
  draftName?: string
}) {
  const draft = () => createDraft(props.draftName ?? `comment/${props.proposal.url}`, { text: '' })
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  async function submit(e: SubmitEvent) {
    e.preventDefault()
    const text = draft().value().text
    if (text.trim() === '') return setError('Write something first.')
    setBusy(true)
    setError(null)
    try {
      await props.onComment(text)
      draft().clear()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section aria-labelledby="discussion-heading">
      <h2 id="discussion-heading">Revisions and discussion</h2>
      <ol class="timeline" aria-label="Revisions and discussion">
        <For each={timeline(props.proposal)}>
          {(e) => (
            <li class={`timeline-${e.kind}`}>
              <Switch>
                <Match when={e.kind === 'revision' && e}>
                  {(r) => (
                    <>
                      <strong>Revision {r().number}</strong> <span class={`badge revision-${r().status}`}>{r().status}</span> by <PersonName id={r().author} me={props.me} names={props.names} />,{' '}
                      <When time={r().time} />
                      <Show when={r().description}>
                        <p>{r().description}</p>
                      </Show>
                    </>
                  )}
                </Match>
                <Match when={e.kind === 'verdict' && e}>
                  {(v) => (
                    <>
                      <span class="badge">{v().verdict === 'accept' ? 'accepted' : 'rejected'}</span> revision {v().revision} — <PersonName id={v().author} me={props.me} names={props.names} />,{' '}
                      <When time={v().time} />
                      <Show when={v().comment}>
                        <p class="comment-text">{v().comment}</p>
                      </Show>
                    </>
                  )}
                </Match>
                <Match when={e.kind === 'comment' && e}>
                  {(c) => (
                    <>
                      <PersonName id={c().author} me={props.me} names={props.names} /> commented, <When time={c().time} />
                      <p class="comment-text">{c().text}</p>
                    </>
                  )}
                </Match>
              </Switch>
            </li>
          )}
        </For>
      </ol>
      <form class="card" aria-label="Discuss this proposal" onSubmit={(e) => void submit(e)}>
        <div class="field">
          <label for="proposal-comment">Your message</label>
          <textarea id="proposal-comment" rows="3" value={draft().value().text} onInput={(e) => draft().set('text', e.currentTarget.value)} />
        </div>
        <ErrorNotice message={error()} />
        <button type="submit" disabled={busy()}>
          Post comment
        </button>
      </form>
    </section>
  )
}
