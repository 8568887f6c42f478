/**
 * What a Node peer does with another peer (a hub, or anyone running the sync protocol): dial it,
 * ask its catalogue, pull one design with everything it points to, or exchange everything. Each
 * finishes by itself: done means both sides report the same heads for every document involved
 * (the hub reports heads only once they are on its disk).
 */
import type { DocumentId, Repo } from '@automerge/automerge-repo'
import { Commons, NotFoundError, parseDesignId, type DesignId } from '@cosmolocal/core'
import { Libp2pNetworkAdapter, type CosmoNode } from '@cosmolocal/net'
import type { PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { CatalogueProtocolError, PeerUnreachableError, SessionRefusedError } from './errors.js'
import { CATALOGUE_TIMEOUT_MS, MAX_CATALOGUE_FRAME_BYTES, MAX_CATALOGUE_PAGE_DESIGNS, MAX_CATALOGUE_PAGES_FOLLOWED } from './limits.js'
import { CATALOGUE_PROTOCOL, parseCatalogueResponse, type CatalogueEntry, type DocumentHeads } from './protocols.js'
import { request } from './rpc.js'
import type { ShareControl } from './share.js'

/** How long a pull or sync waits for both sides to agree before giving up (ms). */
export const SYNC_SETTLE_TIMEOUT_MS = 120_000
/** How long to wait for a sync session once connected (ms). */
export const SESSION_TIMEOUT_MS = 15_000

export interface Progress {
  phase: 'connect' | 'catalogue' | 'fetch' | 'settle'
  done: number
  total: number
  detail?: string
}

export interface Remote {
  peer: PeerId
  id: string
}

/** Dials `addr` and waits for a sync session with it (before that, find() would find nothing). */
export async function connectTo(node: CosmoNode, repo: Repo, addr: string): Promise<Remote> {
  let ma
  try {
    ma = multiaddr(addr)
  } catch (err) {
    throw new PeerUnreachableError(`not a multiaddr: ${addr} (${(err as Error).message})`)
  }
  let connection
  try {
    connection = await node.dial(ma, { signal: AbortSignal.timeout(SESSION_TIMEOUT_MS) })
  } catch (err) {
    throw new PeerUnreachableError(`cannot reach ${addr}: ${(err as Error).message}`)
  }
  const id = connection.remotePeer.toString()
  const start = Date.now()
  const end = start + SESSION_TIMEOUT_MS
  const adapter = repo.networkSubsystem.adapters.find((a): a is Libp2pNetworkAdapter => a instanceof Libp2pNetworkAdapter)
  while (!repo.peers.includes(id as never)) {
    // A peer that refuses us says why (a hub that denies our key, or has cut us off for a while).
    const ended = adapter?.lastSessionEnd(id)
    if (ended !== undefined && ended.at >= start && ended.error?.name === 'RemoteRefusedError') {
      throw new SessionRefusedError(`${id} refused to sync: ${String(ended.error.context.remoteMessage)}`, { peer: id })
    }
    if (Date.now() > end) throw new PeerUnreachableError(`connected to ${id}, but it does not speak the Cosmolocal sync protocol`)
    await sleep(50)
  }
  return { peer: connection.remotePeer, id }
}

export interface RemoteCatalogue {
  hub: string
  /** Newest change first; at most `limit` when one was given. */
  designs: CatalogueEntry[]
  /** The heads of every document the designs are made of (with `documents: true`: of every document the peer holds). */
  documents: DocumentHeads[]
  /** How many designs the peer lists (null from an older hub). */
  total: number | null
}

/**
 * A peer's catalogue, a page at a time until all of it (or `limit` designs) is read. With
 * `documents: true`, also every document the peer holds and its heads (what `syncAll` exchanges).
 * An older hub answers everything in one page.
 */
export async function fetchCatalogue(node: CosmoNode, remote: Remote, options: { limit?: number; documents?: boolean } = {}): Promise<RemoteCatalogue> {
  const rpc = { maxBytes: MAX_CATALOGUE_FRAME_BYTES, timeoutMs: CATALOGUE_TIMEOUT_MS }
  const designs: CatalogueEntry[] = []
  const documents = new Map<DocumentId, DocumentHeads>()
  const want = options.limit ?? Number.POSITIVE_INFINITY
  let hub = remote.id
  let total: number | null = null
  let cursor: string | undefined
  const seen = new Set<string>()
  for (let pages = 0; designs.length < want && pages < MAX_CATALOGUE_PAGES_FOLLOWED; pages++) {
    const limit = Math.min(MAX_CATALOGUE_PAGE_DESIGNS, want - designs.length)
    const answer = parseCatalogueResponse(await request(node, remote.peer, CATALOGUE_PROTOCOL, { v: 1, want: 'catalogue', limit, ...(cursor === undefined ? {} : { cursor }) }, rpc))
    if ('error' in answer) throw new CatalogueProtocolError(`${remote.id} refused its catalogue: ${answer.error}`)
    if (answer.want !== 'catalogue') throw new CatalogueProtocolError(`${remote.id} answered something else`)
    hub = answer.hub
    total = answer.total
    designs.push(...answer.designs.slice(0, want - designs.length))
    for (const d of answer.documents) documents.set(d.id, d)
    // A cursor seen before would only repeat pages (a confused or hostile peer): the listing ends there.
    if (answer.next === null || seen.has(answer.next) || answer.designs.length === 0) break
    seen.add(answer.next)
    cursor = answer.next
  }
  if (options.documents === true) for (const d of await fetchDocuments(node, remote, [...documents.values()])) documents.set(d.id, d)
  return { hub, designs, documents: [...documents.values()], total }
}

/** Every document the peer holds and its heads (`documents` pages); `fallback` from an older hub, which lists them with its catalogue. */
async function fetchDocuments(node: CosmoNode, remote: Remote, fallback: DocumentHeads[]): Promise<DocumentHeads[]> {
  const rpc = { maxBytes: MAX_CATALOGUE_FRAME_BYTES, timeoutMs: CATALOGUE_TIMEOUT_MS }
  const out: DocumentHeads[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < MAX_CATALOGUE_PAGES_FOLLOWED; pages++) {
    const answer = parseCatalogueResponse(await request(node, remote.peer, CATALOGUE_PROTOCOL, { v: 1, want: 'documents', ...(cursor === undefined ? {} : { cursor }) }, rpc))
    if ('error' in answer && cursor === undefined) return fallback
    if (!('want' in answer) || answer.want !== 'documents') throw new CatalogueProtocolError(`${remote.id} refused its documents: ${'error' in answer ? answer.error : 'answered something else'}`)
    out.push(...answer.documents)
    if (answer.next === null || (cursor !== undefined && answer.next <= cursor)) break
    cursor = answer.next
  }
  return out
}

export async function fetchHeads(node: CosmoNode, remote: Remote, ids: readonly DocumentId[]): Promise<Map<DocumentId, string | null>> {
  const answer = parseCatalogueResponse(
    await request(node, remote.peer, CATALOGUE_PROTOCOL, { v: 1, want: 'heads', documents: [...ids] }, {
      maxBytes: MAX_CATALOGUE_FRAME_BYTES,
      timeoutMs: CATALOGUE_TIMEOUT_MS,
    }),
  )
  if ('error' in answer) throw new CatalogueProtocolError(`${remote.id} refused heads: ${answer.error}`)
  if (answer.want !== 'heads') throw new CatalogueProtocolError(`${remote.id} answered something else`)
  return new Map(answer.heads.map((h) => [h.id, h.heads === null ? null : [...h.heads].sort().join(',')]))
}

async function localHeads(commons: Commons, id: DocumentId): Promise<string | null> {
  return (await commons.documentHeads(id))?.join(',') ?? null
}

/** Waits until the remote reports, for every id, the heads we have (and we hold what it has). */
async function settle(
  node: CosmoNode,
  commons: Commons,
  remote: Remote,
  ids: readonly DocumentId[],
  onProgress: (p: Progress) => void,
): Promise<void> {
  const end = Date.now() + SYNC_SETTLE_TIMEOUT_MS
  for (;;) {
    const theirs = await fetchHeads(node, remote, ids)
    const pending: DocumentId[] = []
    for (const id of ids) if (theirs.get(id) !== (await localHeads(commons, id))) pending.push(id)
    onProgress({ phase: 'settle', done: ids.length - pending.length, total: ids.length })
    if (pending.length === 0) return
    if (Date.now() > end) {
      throw new PeerUnreachableError(`${pending.length} document(s) did not finish syncing with ${remote.id} in ${SYNC_SETTLE_TIMEOUT_MS / 1000} s`)
    }
    await sleep(150)
  }
}

async function fetchDoc(commons: Commons, share: ShareControl, id: DocumentId): Promise<boolean> {
  share.want(id)
  return await commons.fetchDocument(id)
}

export interface PullResult {
  design: DesignId
  designs: DesignId[]
  documents: DocumentId[]
  fetched: DocumentId[]
}

/**
 * Fetches a design with all its documents (governance, content, inbox), its proposals, and the
 * forks its proposals and inbox point to; then verifies every design fetched.
 */
export async function pullDesign(
  commons: Commons,
  node: CosmoNode,
  share: ShareControl,
  remote: Remote,
  ref: string,
  onProgress: (p: Progress) => void = () => {},
): Promise<PullResult> {
  const root = parseDesignId(ref)
  const before = new Map<DocumentId, string | null>()
  const seenDesigns = new Set<DesignId>()
  const documents = new Set<DocumentId>()
  const queue: { id: DesignId; depth: number }[] = [{ id: root, depth: 0 }]
  const note = async (id: DocumentId) => {
    if (!before.has(id)) before.set(id, await localHeads(commons, id))
    documents.add(id)
  }
  while (queue.length > 0) {
    const { id, depth } = queue.shift()!
    if (seenDesigns.has(id)) continue
    seenDesigns.add(id)
    await note(id)
    onProgress({ phase: 'fetch', done: seenDesigns.size - 1, total: seenDesigns.size + queue.length, detail: id })
    if (!(await fetchDoc(commons, share, id))) {
      if (id === root) throw new NotFoundError(`design ${ref} is not on ${remote.id}`, { design: id })
      continue
    }
    // design() fetches the content document its trusted genesis names.
    const d = await commons.design(id)
    for (const doc of commons.documentsOf(d)) await note(doc)
    // A design held here already has a local inbox, maybe older than the peer's: catch up with the
    // peer's before reading it, or proposals and forks added since would not be followed.
    share.want(d.inboxId)
    await commons.fetchDocument(d.inboxId)
    const theirs = await fetchHeads(node, remote, [d.inboxId])
    if (theirs.get(d.inboxId) != null) await settle(node, commons, remote, [d.inboxId], () => {})
    const inbox = await commons.inbox(d)
    for (const { proposal: pid } of inbox.proposals) {
      await note(pid)
      if (!(await fetchDoc(commons, share, pid))) continue
      // The design a proposal comes from is named by its signed opening revision.
      try {
        queue.push({ id: (await commons.proposal(pid)).source, depth: depth + 1 })
      } catch {
        // not a proposal after all (or its target is elsewhere): held, not followed
      }
    }
    // Forks the inbox points to, one level below what was asked for.
    if (depth === 0) for (const f of inbox.forks) queue.push({ id: parseDesignId(f.design), depth: depth + 1 })
  }
  const ids: DocumentId[] = []
  for (const id of documents) if ((await commons.documentHeads(id)) !== null) ids.push(id)
  await settle(node, commons, remote, ids, onProgress)
  const designs: DesignId[] = []
  for (const id of seenDesigns) {
    try {
      await commons.design(id)
      designs.push(id)
    } catch {
      // unverifiable, or not on the peer: not reported as pulled
    }
  }
  const fetched: DocumentId[] = []
  for (const id of ids) if ((await localHeads(commons, id)) !== before.get(id)) fetched.push(id)
  return { design: root, designs, documents: ids, fetched }
}

/** Loads each document from local storage and notes its heads (null: not held). */
export async function snapshotHeads(commons: Commons, ids: readonly DocumentId[]): Promise<Map<DocumentId, string | null>> {
  const out = new Map<DocumentId, string | null>()
  for (const id of ids) out.set(id, await localHeads(commons, id))
  return out
}

export interface SyncResult {
  /** Documents that are new or changed here. */
  received: DocumentId[]
  /** Documents that are new or changed on the peer. */
  sent: DocumentId[]
  documents: number
}

/**
 * Exchanges every document either side holds. `before` is this side's documents and their heads,
 * taken (with snapshotHeads) before connecting.
 */
export async function syncAll(
  node: CosmoNode,
  commons: Commons,
  remote: Remote,
  before: ReadonlyMap<DocumentId, string | null>,
  share: ShareControl,
  onProgress: (p: Progress) => void = () => {},
): Promise<SyncResult> {
  onProgress({ phase: 'catalogue', done: 0, total: 1 })
  // What the peer held before anything was offered to it: the measure of what we send.
  const catalogue = await fetchCatalogue(node, remote, { documents: true })
  share.offer(remote.id)
  const theirsBefore = new Map(catalogue.documents.map((d) => [d.id, d.heads === null ? null : [...d.heads].sort().join(',')]))
  const all = [...new Set([...before.keys(), ...catalogue.documents.map((d) => d.id)])].sort()
  let done = 0
  for (const id of all) {
    // Holding a document open makes the repo offer it to the peer; finding one fetches it.
    await fetchDoc(commons, share, id)
    onProgress({ phase: 'fetch', done: ++done, total: all.length })
  }
  const now = new Map<DocumentId, string | null>()
  for (const id of all) now.set(id, await localHeads(commons, id))
  const ready = all.filter((id) => now.get(id) !== null)
  await settle(node, commons, remote, ready, onProgress)
  for (const id of ready) now.set(id, await localHeads(commons, id))
  const received = ready.filter((id) => now.get(id) !== (before.get(id) ?? null))
  const sent = ready.filter((id) => now.get(id) !== (theirsBefore.get(id) ?? null))
  return { received, sent, documents: ready.length }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
