/**
 * A hub holding N designs for the sync rows: a hub process started on a copy of a generated NodeFS
 * store holding the first N of a list of small designs (fixtures.ts: each created and given three
 * BOM rows, four signed records, three documents), with the catalogue index a hub built on it
 * (serve-process.ts: built once, cached), as a hub restarted on its home would be. Without the
 * index the hub would spend the first minutes rebuilding it (verifying every design) while it
 * serves, and the rows would time that, once, instead of sync.
 */
import type { DocumentId } from '@automerge/automerge-repo'
import { documentsOf, type DesignStores } from './fixtures.ts'
import { spawnHub, type HubHandle } from './hub-handle.ts'
import { progress } from './progress.ts'
import { indexedHome } from './serve-process.ts'

export interface SeededHub {
  readonly hub: HubHandle
  readonly designs: number
  /** Every document the hub holds, with its heads there (what a fresh peer must end up with). */
  readonly documents: ReadonlyMap<DocumentId, string>
}

/** Starts a hub process on loopback on a copy of the store holding the first `n` designs. */
export async function hubOnStore(stores: DesignStores, n: number, startTimeoutMs: number): Promise<SeededHub> {
  const home = await indexedHome(stores.store(n), n, startTimeoutMs)
  const t0 = performance.now()
  const hub = await spawnHub({ home: home.dir, startTimeoutMs })
  progress(`  hub started on ${n} designs (${3 * n} documents) in ${(hub.startMs / 1000).toFixed(1)} s (${((performance.now() - t0) / 1000).toFixed(1)} s with copying the home)`)
  // The rows time sync, not the walks of the whole store a start begins in the background (the
  // temp-file sweep, the index check): otherwise the first run of a size pays for them and the
  // others do not, and a size measured with one run (BENCH_SYNC_RUNS=10000:1) would not compare.
  const t1 = performance.now()
  await hub.settle()
  progress(`  its background start-up work (store sweep, index check) done ${((performance.now() - t1) / 1000).toFixed(1)} s later`)
  return { hub, designs: n, documents: documentsOf(stores, n) }
}
