/**
 * A design's lineage: the chain it was forked from (up to the root) and its forks below it,
 * recursively, as far as this browser knows them (its library, the hub's catalogue, the design's
 * inbox). `LineageSection` gathers the data; `LineageTree` only draws it.
 */
import type { ForkSummary, LineageNode, PersonNames, VerifiedDesign } from '@cosmolocal/core'
import { createMemo, createResource, For, Show } from 'solid-js'
import type { CatalogueItem, CatalogueNode } from '../peer/catalogue.js'
import { fetchHubCatalogue } from '../peer/hub-catalogue.js'
import { itemsFromForks, lineageOf, type Lineage } from '../peer/lineage.js'
import { itemFromDesign, itemFromEntry, loadLibrary } from '../peer/library.js'
import { lineageByUrl } from '../peer/lineage-tree.js'
import { AheadBehind } from './AheadBehind.js'
import { href } from '../router.js'
import { PersonName } from './PersonName.js'

function Maintainers(props: { item: CatalogueItem; me: string; names?: PersonNames }) {
  return (
    <Show when={props.item.maintainers.length > 0}>
      <span class="muted">
        {' '}
        by{' '}
        <For each={props.item.maintainers}>
          {(m, i) => (
            <>
              {i() > 0 && ', '}
              <PersonName id={m} me={props.me} names={props.names} />
            </>
          )}
        </For>
      </span>
    </Show>
  )
}

const titleOf = (item: CatalogueItem, fallback: string) => item.title || fallback

type Counts = Map<string, LineageNode>

function Forks(props: { nodes: CatalogueNode[]; me: string; names?: PersonNames; counts?: Counts }) {
  return (
    <ul class="forks" aria-label="Forks">
      <For each={props.nodes}>
        {(n) => (
          <li>
            <a href={href({ page: 'design', id: n.item.url })}>{titleOf(n.item, 'a fork')}</a>
            <Maintainers item={n.item} me={props.me} names={props.names} />
            <AheadBehind node={props.counts?.get(n.item.url)} />
            <Show when={n.forks.length > 0}>
              <Forks nodes={n.forks} me={props.me} names={props.names} counts={props.counts} />
            </Show>
          </li>
        )}
      </For>
    </ul>
  )
}

/** `names`: display names by id, from the verified records this page read (the design, its upstream, its inbox). */
export function LineageTree(props: { lineage: Lineage; me: string; names?: PersonNames; counts?: Counts }) {
  const l = () => props.lineage
  return (
    <div class="lineage">
      <Show when={l().ancestors.length > 0 || l().unknownUpstream !== null}>
        <ol class="lineage-up" aria-label="Forked from">
          <Show when={l().unknownUpstream}>
            {(u) => (
              <li>
                <a href={href({ page: 'design', id: u() })}>an upstream design this browser has not seen yet</a>
              </li>
            )}
          </Show>
          <For each={l().ancestors}>
            {(a) => (
              <li>
                <a href={href({ page: 'design', id: a.url })}>{titleOf(a, 'untitled design')}</a>
                <Maintainers item={a} me={props.me} names={props.names} />
              </li>
            )}
          </For>
        </ol>
      </Show>
      <ul class="catalogue lineage-here" aria-label="This design and its forks">
        <li>
          <strong aria-current="page">{titleOf(l().node.item, 'this design')}</strong> <span class="badge">this design</span>
          <AheadBehind node={props.counts?.get(l().node.item.url)} />
          <Show when={l().node.forks.length > 0} fallback={<p class="muted">No forks known yet.</p>}>
            <Forks nodes={l().node.forks} me={props.me} names={props.names} counts={props.counts} />
          </Show>
        </li>
      </ul>
    </div>
  )
}

/** `tree`: core's lineage of the design (ahead / behind per fork), when computed. */
export function LineageSection(props: { design: VerifiedDesign; upstream: VerifiedDesign | null; forks: ForkSummary[]; me: string; names?: PersonNames; tree?: LineageNode | null }) {
  // The hub's catalogue knows forks and upstreams this browser never opened; without it, what is local.
  const [hub] = createResource(() => fetchHubCatalogue().then((c) => c.entries.map(itemFromEntry)).catch(() => [] as CatalogueItem[]))
  const lineage = createMemo(() =>
    lineageOf(
      [
        // What was just verified first: mergeItems keeps the first local details it sees.
        [itemFromDesign(props.design)],
        props.upstream === null ? [] : [itemFromDesign(props.upstream)],
        loadLibrary(),
        hub.latest ?? [],
        itemsFromForks(props.design.url, props.forks),
      ],
      props.design.url,
    ),
  )
  return (
    <section aria-labelledby="lineage-heading">
      <h2 id="lineage-heading">Lineage</h2>
      <Show when={lineage()}>{(l) => <LineageTree lineage={l()} me={props.me} names={props.names} counts={lineageByUrl(props.tree)} />}</Show>
    </section>
  )
}
