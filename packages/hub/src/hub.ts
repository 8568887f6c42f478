/**
 * The hub: an always-on peer. It stores every design it is given (NodeFS layout, atomic writes,
 * torn chunks set aside and fetched again from peers: @cosmolocal/storage), speaks the Cosmolocal
 * sync protocol over libp2p (TCP, WebSockets) and the stock automerge-repo WebSocket protocol,
 * relays WebRTC signalling for browsers (circuit relay v2), keeps a catalogue, peers with other
 * hubs, and serves the web app. It is not trusted: clients verify everything it hands out.
 */
import { Repo, type DocumentId, type PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { closeRepo, Commons, flushReady } from '@cosmolocal/core'
import { BlobService, createNodePeer, FsBlobStore, Libp2pNetworkAdapter, type CosmoNode } from '@cosmolocal/net'
import { accountWasmMemoryInHeapLimit, AtomicFsStorageAdapter, FsCacheBackend } from '@cosmolocal/storage'
import type { Connection, Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { WebSocketServer } from 'ws'
import { Catalogue } from './catalogue.js'
import { FileKeeper, type HeldFiles } from './files.js'
import { IndexFiles } from './index-files.js'
import { idPage } from './paging.js'
import { Residency } from './residency.js'
import { HubStartError } from './errors.js'
import { AUTOMERGE_WS_PATH, createHttpServer } from './http.js'
import { CATALOGUE_FRESH_WAIT_MS, CATALOGUE_TIMEOUT_MS, HUB_RECONCILE_INTERVAL_MS, MAX_CATALOGUE_FRAME_BYTES, MAX_CATALOGUE_STREAMS, MAX_DOCUMENTS_PAGE, MAX_HEADS_REQUEST_DOCUMENTS, MAX_HUB_PEERS, MAX_WS_MESSAGE_BYTES } from './limits.js'
import type { PeerLimits } from './budget.js'
import { denyListPath } from './deny-list.js'
import { HubPolicy } from './policy.js'
import { logLine } from './log-line.js'
import {
  CATALOGUE_PROTOCOL,
  HUB_PROTOCOL,
  isHubRequest,
  parseCatalogueRequest,
  parseCatalogueResponse,
  type CatalogueEntry,
  type CatalogueResponse,
  type DocumentHeads,
} from './protocols.js'
import { readOne, request, writeEncoded, writeOne } from './rpc.js'
import { EncodedEntries, encodeCatalogueResponse } from './catalogue-wire.js'
import { removeServeInfo, writeServeInfo } from './serve-file.js'
import { HubWebSocketEndpoint } from './ws-endpoint.js'
import { ShareControl } from './share.js'

/** The hub's HTTP port unless told otherwise; libp2p TCP and WebSockets listen on the next two. */
export const DEFAULT_HUB_PORT = 4747

export interface HubInit {
  /** The hub's key: its libp2p peer id and its automerge-repo peer id. */
  privateKey: Ed25519PrivateKey
  /** The document store (NodeFS layout); damaged chunks are set aside in `<storageDir>-quarantine`. */
  storageDir: string
  /** Where verified state is cached (default: `cache` next to storageDir). */
  cacheDir?: string
  /** Where the catalogue index lives (default: `index` next to storageDir). */
  indexDir?: string
  /** How long a loaded document may go unused before it is unloaded (default DOCUMENT_IDLE_MS). */
  idleMs?: number
  /** Documents the catalogue index reads through one reader before letting go of them (default INDEX_READ_BATCH_DOCUMENTS). */
  indexReadBatch?: number
  /** Where attachment bytes live (default: `blobs` next to storageDir). */
  blobsDir?: string
  /** When set, `serve.json` is written here once the hub is ready, and removed when it stops. */
  home?: string
  /**
   * Default true: serve.json is written as soon as the hub listens. False: the caller calls
   * `announce()` once it is ready for others (`cosmo serve`: after seeding a sample and opening
   * the control socket, so that no command finds serve.json before the socket answers).
   */
  announce?: boolean
  /** Control socket path, recorded in serve.json for other processes. */
  control?: string | null
  /** HTTP port (default DEFAULT_HUB_PORT; 0 picks free ports for everything). */
  port?: number
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 to serve a network). */
  host?: string
  /** libp2p ports; by default the two after the HTTP port (or free ones when port is 0). */
  tcpPort?: number
  wsPort?: number
  /** Other hubs to peer with (multiaddrs with /p2p/ID). */
  peers?: string[]
  /** The built web app, served at / when present. */
  webRoot?: string | null
  /** The deny list's file (default `<home>/denied.json`; in memory without a home). */
  denyFile?: string | null
  /** Per-peer write budgets, where they differ from the defaults in limits.ts. */
  limits?: Partial<PeerLimits>
  log?: (line: string) => void
  /**
   * A shared demo identity to hand out at /api/demo-identity (a sample hub's maintainer key, so
   * that newcomers can try the maintainer side). Never set on a real hub: anyone can take it.
   */
  demoIdentity?: { name: string; key: unknown } | null
}

export interface Hub {
  readonly id: string
  readonly repo: Repo
  readonly node: CosmoNode
  readonly http: string
  readonly automergeWs: string
  multiaddrs(): string[]
  /** Every listed design (from the index: loads nothing). */
  catalogue(): Promise<CatalogueEntry[]>
  /** Every document id this hub holds. */
  documents(): Promise<DocumentId[]>
  /** The catalogue index: `checked()` resolves once it was checked against the store, `settled()` once every change is indexed. */
  readonly index: Catalogue
  /** Each catalogue entry's encoding, kept while the entry is unchanged (`encodes` counts entries encoded). */
  readonly encodedEntries: EncodedEntries
  /** Which documents stay loaded (`sweep()` unloads the idle ones now). */
  readonly residency: Residency
  peerWith(addr: string): Promise<void>
  hubPeers(): string[]
  /** What the hub offers to whom: `offer(peer)` for `cosmo sync`, `want(doc)` before fetching. */
  readonly share: ShareControl
  /** Attachment bytes: every file referenced by a design the hub holds, once fetched. */
  readonly blobs: FsBlobStore
  /** The document storage: `settled()` resolves once every write begun so far is on disk. */
  readonly storage: AtomicFsStorageAdapter
  /** Writes serve.json (done by startHub itself unless `announce: false`). */
  announce(): Promise<void>
  /** Which blobs the hub serves: those referenced by designs it holds (from the index). */
  readonly sharedFiles: HeldFiles
  /** Denied keys and per-peer write budgets: `policy.deny(id)` takes effect at once. */
  readonly policy: HubPolicy
  /** Fetches now whatever attachment of a held design is missing (it also runs by itself after changes). */
  keepFiles(): Promise<void>
  /**
   * Resolves once the work a start begins in the background is done: the sweep of temporary files
   * a crash left in the store, and the check of the catalogue index against the store (both walk
   * the whole store, so they go on while the hub already serves).
   */
  backgroundStart(): Promise<void>
  stop(): Promise<void>
}

export async function startHub(init: HubInit): Promise<Hub> {
  // A hub loads thousands of documents into Automerge's wasm memory: without this, each growth of
  // that memory past 64 MiB costs a full garbage collection (packages/storage/src/wasm-heap.ts).
  accountWasmMemoryInHeapLimit()
  // Lines carry what peers sent: made printable, so that a peer cannot forge a line of its own.
  const log = (line: string) => init.log?.(logLine(line))
  const host = init.host ?? '127.0.0.1'
  const port = init.port ?? DEFAULT_HUB_PORT
  const tcpPort = init.tcpPort ?? (port === 0 ? 0 : port + 1)
  const wsPort = init.wsPort ?? (port === 0 ? 0 : port + 2)
  const node = await createNodePeer({
    privateKey: init.privateKey,
    listen: [`/ip4/${host}/tcp/${tcpPort}`, `/ip4/${host}/tcp/${wsPort}/ws`],
    relayServer: true,
  }).catch((err: Error) => {
    throw new HubStartError(`cannot start libp2p on ${host} ports ${tcpPort}/${wsPort}: ${err.message}`)
  })
  const id = node.peerId.toString()
  const hubPeers = new Set<string>()
  /** Hubs this one was told to peer with (never forgotten to make room). */
  const configured = new Set<string>()
  // A hub announces everything to the hubs it peers with; clients ask for what they want.
  // "Held" is "stored": loading a stored document on someone's request must not offer it to every peer.
  const share = new ShareControl((peer) => hubPeers.has(peer), { held: (doc) => catalogue.holds(doc) || repo.handles[doc]?.isReady() === true })
  const policy = await HubPolicy.open({
    denyFile: init.denyFile !== undefined ? init.denyFile : init.home === undefined ? null : denyListPath(init.home),
    ...(init.limits === undefined ? {} : { limits: init.limits }),
    // Stored counts as loaded: a peer syncing what the hub already holds is not bringing new documents.
    loaded: (doc) => repo.handles[doc as DocumentId] !== undefined || catalogue.holds(doc as DocumentId),
    unmetered: (peer) => configured.has(peer),
  }).catch(async (err: Error) => {
    await node.stop()
    throw err
  })
  const adapter = new Libp2pNetworkAdapter(node, {
    onSessionClosed: (e) => log(`sync session with ${e.peerId} closed${e.reason ? `: ${e.reason}` : ''}`),
    gate: policy.gate,
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES })
  const stockEndpoint = new HubWebSocketEndpoint({ server: wss, policy, holds: (doc) => repo.handles[doc]?.isReady() === true || catalogue.holds(doc), log })
  const storage = new AtomicFsStorageAdapter(init.storageDir)
  // A damaged chunk was left out of a load: say so, and ask every peer for the document again
  // (a peer that has it answers with what the damaged chunk held).
  storage.on('quarantine', (e) => {
    log(`a damaged chunk of ${e.documentId} (${e.problem}, ${e.bytes} bytes) was ${e.file === null ? `left out (it could not be moved: ${e.error})` : `set aside in ${e.file}`}; fetching the document again from peers`)
    share.want(e.documentId as DocumentId)
    share.changed()
  })
  // In the background: walking the whole store would make start-up grow with it. Safe alongside the
  // hub's own writes (only files of writers that are gone, or of no write of ours in progress, go).
  const swept = storage.sweepTemporaryFiles().then(
    (count) => {
      if (count > 0) log(`removed ${count} temporary file(s) left by an interrupted write`)
    },
    (err: Error) => log(`cannot sweep temporary files: ${err.message}`),
  )
  const repo: Repo = new Repo({
    peerId: id as RepoPeerId,
    storage,
    network: [adapter, stockEndpoint],
    shareConfig: share.shareConfig,
  })
  share.attach(repo)

  // Nothing is loaded here: the catalogue index says what the store holds, and documents load
  // when someone asks for them (a peer's sync message, a find) and unload when idle.
  const residency = new Residency({ repo, ...(init.idleMs === undefined ? {} : { idleMs: init.idleMs }), log })
  // Attachments: serve those of designs held here, and fetch any such one that is missing.
  const blobs = new FsBlobStore(init.blobsDir ?? join(dirname(init.storageDir), 'blobs'))
  // Verified state kept beside the store, so a restart does not verify every design again.
  const verifiedCache = new FsCacheBackend(init.cacheDir ?? join(dirname(init.storageDir), 'cache'))
  let keeper: FileKeeper | null = null
  const catalogue: Catalogue = new Catalogue({
    repo,
    storage,
    commons: (reader) => new Commons(reader, null, blobs, { cache: verifiedCache }),
    index: new IndexFiles(init.indexDir ?? join(dirname(init.storageDir), 'index')),
    storageDir: init.storageDir,
    ...(init.indexReadBatch === undefined ? {} : { readBatch: init.indexReadBatch }),
    caughtUp: () => storage.caughtUp(),
    log,
    onFilesChanged: () => keeper?.schedule(),
  })
  await catalogue.open()
  // Every saved change (a peer's, a local command's) is indexed: verified as it arrives, once.
  repo.on('doc-metrics', (e) => {
    if ((e.type === 'doc-saved' || e.type === 'doc-compacted') && repo.handles[e.documentId]?.isReady() === true) catalogue.mark(e.documentId)
  })
  residency.start()
  const documents = async (): Promise<DocumentId[]> => {
    const ids = new Set(catalogue.ids())
    for (const h of Object.values(repo.handles)) if (h.isReady()) ids.add(h.documentId)
    return [...ids].sort()
  }
  const sharedFiles: HeldFiles = {
    all: async () => catalogue.files(),
    has: async (hash) => catalogue.files().has(hash),
  }
  const blobService = new BlobService(node, { store: blobs, mayServe: (h) => sharedFiles.has(h), log })
  await blobService.start()
  keeper = new FileKeeper(node, blobs, sharedFiles, log)
  node.addEventListener('peer:connect', () => keeper?.schedule(500))
  keeper.schedule()

  const encodedEntries = new EncodedEntries()
  await node.handle(
    CATALOGUE_PROTOCOL,
    async (stream) => {
      const signal = AbortSignal.timeout(CATALOGUE_TIMEOUT_MS)
      let answer: CatalogueResponse
      try {
        const req = parseCatalogueRequest(await readOneRequest(stream, signal))
        // Heads are reported only once on disk (flushed after reading them, and every write begun by
        // then finished, the throttled background saves included): a peer may treat them as acknowledged.
        // Unloaded documents' heads come from the index, which never runs ahead of the disk.
        const stored = async (ids: readonly DocumentId[]) => {
          const heads = await catalogue.heads(ids)
          await repo.flush(heads.filter((h) => h.heads !== null && repo.handles[h.id]?.isReady() === true).map((h) => h.id))
          await storage.caughtUp()
          return heads
        }
        if (req.want === 'catalogue') {
          await catalogue.fresh(CATALOGUE_FRESH_WAIT_MS)
          const page = catalogue.page()
          const { designs, next } = req.paged ? page.slice({ cursor: req.cursor, limit: req.limit }) : page.slice({ limit: req.limit })
          // What older peers asked for: every stored document's heads (up to what a heads request may name).
          const docs = req.paged ? [...new Set(designs.flatMap((e) => e.documents))] : (await documents()).slice(0, MAX_HEADS_REQUEST_DOCUMENTS)
          answer = { v: 1, want: 'catalogue', hub: id, designs, documents: await stored(docs), next, total: page.entries.length }
        } else if (req.want === 'documents') {
          const { ids, next } = idPage(await documents(), req.cursor, Math.min(req.limit, MAX_DOCUMENTS_PAGE))
          answer = { v: 1, want: 'documents', documents: await stored(ids), next }
        } else {
          answer = { v: 1, want: 'heads', heads: await stored(req.documents) }
        }
      } catch (err) {
        answer = { v: 1, error: (err as Error).message }
      }
      await writeEncoded(stream, encodeCatalogueResponse(answer, encodedEntries)).catch((err: Error) => stream.abort(err))
    },
    { maxInboundStreams: MAX_CATALOGUE_STREAMS, runOnLimitedConnection: true },
  )

  const reconcile = async (peer: PeerId | Connection): Promise<void> => {
    for await (const page of remoteDocuments(node, peer)) {
      const mine = new Map((await catalogue.heads(page.map((d) => d.id))).map((d) => [d.id, d.heads?.join(',')]))
      for (const doc of page) {
        if (doc.heads === null || mine.get(doc.id) === [...doc.heads].sort().join(',')) continue
        share.want(doc.id)
        residency.use(doc.id)
        await repo.find(doc.id, { allowableStates: ['ready', 'unavailable'] }).catch((err: Error) => log(`cannot fetch ${doc.id}: ${err.message}`))
      }
    }
  }

  const addHubPeer = (peer: string): boolean => {
    if (hubPeers.has(peer)) return true
    if (policy.isDenied(peer)) return false
    // A full table makes room by forgetting a peer that is no longer connected: otherwise keys
    // that peered once and left would hold every slot for good.
    if (hubPeers.size >= MAX_HUB_PEERS) {
      const gone = [...hubPeers].find((p) => !configured.has(p) && !node.getConnections().some((c) => c.remotePeer.toString() === p))
      if (gone === undefined) return false
      hubPeers.delete(gone)
    }
    hubPeers.add(peer)
    share.changed()
    log(`peering with hub ${peer}`)
    return true
  }

  await node.handle(
    HUB_PROTOCOL,
    async (stream, connection) => {
      const remote = connection.remotePeer.toString()
      // Only a well-formed request from the hub it names makes a peer of it.
      const asked = isHubRequest(await readOneRequest(stream, AbortSignal.timeout(CATALOGUE_TIMEOUT_MS)).catch(() => null), remote)
      const accepted = asked && addHubPeer(remote)
      const refusal = !asked ? 'malformed hub request' : policy.isDenied(remote) ? 'this key is denied by the hub' : `this hub already peers with ${MAX_HUB_PEERS} hubs`
      await writeOne(stream, accepted ? { v: 1, hub: id } : { v: 1, error: refusal }).catch(
        (err: Error) => stream.abort(err),
      )
      if (accepted) void reconcile(connection).catch((err: Error) => log(`reconcile with ${remote}: ${err.message}`))
    },
    { maxInboundStreams: 2 },
  )

  const peerWith = async (addr: string): Promise<void> => {
    const ma = multiaddr(addr)
    const connection = await node.dial(ma, { signal: AbortSignal.timeout(CATALOGUE_TIMEOUT_MS) })
    const remote = connection.remotePeer.toString()
    configured.add(remote)
    addHubPeer(remote)
    const raw = await request(node, connection, HUB_PROTOCOL, { v: 1, hub: id }, { maxBytes: 64 * 1024, timeoutMs: CATALOGUE_TIMEOUT_MS })
    const answer = raw as { error?: unknown }
    if (typeof answer?.error === 'string') throw new Error(`hub ${remote} refused to peer: ${answer.error}`)
    await reconcile(connection)
  }

  // A key denied while it syncs is cut off at once, and is no longer a peered hub.
  policy.onChange(() => {
    adapter.reviewSessions()
    for (const peer of hubPeers) if (policy.isDenied(peer)) hubPeers.delete(peer)
    share.changed()
  })

  const reconcileTimer = setInterval(() => {
    keeper.schedule()
    for (const peer of hubPeers) {
      const conn = node.getConnections().find((c) => c.remotePeer.toString() === peer)
      if (conn !== undefined) void reconcile(conn).catch((err: Error) => log(`reconcile with ${peer}: ${err.message}`))
    }
  }, HUB_RECONCILE_INTERVAL_MS)
  reconcileTimer.unref()

  const multiaddrs = () => node.getMultiaddrs().map((m) => m.toString())
  const httpServer = createHttpServer({
    webRoot: init.webRoot ?? null,
    wss,
    info: () => ({ id, multiaddrs: multiaddrs(), automergeWs: automergeWsUrl, denied: policy.denied(), index: { complete: catalogue.complete, designs: catalogue.page().entries.length, documents: catalogue.ids().length } }),
    catalogue: async (q) => {
      await catalogue.fresh(CATALOGUE_FRESH_WAIT_MS)
      const page = catalogue.page()
      return { ...page.slice(q), total: page.entries.length }
    },
    demoIdentity: init.demoIdentity ?? null,
    log,
  })
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (err) => reject(new HubStartError(`cannot listen on ${host}:${port}: ${err.message}`)))
    httpServer.listen(port, host, () => resolve())
  }).catch(async (err) => {
    await node.stop()
    await residency.stop()
    await catalogue.close()
    await closeRepo(repo)
    await storage.settled()
    await catalogue.stamp()
    throw err
  })
  const httpPort = (httpServer.address() as AddressInfo).port
  const httpHost = host === '0.0.0.0' ? '127.0.0.1' : host
  const httpUrl = `http://${httpHost}:${httpPort}/`
  const automergeWsUrl = `ws://${httpHost}:${httpPort}${AUTOMERGE_WS_PATH}`

  for (const peer of init.peers ?? []) {
    await peerWith(peer).catch((err: Error) => log(`cannot peer with ${peer}: ${err.message}`))
  }

  // serve.json tells other processes a hub runs on this home (and to send their commands to it):
  // written once everything it names answers; `announce: false` leaves it to the caller.
  const announce = async (): Promise<void> => {
    if (init.home === undefined) return
    await writeServeInfo(init.home, {
      id,
      multiaddrs: multiaddrs(),
      http: httpUrl,
      automergeWs: automergeWsUrl,
      control: init.control ?? null,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    })
  }
  if (init.announce !== false) await announce()

  let stopped: Promise<void> | undefined
  return {
    id,
    announce,
    repo,
    node,
    http: httpUrl,
    automergeWs: automergeWsUrl,
    multiaddrs,
    catalogue: async () => {
      await catalogue.fresh(CATALOGUE_FRESH_WAIT_MS)
      return catalogue.entries()
    },
    documents,
    index: catalogue,
    encodedEntries,
    residency,
    peerWith,
    hubPeers: () => [...hubPeers],
    share,
    blobs,
    storage,
    sharedFiles,
    policy,
    keepFiles: () => keeper!.run(),
    backgroundStart: async () => {
      await Promise.all([swept, catalogue.checked()])
    },
    stop: () =>
      (stopped ??= (async () => {
        clearInterval(reconcileTimer)
        await keeper!.stop()
        await residency.stop()
        await blobService.stop()
        if (init.home !== undefined) await removeServeInfo(init.home)
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve())
          httpServer.closeAllConnections()
        })
        for (const client of wss.clients) client.terminate()
        wss.close()
        await flushReady(repo)
        await node.stop()
        // The index is written last, once the store settled: only then may it say it matches the store.
        await storage.settled()
        await catalogue.close()
        await closeRepo(repo).finally(() => storage.settled())
        await catalogue.stamp()
      })()),
  }
}

/**
 * Every document a peer holds, with its heads, a page at a time: the `documents` request, or the
 * catalogue request's list from a hub that does not page (an older one).
 */
async function* remoteDocuments(node: CosmoNode, peer: PeerId | Connection): AsyncGenerator<DocumentHeads[]> {
  const options = { maxBytes: MAX_CATALOGUE_FRAME_BYTES, timeoutMs: CATALOGUE_TIMEOUT_MS }
  let cursor: string | undefined
  for (;;) {
    const answer = parseCatalogueResponse(await request(node, peer, CATALOGUE_PROTOCOL, { v: 1, want: 'documents', ...(cursor === undefined ? {} : { cursor }) }, options))
    if ('error' in answer && cursor === undefined) {
      const old = parseCatalogueResponse(await request(node, peer, CATALOGUE_PROTOCOL, { v: 1, want: 'catalogue' }, options))
      if (!('want' in old) || old.want !== 'catalogue') throw new Error(`peer refused the catalogue: ${'error' in old ? old.error : '?'}`)
      yield old.documents
      return
    }
    if (!('want' in answer) || answer.want !== 'documents') throw new Error(`peer refused its documents: ${'error' in answer ? answer.error : '?'}`)
    yield answer.documents
    if (answer.next === null || answer.next === cursor) return
    cursor = answer.next
  }
}

async function readOneRequest(stream: Parameters<typeof readOne>[0], signal: AbortSignal): Promise<unknown> {
  return await readOne(stream, MAX_CATALOGUE_FRAME_BYTES, signal)
}
