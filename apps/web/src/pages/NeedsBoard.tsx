/**
 * "What's needed": the open needs across the designs this browser and its hub know, newest first,
 * filterable by label and searchable; live as the designs' inboxes change.
 */
import { createEffect, createMemo, createSignal, For, on, onMount, Show } from 'solid-js'
import { BoardItem } from '../components/BoardItem.js'
import '../components/social.css'
import { filterBoard, loadBoard } from '../peer/board.js'
import { mergeItems, type CatalogueItem } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { watchDocuments } from '../peer/design-view.js'
import { fetchHubCatalogue } from '../peer/hub-catalogue.js'
import { itemFromEntry, loadLibrary } from '../peer/library.js'
import { createLiveResource } from '../peer/live-resource.js'

export default function NeedsBoard() {
  const peer = usePeer()
  const me = peer.identity?.id ?? ''
  const [hub, setHub] = createSignal<CatalogueItem[] | null>(null)
  const [label, setLabel] = createSignal<string | null>(null)
  const [text, setText] = createSignal('')
  onMount(async () => {
    try {
      setHub((await fetchHubCatalogue()).entries.map(itemFromEntry))
    } catch {
      setHub([])
    }
  })
  const items = createMemo(() => (hub() === null ? null : mergeItems(loadLibrary(), hub()!)))
  const board = createLiveResource(items, (list) => (list === null ? Promise.resolve(null) : loadBoard(peer, list)))
  const documents = createMemo(() => board.latest()?.documents.join(' ') ?? '')
  createEffect(
    on(documents, (docs) => {
      if (docs !== '') watchDocuments(peer, docs.split(' ') as never[], () => void board.refetch())
    }),
  )
  const shown = () => filterBoard(board.latest()?.needs ?? [], { label: label(), text: text() })
  return (
    <main class="page">
      <h1 tabIndex={-1}>What's needed</h1>
      <p class="muted">Open tasks and wishes across the designs this browser and its hub know. Pick one up: say you are on it, fork, propose.</p>
      <div class="catalogue-tools">
        <div class="field search">
          <label for="board-search">Search needs</label>
          <input id="board-search" type="search" value={text()} onInput={(e) => setText(e.currentTarget.value)} placeholder="hinge, plywood, Lyon" />
        </div>
        <div class="field">
          <label for="board-label">Label</label>
          <select id="board-label" value={label() ?? ''} onChange={(e) => setLabel(e.currentTarget.value === '' ? null : e.currentTarget.value)}>
            <option value="">any</option>
            <For each={board.latest()?.labels ?? []}>{(l) => <option value={l}>{l}</option>}</For>
          </select>
        </div>
      </div>
      <Show when={board.latest()} fallback={<p class="muted">Looking for needs…</p>}>
        <Show when={shown().length > 0} fallback={<p class="muted">{(board.latest()?.needs.length ?? 0) === 0 ? 'No open needs yet.' : 'No need matches.'}</p>}>
          <ul class="board-list" aria-label="Open needs">
            <For each={shown()}>{(n) => <BoardItem need={n} me={me} />}</For>
          </ul>
        </Show>
        <Show when={(board.latest()?.skipped ?? 0) > 0}>
          <p class="calm">{board.latest()!.skipped} more design(s) on the hub have needs: search narrows the catalogue, or open a design to see its needs.</p>
        </Show>
        <Show when={(board.latest()?.unreadable.length ?? 0) > 0}>
          <p class="calm">{board.latest()!.unreadable.length} design(s) could not be read right now; their needs are not listed.</p>
        </Show>
      </Show>
    </main>
  )
}
