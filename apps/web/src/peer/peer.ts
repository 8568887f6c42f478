/**
 * The browser peer: automerge-repo on IndexedDB, the browser libp2p node (the person's key), the
 * sync adapter over libp2p, and core's Commons on top. The hub is the page's own origin.
 *
 * The local half (Repo, Commons, the verified-state cache) starts at once; the network half
 * (network.ts, its own chunk: libp2p and everything it needs) is loaded and started once the first
 * page has rendered (first-render.ts), or as soon as something needs it: a design this browser
 * holds renders from IndexedDB without parsing, let alone starting, libp2p.
 */
import { Repo, type DocumentId, type PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { Commons, createIdentity, type Identity } from '@cosmolocal/core'
import { IdbBlobStore, type CosmoNode } from '@cosmolocal/net/browser'
import { createSignal, type Accessor } from 'solid-js'
import { describeError, PeerStoppedError } from './errors.js'
import { BrowserFiles } from './files.js'
import { afterFirstRender } from './first-render.js'
import { fetchHubInfo, webSocketAddress, type HubInfo } from './hub.js'
import { route } from '../router.js'
import { toUrl } from './catalogue.js'
import { loadLibrary } from './library.js'
import { combine, documentSync, loadAcked, localDoc, saveAcked, type DesignSync } from './sync-state.js'
import { pageCache, pageStorage } from './storage-ahead.js'
import { Thumbnails } from './thumbnails.js'

/** One open libp2p connection, as the network panel lists it. */
export interface Link {
  peer: string
  /** websocket (to a hub), webrtc (direct, browser to browser), relay (through a hub's relay). */
  transport: 'websocket' | 'webrtc' | 'relay' | 'other'
  hub: boolean
}

export function transportOf(remoteAddr: string): Link['transport'] {
  if (remoteAddr.includes('/webrtc')) return 'webrtc'
  if (remoteAddr.includes('/p2p-circuit')) return 'relay'
  if (remoteAddr.includes('/ws') || remoteAddr.includes('/wss')) return 'websocket'
  return 'other'
}

export interface NetworkState {
  online: boolean
  hub: 'connecting' | 'connected' | 'unreachable'
  hubId: string | null
  /** libp2p peers with an open connection. */
  connections: number
  /** Peers the Repo syncs with (hubs and browsers). */
  syncPeers: string[]
  /** Open connections and their transports. */
  links: Link[]
  /** Other browsers can reach this one: it holds a slot on the hub's relay (WebRTC is signalled through it). */
  relayed: boolean
  error: string | null
}

export interface Peer {
  /**
   * The person's key, or null for a visitor who has not made one yet: they browse and read (the
   * node then runs on a throwaway key), and are asked for a key at their first act.
   */
  readonly identity: Identity | null
  readonly repo: Repo
  readonly commons: Commons
  /** Attachments: bytes in IndexedDB, served to and fetched from peers. */
  readonly files: BrowserFiles
  /** Catalogue card pictures (photos, and STLs drawn once). */
  readonly thumbnails: Thumbnails
  readonly status: Accessor<NetworkState>
  /** Each design this browser holds, against what its hub acknowledged. */
  readonly designs: Accessor<DesignSync[]>
  /** Re-checks sync states now (after an edit, say) rather than at the next tick. */
  checkSync(): void
  /**
   * Tries a direct WebRTC connection to a person's browser, signalled through the hub's relay (the
   * person's id is their libp2p peer id). Quietly does nothing when they are not online.
   */
  meet(person: string): Promise<void>
  /** Resolves once the hub is a sync peer, or it was given up on (offline, unreachable). */
  hubReady(timeoutMs?: number): Promise<boolean>
  reconnect(): Promise<void>
  stop(): Promise<void>
}

const DIAL_TIMEOUT_MS = 8_000
const RETRY_MS = 15_000
/** How often sync states are recomputed; the hub is asked only while something differs, or every RECHECK_MS. */
const SYNC_CHECK_MS = 1_500
const RECHECK_MS = 15_000
/**
 * A direct connection to a person is tried at most once per MEET_RETRY_MS: up to MEET_ATTEMPTS dials
 * of at most MEET_TIMEOUT_MS each.
 */
const MEET_ATTEMPTS = 3
const MEET_RETRY_MS = 60_000
const MEET_TIMEOUT_MS = 20_000
/** Going offline, a connection gets this long to close politely before it is aborted. */
const CLOSE_TIMEOUT_MS = 500
/**
 * The network starts at most this long after the peer when no page has rendered (nor asked for it)
 * by then. Generous: whatever needs the network asks for it at once (a design not held here, files,
 * the hub), and on a busy machine a first render can take seconds that libp2p would only lengthen.
 */
const NETWORK_START_MAX_DELAY_MS = 5_000

/** The network half, once loaded and started. */
interface Network {
  readonly module: typeof import('./network.js')
  readonly node: CosmoNode
}

/**
 * The documents of the design the address opens, when this browser holds it, start loading from
 * IndexedDB side by side now, while the page is still being set up; verification then finds them
 * loaded (or loading) instead of reading them one after the other. A hint only: the library names
 * them, nothing is trusted from it, and an id that is not one is skipped.
 */
function warmUp(repo: Repo): void {
  const r = route()
  if (r.page !== 'design') return
  const url = toUrl(r.id)
  for (const id of loadLibrary().find((item) => item.url === url)?.documents ?? []) {
    try {
      repo.findWithProgress(id as DocumentId)
    } catch {
      // not a document id: nothing to load
    }
  }
}

export async function startPeer(identity: Identity | null): Promise<Peer> {
  const [status, setStatus] = createSignal<NetworkState>({
    online: navigator.onLine,
    hub: 'connecting',
    hubId: null,
    connections: 0,
    syncPeers: [],
    links: [],
    relayed: false,
    error: null,
  })
  const [designs, setDesigns] = createSignal<DesignSync[]>([])
  const update = (patch: Partial<NetworkState>) => setStatus((s) => ({ ...s, ...patch }))

  // A visitor's node needs a key too; this one signs nothing and is forgotten with the tab.
  const key = identity ?? (await createIdentity('visitor'))
  // The Repo starts on IndexedDB alone, and the network joins it once libp2p is up: a design this
  // browser holds renders from local storage (and its cached verified state) without waiting for
  // the node. The Repo's peer id is the node's (the adapter requires it), known from the key.
  const repo = new Repo({
    // Opened by the entry script, with the opened design's documents already being read (storage-ahead.ts).
    storage: pageStorage(),
    network: [],
    peerId: key.id as string as RepoPeerId,
    // Everything goes to the hub: it is this person's own peer, and their designs must reach it.
    sharePolicy: async () => true,
  })
  warmUp(repo)
  const blobs = new IdbBlobStore()
  // Every operation returns once its writes are in IndexedDB (Commons' default write hook flushes
  // what it wrote): automerge-repo saves at most every 100 ms, and a reload in between would lose it.
  // Verified state is kept in IndexedDB too: the next visit reads a design without verifying it again.
  const commons = new Commons(repo, identity, blobs, { cache: pageCache() })

  // The network: loaded, started and joined to the Repo once (startNetwork), and awaited by
  // everything that needs it (which starts it if the first render has not yet).
  let stopped = false
  let networkReady: Promise<Network> | null = null
  function startNetwork(): Promise<Network> {
    if (stopped && networkReady === null) return Promise.reject(new PeerStoppedError())
    networkReady ??= (async () => {
      const module = await import('./network.js')
      if (stopped) throw new PeerStoppedError()
      const ready = await module.startNode(key, () => navigator.onLine)
      node = ready
      ready.addEventListener('connection:open', refresh)
      ready.addEventListener('connection:close', refresh)
      // A relay reservation made or lost changes the node's own addresses.
      ready.addEventListener('self:peer:update', refresh)
      repo.networkSubsystem.addNetworkAdapter(new module.Libp2pNetworkAdapter(ready))
      return { module, node: ready }
    })()
    return networkReady
  }
  // Files need the network when asked to fetch: that also begins the rest (serving, the hub).
  const files = new BrowserFiles(() => {
    void begin()
    return startNetwork()
  }, commons, blobs)
  const thumbnails = new Thumbnails(files, () => hubReady(8_000))

  let hub: HubInfo | null = null
  let node: CosmoNode | null = null
  const refresh = () => {
    if (node === null) return
    update({
      online: navigator.onLine,
      connections: node.getConnections().length,
      syncPeers: [...repo.peers],
      links: node.getConnections().map((c) => {
        const peer = c.remotePeer.toString()
        return { peer, transport: transportOf(c.remoteAddr.toString()), hub: peer === hub?.id }
      }),
      relayed: node.getMultiaddrs().some((ma) => ma.toString().includes('/p2p-circuit')),
      hub: hub !== null && repo.peers.includes(hub.id as RepoPeerId) ? 'connected' : status().hub === 'connected' ? 'connecting' : status().hub,
    })
  }
  repo.networkSubsystem.on('peer', refresh)
  repo.networkSubsystem.on('peer-disconnected', refresh)

  // Offline means no connection at all, as on a real machine whose network went away (an open
  // WebSocket can outlive the browser going offline): the connections are closed, and the node's
  // gate refuses every dial while offline, so neither libp2p (the relay reservation, its keep-alive
  // tag) nor this page redials; a refused dial opens no socket, so it logs no console error. Back
  // online, reconnect() dials the hub and the relay slot is reserved again, as at start-up.
  async function dropConnections(): Promise<void> {
    if (node === null) return
    await Promise.all(
      node.getConnections().map((c) => c.close({ signal: AbortSignal.timeout(CLOSE_TIMEOUT_MS) }).catch((err: Error) => c.abort(err))),
    )
    refresh()
  }

  async function reconnect(): Promise<void> {
    const { module, node } = await startNetwork()
    if (!navigator.onLine) {
      update({ online: false, hub: 'unreachable', error: null })
      return
    }
    update({ hub: 'connecting' })
    try {
      hub = await fetchHubInfo(location.origin, AbortSignal.timeout(DIAL_TIMEOUT_MS))
      update({ hubId: hub.id })
      if (repo.peers.includes(hub.id as RepoPeerId)) {
        refresh()
        return
      }
      const ws = webSocketAddress(hub)
      if (ws === null) throw new Error('the hub offers no WebSocket address for browsers')
      await node.dial(module.multiaddr(ws), { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      update({ error: null })
    } catch (err) {
      // Gone offline meanwhile: the dial was refused or cut, which is no error.
      update({ hub: 'unreachable', error: navigator.onLine ? `hub unreachable: ${describeError(err)}` : null })
    }
    refresh()
  }

  async function hubReady(timeoutMs = 10_000): Promise<boolean> {
    void begin()
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (hub !== null && repo.peers.includes(hub.id as RepoPeerId)) return true
      if (status().hub === 'unreachable') return false
      await new Promise((r) => setTimeout(r, 100))
    }
    return false
  }

  // Sync state: local heads against the heads the hub acknowledged, checked every SYNC_CHECK_MS.
  const acked = loadAcked()
  let lastAsked = 0
  let checking = false
  async function checkSync(): Promise<void> {
    if (checking) return
    checking = true
    try {
      const items = loadLibrary().filter((i) => i.documents !== undefined)
      const docs = [...new Set(items.flatMap((i) => i.documents!))]
      const local = new Map(await Promise.all(docs.map(async (id) => [id, await localDoc(repo, id)] as const)))
      const connected = navigator.onLine && hub !== null && repo.peers.includes(hub.id as RepoPeerId)
      const unsettled = docs.some((id) => documentSync(local.get(id), acked.get(id)).status !== 'in-sync')
      if (connected && docs.length > 0 && (unsettled || Date.now() - lastAsked > RECHECK_MS)) {
        lastAsked = Date.now()
        try {
          const { module, node } = await startNetwork()
          for (const [id, heads] of await module.fetchAckedHeads(node, hub!.id, docs)) acked.set(id, heads)
          saveAcked(acked)
        } catch {
          // the hub did not answer: states stay as last known; the next tick asks again
        }
      }
      setDesigns(
        items.map((i) => ({ url: i.url, title: i.title, ...combine(i.documents!.map((id) => documentSync(local.get(id), acked.get(id)))) })),
      )
    } finally {
      checking = false
    }
  }
  const syncTimer = setInterval(() => void checkSync(), SYNC_CHECK_MS)

  const lastMet = new Map<string, number>()
  async function meet(person: string): Promise<void> {
    if (person === identity?.id || !navigator.onLine) return
    // Pages ask as they show a design, which may be before the network is up: WebRTC is signalled
    // through the hub's relay, so the hub comes first.
    if (!(await hubReady(DIAL_TIMEOUT_MS)) || hub === null || node === null) return
    const { module } = await startNetwork()
    const direct = node.getConnections().some((c) => c.remotePeer.toString() === person && transportOf(c.remoteAddr.toString()) === 'webrtc')
    if (direct || Date.now() - (lastMet.get(person) ?? 0) < MEET_RETRY_MS) return
    lastMet.set(person, Date.now())
    const ws = webSocketAddress(hub)
    if (ws === null) return
    const viaHub = ws.includes('/p2p/') ? ws : `${ws}/p2p/${hub.id}`
    // ICE sometimes fails a first attempt that a second one passes (seen about one dial in ten on a
    // quiet LAN); after MEET_ATTEMPTS, the person is taken as unreachable directly for MEET_RETRY_MS.
    for (let attempt = 1; attempt <= MEET_ATTEMPTS && navigator.onLine; attempt++) {
      try {
        await node.dial(module.multiaddr(`${viaHub}/p2p-circuit/webrtc/p2p/${person}`), { signal: AbortSignal.timeout(MEET_TIMEOUT_MS) })
        break
      } catch {
        // Not online, or no direct route between us: the hub carries everything, as before.
      }
    }
    refresh()
  }

  const timer = setInterval(() => {
    if (status().hub !== 'connected' && status().hub !== 'connecting') void reconnect()
    else refresh()
  }, RETRY_MS)
  const onOnline = () => void reconnect()
  const onOffline = () => {
    update({ online: false, hub: 'unreachable', error: null })
    void dropConnections()
  }
  addEventListener('online', onOnline)
  addEventListener('offline', onOffline)

  // Once the network is up, files are served, the hub dialled and sync states checked. It begins
  // after the first page rendered (or earlier, when something needs it, or at the latest after
  // NETWORK_START_MAX_DELAY_MS).
  let begun: Promise<void> | null = null
  function begin(): Promise<void> {
    begun ??= startNetwork().then(
      async () => {
        if (stopped) return
        await files.start()
        void reconnect()
        void files.loadHeld()
        void checkSync()
      },
      (err: unknown) => {
        update({ hub: 'unreachable', error: `the network could not start: ${describeError(err)}` })
      },
    )
    return begun
  }
  void afterFirstRender(NETWORK_START_MAX_DELAY_MS).then(() => {
    if (!stopped) void begin()
  })

  return {
    identity,
    repo,
    commons,
    files,
    thumbnails,
    status,
    designs,
    checkSync: () => void checkSync(),
    meet,
    hubReady,
    reconnect,
    async stop() {
      stopped = true
      clearInterval(timer)
      clearInterval(syncTimer)
      removeEventListener('online', onOnline)
      removeEventListener('offline', onOffline)
      await files.stop()
      await repo.shutdown()
      if (networkReady !== null) await (await networkReady.catch(() => null))?.node.stop()
    },
  }
}
