/**
 * Opening the document store. A command opens `<home>/repo/` (NodeFS storage) itself, with a
 * libp2p node only when it talks to peers; while `cosmo serve` runs on the home, commands run
 * inside the hub process instead (see control.ts) and are handed the hub's store.
 */
import { join } from 'node:path'
import { Repo, type PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
import { closeRepo, Commons, flushReady, type BlobStore, type Identity } from '@cosmolocal/core'
import { BlobService, createNodePeer, FsBlobStore, Libp2pNetworkAdapter, SharedFiles, type CosmoNode } from '@cosmolocal/net'
import { ShareControl, type HubPolicy } from '@cosmolocal/hub'

export interface Store {
  repo: Repo
  /** The libp2p node that syncs this repo, when the store was opened for the network. */
  node: CosmoNode | null
  /** True for the hub's store, lent to a command: the command must not close it. */
  shared: boolean
  /** What this store offers to whom (network stores): see ShareControl. */
  share: ShareControl | null
  /** Attachment bytes (`<home>/blobs`). */
  blobs: BlobStore
  /** The hub's policy (denied keys), when this is the store of a running hub. */
  policy?: HubPolicy
  /** Flushes every pending write to disk and shuts the repo (and node) down. */
  close(): Promise<void>
}

export function storeDirectory(home: string): string {
  return join(home, 'repo')
}

export function blobDirectory(home: string): string {
  return join(home, 'blobs')
}

export async function openStore(home: string): Promise<Store> {
  const repo = new Repo({ storage: new NodeFSStorageAdapter(storeDirectory(home)), network: [] })
  return {
    repo,
    node: null,
    shared: false,
    share: null,
    blobs: new FsBlobStore(blobDirectory(home)),
    async close() {
      await closeRepo(repo)
    },
  }
}

/**
 * Opens the store with a libp2p node (the person's key) that dials out and syncs; it listens on
 * nothing, since a command is not a server.
 */
export async function openNetworkStore(home: string, identity: Identity): Promise<Store> {
  const node = await createNodePeer({ privateKey: identity.privateKey, listen: [] })
  // Documents are offered only to peers we sync with, and only once we have asked what they hold
  // (so that what moved can be reported); documents we fetch are asked for, and then exchanged both ways.
  const share = new ShareControl(undefined, { access: 'as-announced' })
  const repo = new Repo({
    peerId: node.peerId.toString() as RepoPeerId,
    storage: new NodeFSStorageAdapter(storeDirectory(home)),
    network: [new Libp2pNetworkAdapter(node)],
    shareConfig: share.shareConfig,
  })
  share.attach(repo)
  // While it runs, this peer serves the files of the designs it holds (a hub it syncs with fetches them).
  const blobs = new FsBlobStore(blobDirectory(home))
  const blobService = new BlobService(node, { store: blobs, mayServe: (h) => files.has(h) })
  const files = new SharedFiles(new Commons(repo, null, blobs))
  await blobService.start()
  return {
    repo,
    node,
    shared: false,
    share,
    blobs,
    async close() {
      await blobService.stop()
      await flushReady(repo)
      await node.stop()
      await closeRepo(repo)
    },
  }
}
