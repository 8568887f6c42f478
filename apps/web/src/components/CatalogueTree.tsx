/** Designs as a tree: forks listed under their upstream. */
import { For, Show } from 'solid-js'
import type { CatalogueNode } from '../peer/catalogue.js'
import { href } from '../router.js'

export function CatalogueTree(props: { nodes: CatalogueNode[]; nested?: boolean }) {
  return (
    <ul class={props.nested ? 'forks' : 'catalogue'} aria-label={props.nested ? 'Forks' : 'Designs'}>
      <For each={props.nodes}>
        {(node) => (
          <li>
            <a href={href({ page: 'design', id: node.item.url })}>{node.item.title || '(untitled)'}</a>
            <Show when={node.item.forkedFrom !== null}>
              <span class="badge">fork</span>
            </Show>
            <Show when={!node.item.local}>
              <span class="badge muted">on hub</span>
            </Show>
            <Show when={node.item.summary}>
              <p class="muted">{node.item.summary}</p>
            </Show>
            <Show when={node.item.tags.length > 0}>
              <p class="tags">
                <For each={node.item.tags}>{(t) => <span class="tag">{t}</span>}</For>
              </p>
            </Show>
            <Show when={node.forks.length > 0}>
              <CatalogueTree nodes={node.forks} nested />
            </Show>
          </li>
        )}
      </For>
    </ul>
  )
}
