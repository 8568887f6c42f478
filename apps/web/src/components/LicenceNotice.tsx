/**
 * The licence notice every viewer of a derivative sees (not only its maintainers): its licences
 * may not respect the share-alike or copyfair terms of the design its content came from, and
 * those terms still bind it and whatever is made from it.
 */
import type { LicenceNotice as Notice } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { href } from '../router.js'

export function LicenceNotice(props: { notice: Notice | null; title: (url: string) => string | null }) {
  return (
    <Show when={props.notice}>
      {(n) => (
        <div class="licence-notice" role="note" aria-label="Licence notice">
          <p>
            <strong>Licence notice.</strong> This design's licences may not respect the terms of the design it derives from. Those terms still apply to it and to
            anything made from it.
          </p>
          <ul>
            <For each={n().sources}>
              {(s) => (
                <li>
                  Content taken from <a href={href({ page: 'design', id: s.design })}>{props.title(s.design) ?? 'its upstream'}</a> under{' '}
                  {s.warnings.map((w) => `${w.field} ${w.before ?? '(none)'}${w.after === null ? ' (removed here)' : ` (here: ${w.after})`}`).join(', ')}
                  <For each={s.terms}>{(t) => <p class="muted">{t.id}: {t.rule}</p>}</For>
                </li>
              )}
            </For>
          </ul>
        </div>
      )}
    </Show>
  )
}
