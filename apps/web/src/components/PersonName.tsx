/**
 * A person as others see them: the display name their signed records carry, with the end of their
 * id beside it ("Wanjiru · …Hnf2iN") and the whole id in the tooltip; "you" for the viewer; the
 * shortened id alone when no record names them. A name is self-asserted and not unique (anyone can
 * call themself "Alice"), so the id is never hidden: it is what tells two Alices apart.
 */
import type { PersonNames } from '@cosmolocal/core'
import { Show } from 'solid-js'
import { Dynamic } from 'solid-js/web'
import { href } from '../router.js'

/** `link`: the name leads to the person's page (in lists of people and of designs). */
export function PersonName(props: { id: string; me?: string; name?: string | null; names?: PersonNames; link?: boolean }) {
  const name = () => props.name ?? props.names?.[props.id] ?? null
  const short = () => `${props.id.slice(0, 8)}…${props.id.slice(-6)}`
  return (
    <Dynamic
      component={props.link ? 'a' : 'span'}
      class="person"
      title={name() === null ? props.id : `${name()} — ${props.id}`}
      href={props.link ? href({ page: 'person', id: props.id }) : undefined}
    >
      <Show when={props.id !== props.me} fallback="you">
        <Show when={name()} fallback={short()}>
          {(n) => (
            <>
              {/* bdi: a right-to-left name cannot reorder the id after it. */}
              <bdi class="person-name">{n()}</bdi> <span class="person-id">· …{props.id.slice(-6)}</span>
            </>
          )}
        </Show>
      </Show>
    </Dynamic>
  )
}
