/** The catalogue as a grid of cards (DesignCard), forks titled with what they were forked from. */
import { For, Show } from 'solid-js'
import type { CatalogueItem } from '../peer/catalogue.js'
import type { ThumbnailSource } from '../peer/thumbnails.js'
import { DesignCard } from './DesignCard.js'

export interface CatalogueGridProps {
  /** The cards, in order. */
  items: CatalogueItem[]
  /** Every design known (for the titles of upstreams not shown). */
  all?: CatalogueItem[]
  me?: string
  thumbnails?: ThumbnailSource
  empty?: string
}

export function CatalogueGrid(props: CatalogueGridProps) {
  const byUrl = () => new Map((props.all ?? props.items).map((i) => [i.url, i]))
  return (
    <Show when={props.items.length > 0} fallback={<p class="muted">{props.empty ?? 'No designs.'}</p>}>
      <ul class="card-grid" aria-label="Designs">
        <For each={props.items}>
          {(item) => (
            <li>
              <DesignCard item={item} upstream={item.forkedFrom === null ? undefined : byUrl().get(item.forkedFrom)} me={props.me} thumbnails={props.thumbnails} />
            </li>
          )}
        </For>
      </ul>
    </Show>
  )
}
