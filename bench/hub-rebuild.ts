/**
 * The hub group's rebuild rows: `cosmo serve` (the real command, spawned) on a home whose store
 * holds N generated designs and no catalogue index, as after a first start on a store or a deleted
 * index. The hub is ready at once and rebuilds the index in the background; this times that
 * rebuild (spawn → `/api/hub` says the index is complete) and reads the process's peak resident
 * memory (VmHWM) at the end, compared with the same on a tenth of the designs (linear is 10×).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { residentMiB, stopServe } from './proc.ts'
import { getJson, hubHome, startServe } from './serve-process.ts'

export interface Rebuild {
  designs: number
  /** Spawn → the index complete; null when not within the deadline. */
  ms: number | null
  /** The hub's peak resident memory by then (VmHWM), MiB. */
  peakMiB: number | null
  /** The 1-minute load average when it finished. */
  load: number
  error: string | null
}

/** One rebuild of the index of `store` (a NodeFS store of `designs` designs) by a spawned `cosmo serve`. */
export async function rebuildOnce(store: string, designs: number, deadlineMs: number): Promise<Rebuild> {
  const home = await mkdtemp(join(tmpdir(), 'cosmo-bench-rebuild-'))
  const result: Rebuild = { designs, ms: null, peakMiB: null, load: Number.NaN, error: null }
  try {
    await hubHome(store, home)
    const t0 = performance.now()
    const serving = startServe(home)
    const { child, exited } = serving
    try {
      const info = (await serving.ready)!
      const end = t0 + deadlineMs
      for (;;) {
        const hub = (await getJson(new URL('api/hub', info.http), 60_000)) as { index?: { complete: boolean } }
        if (hub.index?.complete === true) break
        if (performance.now() > end) {
          result.error = `index not rebuilt within ${(deadlineMs / 1000).toFixed(0)} s`
          break
        }
        await new Promise((r) => setTimeout(r, 250))
      }
      if (result.error === null) result.ms = performance.now() - t0
      result.peakMiB = (await residentMiB(child.pid!))?.peak ?? null
      result.load = loadavg()[0]!
      return result
    } finally {
      await stopServe(child, exited)
    }
  } catch (err) {
    result.error = (err as Error).message
    return result
  } finally {
    await rm(home, { recursive: true, force: true })
  }
}
