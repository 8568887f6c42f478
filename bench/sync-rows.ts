/**
 * The `latency` and `sync` groups: Cosmolocal's libp2p sync adapter against automerge-repo's stock
 * WebSocket adapter, both talking to the same hub (in its own process) in the same run.
 *
 * Sync: for each N, a hub starts on a generated store holding N designs (seed.ts) and fresh peers
 * fetch everything (sync.ts). The largest N (10,000) is also compared with 1,000 on the same
 * transport and way of asking: the issue wants it near-linear (≤ 11×).
 */
import type { Group, GroupResult } from './group.ts'
import { spawnHub, type HubHandle } from './hub-handle.ts'
import { designStores, hubDeadlineMs, STORE_SIZES } from './fixtures.ts'
import { measureLatency } from './latency.ts'
import { TRANSPORTS, type Transport } from './peers.ts'
import { progress } from './progress.ts'
import type { BenchRow } from './report.ts'
import { hubOnStore, type SeededHub } from './seed.ts'
import { median, p95 } from './stats.ts'
import { isFailure, measureSync, SYNC_MODES, WINDOW, type SyncMode, type SyncOutcome } from './sync.ts'

const latencyConfig = (quick: boolean) => (quick ? { warmup: 5, edits: 30, gapMs: 120 } : { warmup: 20, edits: 200, gapMs: 120 })

export const latencyGroup: Group = {
  name: 'latency',
  title: 'edit→remote latency through a hub (libp2p against the stock WebSocket adapter)',
  async run(quick): Promise<GroupResult> {
    let hub: HubHandle | undefined
    try {
      hub = await spawnHub()
      const c = latencyConfig(quick)
      progress(`latency: ${c.edits} edits per transport after ${c.warmup} warm-up edits, ${c.gapMs} ms apart`)
      const latency = await measureLatency(hub, TRANSPORTS, c)
      const notes = TRANSPORTS.filter((t) => latency[t].lost > 0).map((t) => `latency, ${t}: ${latency[t].lost} edit(s) never arrived (left out)`)
      const summary = (s: readonly number[]) => (s.length === 0 ? null : { count: s.length, median: median(s), p95: p95(s), min: Math.min(...s), max: Math.max(...s) })
      const rows: BenchRow[] = [
        { benchmark: 'edit→remote latency, median', unit: 'ms', value: median(latency.libp2p.samples), stock: median(latency['stock-ws'].samples), target: null },
        { benchmark: 'edit→remote latency, p95', unit: 'ms', value: p95(latency.libp2p.samples), stock: p95(latency['stock-ws'].samples), target: null },
      ]
      return {
        tables: [{ versus: 'stock ws', rows }],
        notes: [...notes, 'ratio < 1: libp2p is faster'],
        json: { config: c, ...Object.fromEntries(TRANSPORTS.map((t) => [t, { ...summary(latency[t].samples), lost: latency[t].lost, samples: latency[t].samples }])) },
      }
    } finally {
      await hub?.stop()
    }
  },
}

const MODE_LABEL: Record<SyncMode, string> = { sequential: 'one find at a time', windowed: `${WINDOW} finds in flight` }

/**
 * The sizes to sync: every store size, or those BENCH_SYNC_SIZES names (comma-separated, each one
 * of the store sizes), to measure one comparison without the others.
 */
function syncSizes(quick: boolean): number[] {
  const all = STORE_SIZES(quick)
  const asked = (process.env.BENCH_SYNC_SIZES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (asked.length === 0) return all
  const sizes = asked.map(Number)
  const unknown = asked.filter((_, i) => !all.includes(sizes[i]!))
  if (unknown.length > 0) throw new Error(`BENCH_SYNC_SIZES names no store size ${unknown.join(', ')}: the sizes are ${all.join(', ')}`)
  return all.filter((n) => sizes.includes(n))
}

/**
 * BENCH_SYNC_RUNS=<size>:<runs>[,…]: runs per (size, way, transport) instead of the defaults. A size
 * given one run has no warm-up: that run counts (the bench process warmed up on the sizes before it).
 */
function runsOverride(): Map<number, number> {
  const out = new Map<number, number>()
  for (const part of (process.env.BENCH_SYNC_RUNS ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [size, runs] = part.split(':').map(Number)
    if (!Number.isInteger(size) || !Number.isInteger(runs) || runs! < 1) throw new Error(`BENCH_SYNC_RUNS: "${part}" is not <size>:<runs> (runs ≥ 1)`)
    out.set(size!, runs!)
  }
  return out
}

/** Runs left out of the medians: the first, unless it is the only one. */
const warmups = (runs: number) => (runs > 1 ? 1 : 0)

const syncConfig = (quick: boolean) => ({
  sizes: syncSizes(quick),
  /** The size the largest is compared with. */
  base: quick ? 50 : 1000,
  /** Runs per (size, mode, transport); the first is a warm-up and is not counted. */
  runs: (n: number) => runsOverride().get(n) ?? (quick ? 2 : n <= 100 ? 6 : n <= 1000 ? 4 : 2),
  /** How long a hub may take to start on its store (today's hub loads every document first). */
  startTimeoutMs: hubDeadlineMs(quick),
})

interface SyncResult {
  designs: number
  documents: number
  mode: SyncMode
  transport: Transport
  /** Counted runs (the warm-up left out), in the order they ran. */
  runs: SyncOutcome[]
}

async function syncSize(seeded: SeededHub, runs: number): Promise<SyncResult[]> {
  const n = seeded.designs
  const results: SyncResult[] = []
  for (const mode of SYNC_MODES) {
    const byTransport = new Map<Transport, SyncOutcome[]>(TRANSPORTS.map((t) => [t, []]))
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? TRANSPORTS : [...TRANSPORTS].reverse()
      for (const t of order) {
        // Every run finds the hub with nothing in memory (as after an idle period, or a restart):
        // otherwise a run shorter than the hub's idle time (1,000 designs) would find what the
        // previous one loaded, and a longer one (10,000) would not, and the sizes would not compare.
        await seeded.hub.unloadAll()
        const o = await measureSync(seeded, t, mode)
        byTransport.get(t)!.push(o)
        const what = isFailure(o) ? `FAILED after ${o.afterMs.toFixed(0)} ms, ${o.documentsDone} documents done: ${o.failed}` : `${o.totalMs.toFixed(0)} ms (connect ${o.connectMs.toFixed(1)} ms)`
        progress(`  ${n} designs, ${mode}, ${t}, run ${run}${run < warmups(runs) ? ' (warm-up)' : ''}: ${what}`)
      }
    }
    for (const [transport, outcomes] of byTransport) results.push({ designs: n, documents: seeded.documents.size, mode, transport, runs: outcomes.slice(warmups(runs)) })
  }
  return results
}

const ok = (runs: readonly SyncOutcome[]) => runs.flatMap((o) => (isFailure(o) ? [] : [o]))
const medianOr = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : median(xs))
const nf = (n: number) => n.toLocaleString('en-US')

export const syncGroup: Group = {
  name: 'sync',
  title: 'time to sync N designs from a hub to a fresh peer (libp2p against the stock WebSocket adapter)',
  async run(quick): Promise<GroupResult> {
    const c = syncConfig(quick)
    progress(`sync: generated stores of ${c.sizes.map(nf).join(' / ')} designs`)
    // Always the stores of every size: one generated list, one cache entry whatever is measured.
    const stores = await designStores(STORE_SIZES(quick))
    const sync: SyncResult[] = []
    const notes: string[] = []
    const starts: Record<number, number | null> = {}
    for (const n of c.sizes) {
      progress(`sync ${nf(n)} designs: starting a hub on its store`)
      let seeded: SeededHub | undefined
      try {
        seeded = await hubOnStore(stores, n, c.startTimeoutMs)
        starts[n] = seeded.hub.startMs
        sync.push(...(await syncSize(seeded, c.runs(n))))
      } catch (err) {
        starts[n] = null
        notes.push(`sync ${nf(n)} designs not measured: ${(err as Error).message}`)
      } finally {
        await seeded?.hub.stop()
      }
    }
    const result = (n: number, mode: SyncMode, t: Transport) => sync.find((r) => r.designs === n && r.mode === mode && r.transport === t)
    const cell = (n: number, mode: SyncMode, t: Transport) => medianOr(ok(result(n, mode, t)?.runs ?? []).map((s) => s.totalMs))
    const rows: BenchRow[] = []
    for (const n of c.sizes) {
      for (const mode of SYNC_MODES) {
        rows.push({
          benchmark: `sync ${nf(n)} designs to a fresh peer (${MODE_LABEL[mode]})`,
          unit: 'ms',
          value: cell(n, mode, 'libp2p'),
          stock: cell(n, mode, 'stock-ws'),
          target: n === c.base ? { text: '≤ 1.0× stock', ratioAtMost: 1 } : null,
        })
      }
    }
    const connects = (t: Transport) => medianOr(sync.filter((r) => r.transport === t).flatMap((r) => ok(r.runs).map((s) => s.connectMs)))
    rows.push({ benchmark: '  of which: connect until session is up', unit: 'ms', value: connects('libp2p'), stock: connects('stock-ws'), target: null })
    const largest = Math.max(...c.sizes)
    const scale: BenchRow[] = []
    // Only when both sizes ran (BENCH_SYNC_SIZES may leave one out).
    const compared = c.sizes.includes(c.base) && largest > c.base
    for (const t of compared ? TRANSPORTS : []) {
      for (const mode of SYNC_MODES) {
        scale.push({
          benchmark: `sync ${nf(largest)} designs, ${t}, ${MODE_LABEL[mode]}`,
          unit: 'ms',
          value: cell(largest, mode, t),
          stock: cell(c.base, mode, t),
          target: { text: `≤ ${largest / c.base + 1}× the ${nf(c.base)}`, ratioAtMost: largest / c.base + 1 },
        })
      }
    }
    for (const r of sync) {
      const failed = r.runs.filter(isFailure)
      if (failed.length > 0) notes.push(`sync ${r.designs} designs, ${r.mode}, ${r.transport}: ${failed.length}/${r.runs.length} runs failed (${failed[0]!.failed})`)
    }
    notes.push(
      `hub start-up on its store: ${c.sizes.map((n) => `${nf(n)} designs ${starts[n] === null || starts[n] === undefined ? 'failed' : `${(starts[n]! / 1000).toFixed(1)} s`}`).join(', ')}`,
      `median of ${c.sizes.map((n) => `${c.runs(n) - warmups(c.runs(n))} run(s) (${nf(n)})`).join(', ')}, each after a warm-up run where there was more than one; ratio < 1: libp2p is faster${compared ? `; the last rows compare ${nf(largest)} designs with ${nf(c.base)} on one transport` : ''}`,
    )
    return {
      tables: [{ versus: 'stock ws', rows }, ...(compared ? [{ versus: `${nf(c.base)} designs`, rows: scale }] : [])],
      notes,
      json: { sizes: c.sizes, window: WINDOW, runs: Object.fromEntries(c.sizes.map((n) => [n, c.runs(n)])), hubStartMs: starts, results: sync.map((r) => ({ ...r, medianTotalMs: medianOr(ok(r.runs).map((s) => s.totalMs)) })) },
    }
  },
}
