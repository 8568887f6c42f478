/**
 * The browser peer: automerge-repo on IndexedDB, the browser libp2p node (the person's key), the
 * sync adapter over libp2p, and core's Commons on top. The hub is the page's own origin.
 */
import { Repo, type PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb'
import { Commons, type Identity } from '@cosmolocal/core'
import { createBrowserPeer, IdbBlobStore, Libp2pNetworkAdapter, repoPeerId, type CosmoNode } from '@cosmolocal/net/browser'
import { multiaddr } from '@multiformats/multiaddr'
import { createSignal, type Accessor } from 'solid-js'
import { describeError } from './errors.js'
import { BrowserFiles } from './files.js'
import { fetchHubInfo, webSocketAddress, type HubInfo } from './hub.js'

export interface NetworkState {
  online: boolean
  hub: 'connecting' | 'connected' | 'unreachable'
  hubId: string | null
  /** libp2p peers with an open connection. */
  connections: number
  /** Peers the Repo syncs with (hubs and browsers). */
  syncPeers: string[]
  error: string | null
}

export interface Peer {
  readonly identity: Identity
  readonly repo: Repo
  readonly node: CosmoNode
  readonly commons: Commons
  /** Attachments: bytes in IndexedDB, served to and fetched from peers. */
  readonly files: BrowserFiles
  readonly status: Accessor<NetworkState>
  /** Resolves once the hub is a sync peer, or it was given up on (offline, unreachable). */
  hubReady(timeoutMs?: number): Promise<boolean>
  reconnect(): Promise<void>
  stop(): Promise<void>
}

const DIAL_TIMEOUT_MS = 8_000
const RETRY_MS = 15_000

export async function startPeer(identity: Identity): Promise<Peer> {
  const [status, setStatus] = createSignal<NetworkState>({
    online: navigator.onLine,
    hub: 'connecting',
    hubId: null,
    connections: 0,
    syncPeers: [],
    error: null,
  })
  const update = (patch: Partial<NetworkState>) => setStatus((s) => ({ ...s, ...patch }))

  const node = await createBrowserPeer({
    privateKey: identity.privateKey,
    allowInsecureWebSockets: location.protocol === 'http:',
  })
  const network = new Libp2pNetworkAdapter(node)
  const repo = new Repo({
    storage: new IndexedDBStorageAdapter('cosmolocal'),
    network: [network],
    peerId: repoPeerId(node) as RepoPeerId,
    // Everything goes to the hub: it is this person's own peer, and their designs must reach it.
    sharePolicy: async () => true,
  })
  const blobs = new IdbBlobStore()
  const commons = new Commons(repo, identity, blobs)
  const files = new BrowserFiles(node, commons, blobs)
  await files.start()

  let hub: HubInfo | null = null
  const refresh = () =>
    update({
      online: navigator.onLine,
      connections: node.getConnections().length,
      syncPeers: [...repo.peers],
      hub: hub !== null && repo.peers.includes(hub.id as RepoPeerId) ? 'connected' : status().hub === 'connected' ? 'connecting' : status().hub,
    })
  node.addEventListener('connection:open', refresh)
  node.addEventListener('connection:close', refresh)
  repo.networkSubsystem.on('peer', refresh)
  repo.networkSubsystem.on('peer-disconnected', refresh)

  async function reconnect(): Promise<void> {
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
      await node.dial(multiaddr(ws), { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      update({ error: null })
    } catch (err) {
      update({ hub: 'unreachable', error: `hub unreachable: ${describeError(err)}` })
    }
    refresh()
  }

  async function hubReady(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (hub !== null && repo.peers.includes(hub.id as RepoPeerId)) return true
      if (status().hub === 'unreachable') return false
      await new Promise((r) => setTimeout(r, 100))
    }
    return false
  }

  const timer = setInterval(() => {
    if (status().hub !== 'connected' && status().hub !== 'connecting') void reconnect()
    else refresh()
  }, RETRY_MS)
  const onOnline = () => void reconnect()
  const onOffline = () => update({ online: false, hub: 'unreachable' })
  addEventListener('online', onOnline)
  addEventListener('offline', onOffline)

  void reconnect()
  void files.loadHeld()

  return {
    identity,
    repo,
    node,
    commons,
    files,
    status,
    hubReady,
    reconnect,
    async stop() {
      clearInterval(timer)
      removeEventListener('online', onOnline)
      removeEventListener('offline', onOffline)
      await files.stop()
      await repo.shutdown()
      await node.stop()
    },
  }
}
