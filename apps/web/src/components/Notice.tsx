/** An error (or other) message people can read and dismiss. */
import { Show } from 'solid-js'

export function ErrorNotice(props: { message: string | null; onDismiss?: () => void }) {
  return (
    <Show when={props.message}>
      <div class="error" role="alert">
        <span>{props.message}</span>
        <Show when={props.onDismiss}>
          <button type="button" class="link" onClick={() => props.onDismiss?.()} aria-label="Dismiss message">
            ✕
          </button>
        </Show>
      </div>
    </Show>
  )
}
