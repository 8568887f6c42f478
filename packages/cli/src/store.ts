/**
 * Opening the document store. Today every command opens `<home>/repo/` directly (NodeFS
 * storage, no network); a later change will have commands talk to a running `cosmo serve`
 * instead. Everything goes through `openStore`, so that change stays in this file.
 */
import { join } from 'node:path'
import { Repo } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'

export interface Store {
  repo: Repo
  /** Flushes every pending write to disk and shuts the repo down. */
  close(): Promise<void>
}

export function storeDirectory(home: string): string {
  return join(home, 'repo')
}

export async function openStore(home: string): Promise<Store> {
  const repo = new Repo({ storage: new NodeFSStorageAdapter(storeDirectory(home)), network: [] })
  return {
    repo,
    async close() {
      await repo.flush()
      await repo.shutdown()
    },
  }
}
