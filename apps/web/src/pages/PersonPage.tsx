/** A person: their id and (self-asserted) name, the designs they maintain, their forks and the proposals they made. */
import { createMemo, createResource, createSignal, For, onMount, Show } from 'solid-js'
import { CatalogueGrid } from '../components/CatalogueGrid.js'
import { PersonCreditList } from '../components/PersonCreditList.js'
import '../components/social.css'
import { mergeItems, type CatalogueItem } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { fetchHubCatalogue } from '../peer/hub-catalogue.js'
import { itemFromEntry, loadLibrary } from '../peer/library.js'
import { personView, proposalsBy } from '../peer/person.js'
import { creditOf } from '../peer/person-credit.js'
import { href } from '../router.js'

export default function PersonPage(props: { id: string }) {
  const peer = usePeer()
  const [hub, setHub] = createSignal<CatalogueItem[]>([])
  onMount(async () => {
    setHub(((await fetchHubCatalogue().catch(() => null))?.entries ?? []).map(itemFromEntry))
  })
  const items = createMemo(() => mergeItems(loadLibrary(), hub()))
  const view = createMemo(() => personView(items(), props.id))
  const [proposals] = createResource(
    () => view().forks,
    (forks) => proposalsBy(props.id, forks, (u) => peer.commons.proposals(u)),
  )
  // Held here, or theirs: the designs whose records this browser reads for their credit.
  const creditItems = createMemo(() => {
    const v = view()
    const own = new Set([...v.designs, ...v.forks].map((i) => i.url))
    return items().filter((i) => i.local || own.has(i.url))
  })
  const [credit] = createResource(creditItems, (list) => creditOf(peer, props.id, list))
  const me = () => peer.identity?.id
  return (
    <main class="page wide">
      <h1 tabIndex={-1}>
        {props.id === me() ? 'You' : view().name ?? 'Someone without a name'}
        <Show when={view().name !== null && props.id === me()}> ({view().name})</Show>
      </h1>
      <p>
        <span class="muted">Id</span> <code class="wrap">{props.id}</code>
      </p>
      <p class="muted">Names are chosen by each person and are not unique: the id is what tells people apart.</p>
      <section aria-labelledby="person-designs">
        <h2 id="person-designs">Designs they maintain</h2>
        <CatalogueGrid items={view().designs} all={items()} me={me()} thumbnails={peer.thumbnails} empty="None known here." />
      </section>
      <section aria-labelledby="person-forks">
        <h2 id="person-forks">Forks they made</h2>
        <CatalogueGrid items={view().forks} all={items()} me={me()} thumbnails={peer.thumbnails} empty="None known here." />
      </section>
      <section aria-labelledby="person-proposals">
        <h2 id="person-proposals">Proposals</h2>
        <Show when={(proposals() ?? []).length > 0} fallback={<p class="muted">{proposals.loading ? 'Looking…' : 'None known here.'}</p>}>
          <ul>
            <For each={proposals()}>
              {(p) => (
                <li>
                  <a href={href({ page: 'proposal', id: p.proposal })}>{p.title || '(unavailable proposal)'}</a> <span class="badge">{p.status}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
      <PersonCreditList credit={credit.latest} loading={credit.loading} />
    </main>
  )
}
