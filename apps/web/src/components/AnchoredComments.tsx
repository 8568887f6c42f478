/**
 * The comments and needs about one BOM row, step or file, shown beside it: what people said about
 * this very part, where the part is. Nothing is drawn when there are none.
 */
import type { DesignContent, DiscussionComment, NeedView, PersonNames } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { CommentThread } from './CommentThread.js'

export interface AnchoredCommentsProps {
  entry: string
  /** The entry's name, for the list's accessible name. */
  name: string
  comments: DiscussionComment[]
  needs: NeedView[]
  content: DesignContent
  designUrl: string
  me: string
  names?: PersonNames
  onPost: (text: string, options: { about?: string; replyTo?: string }) => Promise<void>
}

export function AnchoredComments(props: AnchoredCommentsProps) {
  const comments = () => props.comments.filter((c) => c.about?.id === props.entry && c.replyTo === null)
  const needs = () => props.needs.filter((n) => n.about?.id === props.entry && n.status !== 'closed')
  return (
    <Show when={comments().length > 0 || needs().length > 0}>
      <div class="anchored" role="group" aria-label={`About ${props.name}`}>
        <Show when={needs().length > 0}>
          <p class="anchored-needs">
            Needs:{' '}
            <For each={needs()}>
              {(n, i) => (
                <>
                  {i() > 0 && ' · '}
                  <a
                    href="#needs-heading"
                    onClick={(e) => {
                      // Hash routes: the link scrolls, it does not navigate.
                      e.preventDefault()
                      document.querySelector(`[data-need="${n.id}"]`)?.scrollIntoView()
                    }}
                  >
                    {n.title}
                  </a>
                </>
              )}
            </For>
          </p>
        </Show>
        <Show when={comments().length > 0}>
          <ul class="comments" aria-label={`Comments about ${props.name}`}>
            <For each={comments()}>
              {(c) => <CommentThread comment={c} all={props.comments} content={props.content} me={props.me} names={props.names} anchored designUrl={props.designUrl} onPost={props.onPost} />}
            </For>
          </ul>
        </Show>
      </div>
    </Show>
  )
}
