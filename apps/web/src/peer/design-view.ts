/**
 * Everything the design page shows, loaded and verified through core, and kept live: any change
 * to the design's documents (local edits, or sync from peers) reloads it.
 */
import { NameBook, type ForkSummary, type LogEntry, type PersonNames, type ProposalSummary, type VerifiedDesign } from '@cosmolocal/core'
import type { DocHandle, DocumentId, HandleState } from '@automerge/automerge-repo'
import { onCleanup } from 'solid-js'
import { loadLibrary, remember } from './library.js'
import type { Peer } from './peer.js'

export interface DesignView {
  design: VerifiedDesign
  log: LogEntry[]
  proposals: ProposalSummary[]
  forks: ForkSummary[]
  /** Why proposals / forks could not be read, if they could not. */
  inboxError: string | null
  /** For a fork: the design it was forked from (null when not a fork, or not readable here yet). */
  upstream: VerifiedDesign | null
  /** For a fork: its proposals to the upstream, the latest last. */
  upstreamProposals: ProposalSummary[]
  /**
   * Display names by id from every verified record this view read: the design's, its inbox's, its
   * proposals' authors and its upstream's. Self-asserted: shown beside the id, never instead of it.
   */
  names: PersonNames
  /**
   * False for the first view of a design this browser holds: the state last verified here, shown
   * while its documents load (proposals, forks and the upstream not read yet); the next view is the
   * design read from its documents and checked against their heads.
   */
  checked: boolean
}

/**
 * The view, in steps: for a design this browser holds, first the state last verified here (from
 * the verified-state cache, before its documents are even loaded: a first paint that waits for no
 * document), then everything but the history (the design read from its documents and checked, with
 * its proposals and forks), then the same with the history, which is a fold over every record, read
 * once the page has had a frame to paint.
 */
export async function* loadDesignView(peer: Peer, url: string): AsyncGenerator<DesignView> {
  // A design this browser holds opens from IndexedDB at once, whatever the network is doing; one
  // it does not hold can only come from the hub, so that waits (a bounded time) for the hub.
  if (loadLibrary().some((item) => item.url === url)) {
    const last = await peer.commons.lastVerified(url).catch(() => null)
    if (last !== null) {
      yield { design: last, log: [], proposals: [], forks: [], inboxError: null, upstream: null, upstreamProposals: [], names: last.names.toJSON(), checked: false }
    }
  } else await peer.hubReady(8_000)
  const design = await peer.commons.design(url)
  remember(design)
  let proposals: ProposalSummary[] = []
  let forks: ForkSummary[] = []
  let inboxError: string | null = null
  const names = new NameBook().merge(design.names)
  try {
    const inbox = await peer.commons.inbox(design)
    forks = inbox.forks
    names.merge(inbox.book)
    proposals = await peer.commons.proposals(url)
  } catch (err) {
    inboxError = (err as Error).message
  }
  let upstream: VerifiedDesign | null = null
  let upstreamProposals: ProposalSummary[] = []
  if (design.forkedFrom !== null) {
    try {
      upstream = await peer.commons.design(design.forkedFrom.url)
      names.merge(upstream.names)
      upstreamProposals = (await peer.commons.proposals(upstream.url)).filter((p) => p.source === design.url)
    } catch {
      // Not here yet (or not verifiable): the page works without it, and reloads when it changes.
    }
  }
  // A proposal's author may be known only from the proposal's own records (read by `proposals`).
  const authors = Object.fromEntries(proposals.flatMap((p) => (p.author !== null && p.authorName !== null ? [[p.author, p.authorName]] : [])))
  const view: DesignView = { design, log: [], proposals, forks, inboxError, upstream, upstreamProposals, names: { ...authors, ...names.toJSON() }, checked: true }
  yield view
  await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)))
  yield { ...view, log: await peer.commons.log(url) }
}

/**
 * Calls `onChange` (debounced) once the documents are found and whenever one of them changes.
 * Call it synchronously inside an owner (a component or an effect): it stops with that owner. The
 * cleanup is registered before anything is awaited; one registered after an `await` would belong
 * to no owner, and the listeners of every page ever shown would keep reloading their views.
 */
export function watchDocuments(peer: Peer, ids: DocumentId[], onChange: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  let handles: (DocHandle<unknown> | null)[] = []
  const fire = () => {
    clearTimeout(timer)
    timer = setTimeout(onChange, 250)
  }
  onCleanup(() => {
    stopped = true
    clearTimeout(timer)
    for (const h of handles) h?.off('change', fire)
  })
  // A document nobody has yet (an inbox can name a proposal before the proposal has synced) is
  // watched too: its handle turns ready when a peer sends it later, and that change reloads the
  // page. Found with only 'ready' allowed, such a handle was dropped and its arrival went unseen.
  const watchable = { allowableStates: ['ready', 'unavailable'] as HandleState[] }
  void Promise.all(ids.map((id) => peer.repo.find(id, watchable).catch(() => null))).then((found) => {
    if (stopped) return
    handles = found
    for (const h of handles) h?.on('change', fire)
    // Changes that arrived while the view was loading, before these listeners existed.
    fire()
  })
}
