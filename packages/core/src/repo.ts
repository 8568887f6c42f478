/** Helpers around automerge-repo's Repo that every front end needs. */
import type { Repo } from '@automerge/automerge-repo'

/** Writes every document this repo holds (ready handles only) to its storage. */
export async function flushReady(repo: Repo): Promise<void> {
  await repo.flush(Object.values(repo.handles).filter((h) => h.isReady()).map((h) => h.documentId))
}

/**
 * Flushes and shuts a repo down: what `Repo.shutdown()` does (disconnect every network adapter,
 * write every document), except that only documents that became ready are written. `shutdown()`
 * itself throws on a handle that never became ready (a document asked for and found nowhere),
 * which says nothing about lost data.
 */
export async function closeRepo(repo: Repo): Promise<void> {
  for (const adapter of repo.networkSubsystem.adapters) adapter.disconnect()
  await flushReady(repo)
}
