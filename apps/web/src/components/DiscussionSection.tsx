/**
 * A design's own discussion, outside any proposal: threads of signed comments, the newest thread
 * last. Comments about a BOM row, step or file are also shown beside it (AnchoredComments).
 */
import type { DesignContent, Discussion, PersonNames } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { CommentForm } from './CommentForm.js'
import { CommentThread } from './CommentThread.js'

export interface DiscussionSectionProps {
  discussion: Discussion | undefined
  content: DesignContent
  designUrl: string
  me: string
  names?: PersonNames
  onPost: (text: string, options: { about?: string; replyTo?: string }) => Promise<void>
}

export function DiscussionSection(props: DiscussionSectionProps) {
  const all = () => props.discussion?.comments ?? []
  // A reply whose parent is not here (not verifiable) starts a thread of its own.
  const roots = () => all().filter((c) => c.replyTo === null || !all().some((p) => p.record === c.replyTo))
  return (
    <section class="discussion" aria-labelledby="design-discussion-heading">
      <h2 id="design-discussion-heading">Discussion</h2>
      <Show when={roots().length > 0} fallback={<p class="muted">No comments yet.</p>}>
        <ul class="comments" aria-label="Comments">
          <For each={roots()}>
            {(c) => <CommentThread comment={c} all={all()} content={props.content} me={props.me} names={props.names} designUrl={props.designUrl} onPost={props.onPost} />}
          </For>
        </ul>
      </Show>
      <CommentForm content={props.content} draftName={`design-comment/${props.designUrl}`} label="Comment on this design" onPost={props.onPost} />
    </section>
  )
}
