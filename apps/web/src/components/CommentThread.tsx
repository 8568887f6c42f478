/**
 * A comment and the replies to it, recursively, each with who wrote it and when, what it is about
 * (shown where it is not already beside that entry), and a Reply button. Text is shown as text.
 */
import type { DesignContent, DiscussionComment, PersonNames } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { anchorLabel } from '../peer/anchors.js'
import { createDraft } from '../peer/drafts.js'
import { CommentForm } from './CommentForm.js'
import { PersonName } from './PersonName.js'

export interface CommentThreadProps {
  comment: DiscussionComment
  /** Every comment of the design (replies are found among them). */
  all: DiscussionComment[]
  content: DesignContent
  me: string
  names?: PersonNames
  /** Hides the "about" line (the thread is shown beside its entry). */
  anchored?: boolean
  designUrl: string
  onPost: (text: string, options: { about?: string; replyTo?: string }) => Promise<void>
}

export function CommentThread(props: CommentThreadProps) {
  const c = () => props.comment
  // Kept by name, not in the component: a live reload re-creates the thread, and an open reply
  // form (with what was typed) must survive it.
  const open = () => createDraft(`reply-open/${props.designUrl}/${c().record}`, { open: false })
  const replying = () => open().value().open
  const setReplying = (v: boolean) => (v ? open().set('open', true) : open().clear())
  const replies = () => props.all.filter((r) => r.replyTo === c().record)
  return (
    <li class="comment" data-comment={c().record}>
      <p class="comment-head">
        <PersonName id={c().author} me={props.me} name={c().authorName} names={props.names} link />{' '}
        <time class="muted" dateTime={new Date(c().time).toISOString()}>
          {new Date(c().time).toLocaleString()}
        </time>
        <Show when={!props.anchored && c().about}>{(a) => <span class="comment-about"> · about {anchorLabel(props.content, a())}</span>}</Show>
      </p>
      <p class="comment-text">{c().text}</p>
      <Show
        when={replying()}
        fallback={
          <button type="button" class="link" onClick={() => setReplying(true)} aria-label={`Reply to ${c().authorName ?? 'this comment'}`}>
            Reply
          </button>
        }
      >
        <CommentForm
          replyTo={c().record}
          draftName={`reply/${props.designUrl}/${c().record}`}
          label="Reply"
          onPost={props.onPost}
          onCancel={() => setReplying(false)}
        />
      </Show>
      <Show when={replies().length > 0}>
        <ul class="replies" aria-label="Replies">
          <For each={replies()}>{(r) => <CommentThread {...props} comment={r} />}</For>
        </ul>
      </Show>
    </li>
  )
}
