/** A design's overview: summary, readme (Markdown), tags, version, licences, maintainers. */
import type { PersonNames, VerifiedDesign } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { Markdown } from './Markdown.js'
import { PersonName } from './PersonName.js'

export function Overview(props: { design: VerifiedDesign; me: string; names?: PersonNames }) {
  const c = () => props.design.content
  return (
    <section aria-labelledby="overview-heading">
      <h2 id="overview-heading" class="sr-only">
        Overview
      </h2>
      <Show when={c().summary}>
        <p class="summary">{c().summary}</p>
      </Show>
      <Show when={c().tags.length > 0}>
        <p class="tags" aria-label="Tags">
          <For each={c().tags}>{(t) => <span class="tag">{t}</span>}</For>
        </p>
      </Show>
      <dl class="facts">
        <Show when={c().version}>
          <dt>Version</dt>
          <dd>{c().version}</dd>
        </Show>
        <dt>Licences</dt>
        <dd>
          hardware {c().licenses.hardware ?? '—'} · documentation {c().licenses.documentation ?? '—'} · software {c().licenses.software ?? '—'}
        </dd>
        <dt>Maintainers</dt>
        <dd>
          <For each={props.design.state.maintainers}>
            {(m, i) => (
              <>
                {i() > 0 && ', '}
                <PersonName id={m} me={props.me} names={props.names} />
              </>
            )}
          </For>
          {props.design.state.threshold > 1 && ` (${props.design.state.threshold} signatures needed)`}
        </dd>
      </dl>
      <Show when={c().readme.trim() !== ''}>
        <Markdown source={c().readme} />
      </Show>
      <Show when={props.design.problems.length > 0}>
        <p class="error" role="alert">
          Some content could not be read and is hidden: {props.design.problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}
        </p>
      </Show>
    </section>
  )
}
