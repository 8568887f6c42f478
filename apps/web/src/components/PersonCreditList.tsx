/** A person's contributions and build reports, per design, as their person page lists them. */
import { For, Show } from 'solid-js'
import { creditSummary, type PersonCredit } from '../peer/person-credit.js'
import { href } from '../router.js'

export function PersonCreditList(props: { credit: PersonCredit[] | undefined; loading: boolean }) {
  return (
    <>
      <section aria-labelledby="person-contributions">
        <h2 id="person-contributions">Contributions</h2>
        <Show when={(props.credit ?? []).some((c) => c.contributor !== null)} fallback={<p class="muted">{props.loading ? 'Counting…' : 'None known here.'}</p>}>
          <ul aria-label="Contributions">
            <For each={(props.credit ?? []).filter((c) => c.contributor !== null)}>
              {(c) => (
                <li>
                  <a href={href({ page: 'design', id: c.url })}>{c.title || 'a design'}</a>: {creditSummary(c.contributor)}
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
      <section aria-labelledby="person-makes">
        <h2 id="person-makes">Builds they reported</h2>
        <Show when={(props.credit ?? []).some((c) => c.makes.length > 0)} fallback={<p class="muted">{props.loading ? 'Looking…' : 'None known here.'}</p>}>
          <ul aria-label="Builds they reported">
            <For each={(props.credit ?? []).flatMap((c) => c.makes.map((m) => ({ ...m, url: c.url, title: c.title })))}>
              {(m) => (
                <li>
                  <a href={href({ page: 'design', id: m.url })}>{m.title || 'a design'}</a>
                  <Show when={m.place}> in {m.place}</Show> <span class={`badge result-${m.result}`}>{m.result}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </>
  )
}
