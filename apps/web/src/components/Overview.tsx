/** A design's overview: tags, version, licences, and the readme (Markdown). The page's head shows the summary and maintainers. */
import type { PersonNames, VerifiedDesign } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { Markdown } from './Markdown.js'

export function Overview(props: { design: VerifiedDesign; me: string; names?: PersonNames }) {
  const c = () => props.design.content
  return (
    <section aria-labelledby="overview-heading">
      <h2 id="overview-heading" class="sr-only">
        Overview
      </h2>
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
      </dl>
      <Show when={c().readme.trim() !== ''}>
        <Markdown source={c().readme} headingOffset={2} />
      </Show>
      <Show when={props.design.problems.length > 0}>
        <p class="error" role="alert">
          Some content could not be read and is hidden: {props.design.problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}
        </p>
      </Show>
    </section>
  )
}
