/**
 * Opening the document store. A command opens `<home>/repo/` (NodeFS storage) itself, with a
 * libp2p node only when it talks to peers (store-network.ts, imported only then); while
 * `cosmo serve` runs on the home, commands run inside the hub process instead (see control.ts)
 * and are handed the hub's store. This module loads no libp2p.
 */
import { join } from 'node:path'
import { Repo, type StorageAdapterInterface } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
import { closeRepo, type BlobStore } from '@cosmolocal/core'
import type { CosmoNode } from '@cosmolocal/net'
import { FsBlobStore } from '@cosmolocal/net/local'
import type { ShareControl } from '@cosmolocal/hub'

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
  /** Flushes every pending write to disk and shuts the repo (and node) down. */
  close(): Promise<void>
}

export function storeDirectory(home: string): string {
  return join(home, 'repo')
}

export function blobDirectory(home: string): string {
  return join(home, 'blobs')
}

/** The storage adapter of a home's document store (local and network stores alike). */
export function storageAdapter(home: string): StorageAdapterInterface {
  return new NodeFSStorageAdapter(storeDirectory(home))
}

/** A home's blob store. */
export function blobStore(home: string): BlobStore {
  return new FsBlobStore(blobDirectory(home))
}

export async function openStore(home: string): Promise<Store> {
  const repo = new Repo({ storage: storageAdapter(home), network: [] })
  return {
    repo,
    node: null,
    shared: false,
    share: null,
    blobs: blobStore(home),
    async close() {
      await closeRepo(repo)
    },
  }
}
