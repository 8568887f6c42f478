/**
 * One design in the catalogue grid: its picture, title, who maintains it, whose fork of what it
 * is, when it last changed, its licence and the counts that are known; and whether this browser
 * holds it or it is only on the hub.
 */
import { createResource, For, Show } from 'solid-js'
import type { CatalogueItem } from '../peer/catalogue.js'
import type { ThumbnailSource } from '../peer/thumbnails.js'
import { href } from '../router.js'
import { PersonName } from './PersonName.js'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
]

/** "3 days ago", "just now": the last change as people say it. */
export function ago(time: number, now = Date.now()): string {
  const s = (time - now) / 1000
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
  for (const [unit, size] of UNITS) if (Math.abs(s) >= size) return rtf.format(Math.round(s / size), unit)
  return 'just now'
}

export interface DesignCardProps {
  item: CatalogueItem
  /** The design it was forked from, when known here (for its title). */
  upstream?: CatalogueItem | undefined
  me?: string
  thumbnails?: ThumbnailSource
}

export function DesignCard(props: DesignCardProps) {
  const i = () => props.item
  const [picture] = createResource(
    () => (props.thumbnails !== undefined && i().thumbnail) || null,
    (t) => props.thumbnails!.url(t),
  )
  const licence = () => i().licenses?.hardware ?? i().licenses?.documentation ?? i().licenses?.software ?? null
  const counts = () =>
    [
      i().forks === undefined || i().forks === 0 ? null : plural(i().forks!, 'fork', 'forks'),
      i().proposals === undefined || i().proposals === 0 ? null : plural(i().proposals!, 'proposal', 'proposals'),
      i().makes === undefined || i().makes === 0 ? null : `made ${i().makes === 1 ? 'once' : `${i().makes} times`}`,
      i().needs === undefined || i().needs!.open + i().needs!.claimed === 0 ? null : plural(i().needs!.open + i().needs!.claimed, 'open need', 'open needs'),
    ].filter((c) => c !== null)
  return (
    <article class="design-card" aria-labelledby={`card-${i().url}`} data-design={i().url}>
      <a class="card-picture" href={href({ page: 'design', id: i().url })} tabIndex={-1} aria-hidden="true">
        <Show when={picture()} fallback={<span class="card-placeholder">{(i().title || '?').slice(0, 1).toUpperCase()}</span>}>
          {(src) => <img src={src()} alt="" loading="lazy" />}
        </Show>
      </a>
      <div class="card-body">
        <h2 class="card-title" id={`card-${i().url}`}>
          <a href={href({ page: 'design', id: i().url })}>{i().title || '(untitled)'}</a>
        </h2>
        <Show when={i().forkedFrom}>
          {(up) => (
            <p class="card-fork">
              Fork of <a href={href({ page: 'design', id: up() })}>{props.upstream?.title || 'another design'}</a>
            </p>
          )}
        </Show>
        <Show when={i().maintainers.length > 0}>
          <p class="card-people">
            by{' '}
            <For each={i().maintainers.slice(0, 3)}>
              {(m, n) => (
                <>
                  {n() > 0 && ', '}
                  <PersonName id={m} me={props.me} names={i().names} link />
                </>
              )}
            </For>
            {i().maintainers.length > 3 && ` and ${i().maintainers.length - 3} more`}
          </p>
        </Show>
        <Show when={i().place || i().placeCode}>
          <p class="card-place">Adapted for {[i().place, i().placeCode].filter((p) => p).join(' · ')}</p>
        </Show>
        <Show when={i().summary}>
          <p class="card-summary">{i().summary}</p>
        </Show>
        <p class="card-meta muted">
          <Show when={i().lastChange}>{(t) => <span title={new Date(t()).toLocaleString()}>changed {ago(t())}</span>}</Show>
          <Show when={licence()}>{(l) => <span class="licence">{l()}</span>}</Show>
          <For each={counts()}>{(c) => <span>{c}</span>}</For>
          <span class={i().local ? 'badge' : 'badge muted'}>{i().local ? 'in this browser' : 'on hub'}</span>
        </p>
      </div>
    </article>
  )
}
