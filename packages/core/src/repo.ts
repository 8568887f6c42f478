/** Helpers around automerge-repo's Repo that every front end needs. */
import type { Repo } from '@automerge/automerge-repo'

/** Writes every document this repo holds (ready handles only) to its storage. */
export async function flushReady(repo: Repo): Promise<void> {
  await repo.flush(Object.values(repo.handles).filter((h) => h.isReady()).map((h) => h.documentId))
}

/**
 * Flushes and shuts a repo down. `Repo.shutdown()` flushes every handle it has, and throws on
 * handles that never became ready (a document asked for and found nowhere); by then its network
 * adapters are already disconnected and the ready documents are flushed here first, so that
 * error says nothing about lost data and is dropped.
 */
export async function closeRepo(repo: Repo): Promise<void> {
  await flushReady(repo)
  await repo.shutdown().catch((err: Error) => {
    if (!/not ready/i.test(err.message)) throw err
  })
}
