/**
 * Licence changes that the licence they replace may not allow (share-alike, an unassessable
 * licence, a licence removed): warned about prominently, never blocked. Shown on a fork while its
 * maintainer edits it, and in a proposal's diff for the upstream maintainers.
 */
import { licenceWarnings, type LicenceWarning, type VerifiedDesign } from '@cosmolocal/core'
import { createResource, For, Show } from 'solid-js'
import './okh-licences.css'

const PROBLEM: Record<LicenceWarning['problem'], string> = {
  'share-alike': 'share-alike',
  'unknown-licence': 'cannot tell',
  removed: 'licence removed',
}

export function LicenceWarnings(props: { warnings: readonly LicenceWarning[]; title?: string; intro?: string }) {
  return (
    <Show when={props.warnings.length > 0}>
      <section class="warning licence-warnings" role="alert" aria-label={props.title ?? 'Licence warnings'}>
        <h3>{props.title ?? 'Licence warnings'}</h3>
        <Show when={props.intro}>
          <p>{props.intro}</p>
        </Show>
        <ul>
          <For each={props.warnings}>
            {(w) => (
              <li data-field={w.field} data-problem={w.problem}>
                <span class="badge">{PROBLEM[w.problem]}</span> <strong>{w.field} licence</strong> {w.before ?? '(none)'} → {w.after ?? '(none)'}: {w.message}
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  )
}

/**
 * On a fork: how its licences differ from the upstream's in ways the upstream licence may not
 * allow. The upstream is read through `load` (the peer's verified `Commons.design`).
 */
export function ForkLicenceWarnings(props: { design: VerifiedDesign; load: (url: string) => Promise<VerifiedDesign> }) {
  const [upstream] = createResource(
    () => props.design.forkedFrom?.url,
    (url) => props.load(url),
  )
  const warnings = () => {
    const up = upstream()
    return up === undefined ? [] : licenceWarnings(up.content.licenses, props.design.content.licenses)
  }
  return (
    <LicenceWarnings
      warnings={warnings()}
      title="Licence warnings for this fork"
      intro="This fork's licences differ from the upstream design's in ways its licence may not allow. Upstream maintainers will see this when you propose."
    />
  )
}
