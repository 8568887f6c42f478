/**
 * Opening the document store for the network: with a libp2p node (the person's key) that dials
 * out and syncs. Imported only by commands that talk to peers (see Home.network), since it loads
 * libp2p, its transports and the hub's client code.
 */
import { Repo, type PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { Commons, flushReady, type Identity } from '@cosmolocal/core'
import { BlobService, createNodePeer, Libp2pNetworkAdapter, SharedFiles, type HeldDesigns } from '@cosmolocal/net'
import { ShareControl } from '@cosmolocal/hub'
import { blobStore, closeDurably, COMMAND_SAVE_DEBOUNCE_MS, openStorage, registerStorage, type Store } from './store.js'

/** The store with a node that listens on nothing, since a command is not a server. */
export async function openNetworkStore(home: string, identity: Identity, designs: HeldDesigns): Promise<Store> {
  const node = await createNodePeer({ privateKey: identity.privateKey, listen: [] })
  // Documents are offered only to peers we sync with, and only once we have asked what they hold
  // (so that what moved can be reported); documents we fetch are asked for, and then exchanged both ways.
  const share = new ShareControl(undefined, { access: 'as-announced' })
  const storage = openStorage(home)
  const repo = new Repo({
    peerId: node.peerId.toString() as RepoPeerId,
    storage,
    network: [new Libp2pNetworkAdapter(node)],
    shareConfig: share.shareConfig,
    saveDebounceRate: COMMAND_SAVE_DEBOUNCE_MS,
  })
  registerStorage(repo, storage)
  share.attach(repo)
  // While it runs, this peer serves the files of the designs it holds (a hub it syncs with fetches them).
  const blobs = blobStore(home)
  const blobService = new BlobService(node, { store: blobs, mayServe: (h) => files.has(h) })
  const files = new SharedFiles(new Commons(repo, null, blobs), designs)
  await blobService.start()
  return {
    repo,
    node,
    shared: false,
    share,
    blobs,
    storage,
    async close() {
      await blobService.stop()
      await flushReady(repo)
      await node.stop()
      await closeDurably(repo, storage)
    },
  }
}
