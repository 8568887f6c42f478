/**
 * Opening the document store. A command opens `<home>/repo/` (NodeFS layout, atomic writes: see
 * @cosmolocal/storage) itself, with a libp2p node only when it talks to peers (store-network.ts,
 * imported only then); while `cosmo serve` runs on the home, commands run inside the hub process
 * instead (see control.ts) and are handed the hub's store. This module loads no libp2p.
 */
import { join } from 'node:path'
import { Repo } from '@automerge/automerge-repo'
import { closeRepo, flushReady, type BlobStore } from '@cosmolocal/core'
import type { CosmoNode } from '@cosmolocal/net'
import { FsBlobStore } from '@cosmolocal/net/local'
import type { HubPolicy, ShareControl } from '@cosmolocal/hub'
import { accountWasmMemoryInHeapLimit, AtomicFsStorageAdapter, type QuarantineEvent } from '@cosmolocal/storage'

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
  /** The document storage: `settled()` resolves once every write begun so far is on disk. */
  storage: AtomicFsStorageAdapter
  /** The hub's policy (denied keys), when this is the store of a running hub. */
  policy?: HubPolicy
  /** Flushes every pending write to disk, waits until it is there, and shuts the repo (and node) down. */
  close(): Promise<void>
}

/**
 * How long automerge-repo waits before saving a changed document by itself, in a command: past
 * any command's lifetime (and under the 2^31 ms a timer allows), so a command writes documents
 * only when it flushes (core's operations flush what they change; closing flushes everything),
 * and every write is one it awaits. A background save is a write nobody awaits: in a short-lived
 * process it is the one that races the flush and the exit. (The hub, which runs for days, keeps
 * automerge-repo's default.)
 */
export const COMMAND_SAVE_DEBOUNCE_MS = 2_000_000_000

const storageByRepo = new WeakMap<Repo, AtomicFsStorageAdapter>()

/** The storage under a repo opened here (or lent by the hub), for commands that examine the store itself. */
export function storageOf(repo: Repo): AtomicFsStorageAdapter | undefined {
  return storageByRepo.get(repo)
}

/** The hub's store, lent to the commands it runs for local clients: flushed and settled after each, never closed. */
export function lentStore(hub: { repo: Repo; node: CosmoNode; share: ShareControl; blobs: BlobStore; storage: AtomicFsStorageAdapter; policy: HubPolicy }): Store {
  storageByRepo.set(hub.repo, hub.storage)
  return { repo: hub.repo, node: hub.node, shared: true, share: hub.share, blobs: hub.blobs, storage: hub.storage, policy: hub.policy, close: async () => {} }
}

/**
 * Flushes a store the command does not own (the hub's) and waits until every write begun by then
 * is on disk (not for the hub's later writes: it may never stop writing).
 */
export async function flushStore(store: Store): Promise<void> {
  await flushReady(store.repo)
  await store.storage.caughtUp()
}

export function storeDirectory(home: string): string {
  return join(home, 'repo')
}

export function blobDirectory(home: string): string {
  return join(home, 'blobs')
}

/**
 * The home's document storage (local and network stores alike). A damaged chunk found while
 * loading is set aside (the document loads from the rest) and reported on stderr, once per chunk.
 */
export function openStorage(home: string, report: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): AtomicFsStorageAdapter {
  // A command that opens a store may load thousands of documents (a pull of a big commons): without
  // this, each growth of Automerge's wasm memory past 64 MiB costs a full garbage collection
  // (packages/storage/src/wasm-heap.ts). `cosmo serve` gets it from startHub.
  accountWasmMemoryInHeapLimit()
  const storage = new AtomicFsStorageAdapter(storeDirectory(home))
  storage.on('quarantine', (e) => report(quarantineNote(e)))
  return storage
}

export function quarantineNote(e: QuarantineEvent): string {
  const where = e.file === null ? `it could not be moved: ${e.error}` : `set aside in ${e.file}`
  return `cosmo: note: a damaged chunk of ${e.documentId} (${e.problem}, ${e.bytes} bytes) was left out, ${where}; \`cosmo doctor\` lists what to fetch again`
}

/** Remembers which storage a repo writes to (for storageOf). */
export function registerStorage(repo: Repo, storage: AtomicFsStorageAdapter): void {
  storageByRepo.set(repo, storage)
}

/** A home's blob store. */
export function blobStore(home: string): BlobStore {
  return new FsBlobStore(blobDirectory(home))
}

/**
 * Closes a repo so that nothing it began is still being written: automerge-repo also saves from
 * throttled timers of its own, which flush() and shutdown() do not wait for (see settled()).
 */
export async function closeDurably(repo: Repo, storage: AtomicFsStorageAdapter): Promise<void> {
  try {
    await closeRepo(repo)
  } finally {
    await storage.settled()
  }
}

export async function openStore(home: string): Promise<Store> {
  const storage = openStorage(home)
  const repo = new Repo({ storage, network: [], saveDebounceRate: COMMAND_SAVE_DEBOUNCE_MS })
  registerStorage(repo, storage)
  return {
    repo,
    node: null,
    shared: false,
    share: null,
    blobs: blobStore(home),
    storage,
    async close() {
      await closeDurably(repo, storage)
    },
  }
}
