/**
 * Who made this design, from its signed records (core's contribution accounting): per person,
 * merged changes, the parts, steps and files they introduced, reviews, comments, needs, build
 * reports and what was cited from upstream. Nobody is credited for an unsigned write.
 */
import type { ContributionsView } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { PersonName } from './PersonName.js'

const COLUMNS = [
  ['merged', 'Merged'],
  ['rows', 'Parts'],
  ['steps', 'Steps'],
  ['files', 'Files'],
  ['reviews', 'Reviews'],
  ['comments', 'Comments'],
  ['needs', 'Needs'],
  ['makes', 'Makes'],
  ['cited', 'Cited'],
] as const

export function ContributorsPanel(props: { contributions: ContributionsView | undefined; me: string }) {
  const names = () => props.contributions?.names ?? {}
  return (
    <section aria-labelledby="contributors-heading">
      <h2 id="contributors-heading">Contributors</h2>
      <Show when={props.contributions} fallback={<p class="muted">Counting contributions…</p>}>
        {(c) => (
          <>
            <div class="table-wrap">
              <table class="contributors" aria-label="Contributors">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <For each={COLUMNS}>{([, label]) => <th scope="col" class="num">{label}</th>}</For>
                  </tr>
                </thead>
                <tbody>
                  <For each={c().contributors}>
                    {(p) => (
                      <tr data-person={p.id}>
                        <th scope="row">
                          <PersonName id={p.id} me={props.me} name={p.name} names={names()} link />
                          <Show when={p.maintainer.some((m) => m.until === null)}>
                            {' '}
                            <span class="badge">maintainer</span>
                          </Show>
                        </th>
                        <For each={COLUMNS}>{([key]) => <td class="num">{p[key] === 0 ? '' : p[key]}</td>}</For>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <Show when={c().missing.length > 0}>
              <p class="calm">Work taken from {c().missing.length} design(s) not in this browser is not credited here yet.</p>
            </Show>
          </>
        )}
      </Show>
    </section>
  )
}
