/**
 * Designs this browser knows, and its hub's, as a grid of cards: ranked search as you type
 * (MiniSearch, peer/search.ts), sort by recent or name, filters by tag, licence and material.
 * The hub's catalogue entries carry what cards and search need: nothing is fetched per design.
 */
import { createMemo, createResource, createSignal, For, onMount, Show } from 'solid-js'
import { CatalogueGrid } from '../components/CatalogueGrid.js'
import { arrange, facets, mergeItems, NO_FILTER, type CatalogueFilter, type CatalogueItem, type CatalogueSort } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { fetchHubCatalogue } from '../peer/hub-catalogue.js'
import { itemFromEntry, loadLibrary } from '../peer/library.js'
import { SEARCH_EXAMPLE } from '../peer/search-example.js'
import { href } from '../router.js'


export default function Catalogue() {
  const peer = usePeer()
  const [query, setQuery] = createSignal('')
  const [sort, setSort] = createSignal<CatalogueSort>('recent')
  const [filter, setFilter] = createSignal<CatalogueFilter>(NO_FILTER)
  const [local] = createSignal<CatalogueItem[]>(loadLibrary())
  const [hub, setHub] = createSignal<CatalogueItem[]>([])
  const [notice, setNotice] = createSignal<string | null>(null)
  const [loading, setLoading] = createSignal(true)
  const items = createMemo(() => mergeItems(local(), hub()))
  // MiniSearch is a chunk of its own, fetched at the first search (the first page does not carry it).
  const [search] = createResource(
    () => query().trim() !== '' || undefined,
    () => import('../peer/search.js'),
  )
  const index = createMemo(() => search()?.searchIndex(items()))
  const ranked = createMemo(() => (query().trim() === '' ? null : (index()?.search(query()) ?? null)))
  const shown = createMemo(() => arrange(items(), filter(), ranked() !== null && sort() === 'recent' ? 'relevance' : sort(), ranked()))
  const options = createMemo(() => facets(items()))

  onMount(async () => {
    try {
      const catalogue = await fetchHubCatalogue()
      setHub(catalogue.entries.map(itemFromEntry))
      // Read only in part (a bound reached, a page that did not answer): said, not hidden.
      if (catalogue.incomplete !== null) setNotice(`Not every design of the hub is listed: ${catalogue.incomplete}.`)
    } catch {
      // Not an error people can act on: the designs this browser holds are all here.
      setNotice(navigator.onLine ? "The hub's catalogue is not reachable right now: showing the designs in this browser." : 'Offline: showing the designs in this browser.')
    } finally {
      setLoading(false)
    }
  })

  const setOne = (key: 'tag' | 'licence' | 'material') => (e: { currentTarget: HTMLSelectElement }) =>
    setFilter((f) => ({ ...f, [key]: e.currentTarget.value === '' ? null : e.currentTarget.value }))

  return (
    <main class="page wide">
      <div class="section-head">
        <h1 tabIndex={-1}>Designs</h1>
        <a class="button" href={href({ page: 'new' })}>
          New design
        </a>
      </div>
      <div class="catalogue-tools">
        <div class="field search">
          <label for="search">Search by title, tag, part or material</label>
          <input id="search" type="search" value={query()} onInput={(e) => setQuery(e.currentTarget.value)} placeholder={SEARCH_EXAMPLE} />
        </div>
        <div class="field">
          <label for="sort">Sort</label>
          <select id="sort" value={sort()} onChange={(e) => setSort(e.currentTarget.value as CatalogueSort)}>
            <option value="recent">{query().trim() === '' ? 'Recently changed' : 'Best match'}</option>
            <option value="name">Name</option>
          </select>
        </div>
        <div class="field">
          <label for="filter-place">Adapted for (place or country code)</label>
          <input
            id="filter-place"
            type="search"
            value={filter().place ?? ''}
            onInput={(e) => setFilter((f) => ({ ...f, place: e.currentTarget.value.trim() === '' ? null : e.currentTarget.value }))}
            placeholder="Nairobi, KE"
          />
        </div>
        <For
          each={[
            { key: 'tag' as const, label: 'Tag', values: options().tags },
            { key: 'licence' as const, label: 'Licence', values: options().licences },
            { key: 'material' as const, label: 'Material', values: options().materials },
          ]}
        >
          {(f) => (
            <div class="field">
              <label for={`filter-${f.key}`}>{f.label}</label>
              <select id={`filter-${f.key}`} value={filter()[f.key] ?? ''} onChange={setOne(f.key)}>
                <option value="">any</option>
                <For each={f.values}>{(v) => <option value={v}>{v}</option>}</For>
              </select>
            </div>
          )}
        </For>
      </div>
      <Show when={notice()}>
        <p class="calm" role="status">
          {notice()}
        </p>
      </Show>
      <Show when={!(loading() && items().length === 0)} fallback={<p class="muted">Looking for designs…</p>}>
        <CatalogueGrid
          items={shown()}
          all={items()}
          me={peer.identity?.id}
          thumbnails={peer.thumbnails}
          empty={query() !== '' || filter() !== NO_FILTER ? 'No design matches.' : 'No designs yet: create one.'}
        />
      </Show>
    </main>
  )
}
