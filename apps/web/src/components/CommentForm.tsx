/**
 * Writing a comment on a design (anyone may, signed with their key): optionally about a BOM row,
 * step or file, or as a reply. A draft until it is posted.
 */
import type { DesignContent } from '@cosmolocal/core'
import { createSignal, Show } from 'solid-js'
import { createDraft } from '../peer/drafts.js'
import { describeError } from '../peer/errors.js'
import { AboutSelect } from './AboutSelect.js'
import { ErrorNotice } from './Notice.js'

export interface CommentFormProps {
  /** Set for a reply: no anchor is offered (a reply is about what it answers). */
  replyTo?: string
  content?: DesignContent
  /** The entry the comment is about, preselected (a comment started beside a row). */
  about?: string
  draftName: string
  label: string
  onPost: (text: string, options: { about?: string; replyTo?: string }) => Promise<void>
  onCancel?: () => void
}

export function CommentForm(props: CommentFormProps) {
  const draft = () => createDraft(props.draftName, { text: '', about: props.about ?? '' })
  const d = () => draft().value()
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const idPrefix = () => `comment-${(props.replyTo ?? props.about ?? 'new').slice(0, 16)}`
  async function submit(e: SubmitEvent) {
    e.preventDefault()
    if (d().text.trim() === '') return setError('Write something first.')
    setBusy(true)
    setError(null)
    try {
      await props.onPost(d().text, { ...(props.replyTo === undefined ? {} : { replyTo: props.replyTo }), ...(props.replyTo === undefined && d().about !== '' ? { about: d().about } : {}) })
      draft().clear()
      props.onCancel?.()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card comment-form" aria-label={props.label} onSubmit={(e) => void submit(e)}>
      <div class="field">
        <label for={`${idPrefix()}-text`}>Your message</label>
        <textarea id={`${idPrefix()}-text`} rows="3" value={d().text} onInput={(e) => draft().set('text', e.currentTarget.value)} />
      </div>
      <Show when={props.replyTo === undefined ? props.content : undefined}>
        {(content) => <AboutSelect id={`${idPrefix()}-about`} content={content()} value={d().about} onChange={(v) => draft().set('about', v)} />}
      </Show>
      <ErrorNotice message={error()} />
      <button type="submit" disabled={busy()}>
        {props.replyTo === undefined ? 'Post comment' : 'Post reply'}
      </button>
      <Show when={props.onCancel}>
        <button type="button" class="secondary" onClick={() => props.onCancel?.()}>
          Cancel
        </button>
      </Show>
    </form>
  )
}
