/** Designs this browser knows, and its hub's: search as you type, forks under their upstream. */
import { createMemo, createSignal, onMount, Show } from 'solid-js'
import { CatalogueTree } from '../components/CatalogueTree.js'
import { ErrorNotice } from '../components/Notice.js'
import { catalogueTree, mergeItems, type CatalogueItem } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { describeError } from '../peer/errors.js'
import { fetchHubCatalogue } from '../peer/hub.js'
import { itemFromDesign, itemFromEntry, loadLibrary, remember } from '../peer/library.js'
import { href } from '../router.js'

export default function Catalogue() {
  const peer = usePeer()
  const [query, setQuery] = createSignal('')
  const [local, setLocal] = createSignal<CatalogueItem[]>(loadLibrary())
  const [hub, setHub] = createSignal<CatalogueItem[]>([])
  const [error, setError] = createSignal<string | null>(null)
  const [loading, setLoading] = createSignal(true)
  const tree = createMemo(() => catalogueTree(mergeItems(local(), hub()), query()))

  onMount(async () => {
    try {
      const entries = await fetchHubCatalogue()
      setHub(entries.map(itemFromEntry))
      // Fetch and verify what the hub lists that this browser lacks, so search sees tags and materials.
      if (await peer.hubReady(5_000)) {
        const known = new Set(local().map((i) => i.url))
        for (const item of hub()) {
          if (known.has(item.url)) continue
          try {
            const d = await peer.commons.design(item.url)
            remember(d)
            setLocal((l) => [...l.filter((i) => i.url !== d.url), itemFromDesign(d)])
          } catch {
            // Listed by the hub but not verifiable (yet): it stays a hub entry.
          }
        }
      }
    } catch (err) {
      setError(`The hub's catalogue is unavailable (${describeError(err)}); showing the designs this browser holds.`)
    } finally {
      setLoading(false)
    }
  })

  return (
    <main class="page">
      <div class="section-head">
        <h1>Designs</h1>
        <a class="button" href={href({ page: 'new' })}>
          New design
        </a>
      </div>
      <div class="field">
        <label for="search">Search by title, tag or material</label>
        <input id="search" type="search" value={query()} onInput={(e) => setQuery(e.currentTarget.value)} placeholder="e.g. loom, oak" />
      </div>
      <ErrorNotice message={error()} />
      <Show when={tree().length > 0} fallback={<p class="muted">{loading() ? 'Looking for designs…' : query() ? 'No design matches.' : 'No designs yet: create one.'}</p>}>
        <CatalogueTree nodes={tree()} />
      </Show>
    </main>
  )
}
