/**
 * `npm run bench`: Cosmolocal's libp2p sync adapter against automerge-repo's stock WebSocket
 * adapter, both talking to the same hub (in its own process) in the same run. Progress goes to
 * stderr; the table to stdout; everything measured to bench/results/latest.json. See README.md.
 *
 * BENCH_QUICK=1 runs a small version (to check that the bench works, not for numbers).
 * BENCH_ONLY=web runs only the web app rows (web.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg, platform, release } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { blobRows, measureBlobs, SENDER_PLACEMENTS, type BlobBenchResult } from './blobs.ts'
import { spawnHub, type HubHandle } from './hub-handle.ts'
import { measureLatency, type LatencyResult } from './latency.ts'
import { TRANSPORTS, type Transport } from './peers.ts'
import { progress } from './progress.ts'
import { makeDesigns, seedHub, type Designs, type SeededHub } from './seed.ts'
import { median, p95 } from './stats.ts'
import { isFailure, measureSync, SYNC_MODES, WINDOW, type SyncMode, type SyncOutcome } from './sync.ts'
import { renderTable, type Row } from './table.ts'
import { measureWeb, renderWebTable, runWebOnly, webJson, webRuns, webTableJson } from './web.ts'

const quick = process.env.BENCH_QUICK === '1'
const config = {
  latency: quick ? { warmup: 5, edits: 30, gapMs: 120 } : { warmup: 20, edits: 200, gapMs: 120 },
  sizes: quick ? [10, 50] : [100, 1000],
  /** Sync runs per (size, mode, transport); the first is a warm-up and is not counted. */
  syncRuns: (n: number) => (quick ? 2 : n <= 100 ? 6 : 4),
  window: WINDOW,
  /** Attachment size and runs (the first a warm-up) for the blob transfer row. */
  blob: quick ? { mb: 8, runs: 2 } : { mb: 50, runs: 4 },
}

const MODE_LABEL: Record<SyncMode, string> = { sequential: 'one find at a time', windowed: `${WINDOW} finds in flight` }

interface SyncResult {
  designs: number
  documents: number
  mode: SyncMode
  transport: Transport
  /** Counted runs (the warm-up left out), in the order they ran. */
  runs: SyncOutcome[]
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')

async function latencyPhase(): Promise<Record<Transport, LatencyResult>> {
  let hub: HubHandle | undefined
  try {
    hub = await spawnHub()
    const { edits, warmup, gapMs } = config.latency
    progress(`latency: ${edits} edits per transport after ${warmup} warm-up edits, ${gapMs} ms apart`)
    return await measureLatency(hub, TRANSPORTS, config.latency)
  } finally {
    await hub?.stop()
  }
}

async function syncPhase(designs: Designs, n: number): Promise<SyncResult[]> {
  progress(`sync ${n} designs: seeding a hub (load average ${load()})`)
  let seeded: SeededHub | undefined
  try {
    seeded = await seedHub(designs, n)
    const results: SyncResult[] = []
    for (const mode of SYNC_MODES) {
      const byTransport = new Map<Transport, SyncOutcome[]>(TRANSPORTS.map((t) => [t, []]))
      for (let run = 0; run < config.syncRuns(n); run++) {
        const order = run % 2 === 0 ? TRANSPORTS : [...TRANSPORTS].reverse()
        for (const t of order) {
          const o = await measureSync(seeded, t, mode)
          byTransport.get(t)!.push(o)
          const what = isFailure(o) ? `FAILED after ${o.afterMs.toFixed(0)} ms, ${o.documentsDone} documents done: ${o.failed}` : `${o.totalMs.toFixed(0)} ms (connect ${o.connectMs.toFixed(1)} ms)`
          progress(`  ${n} designs, ${mode}, ${t}, run ${run}${run === 0 ? ' (warm-up)' : ''}: ${what}`)
        }
      }
      for (const [transport, runs] of byTransport) {
        results.push({ designs: n, documents: seeded.documents.size, mode, transport, runs: runs.slice(1) })
      }
    }
    return results
  } finally {
    await seeded?.hub.stop()
  }
}

const ok = (runs: readonly SyncOutcome[]) => runs.flatMap((o) => (isFailure(o) ? [] : [o]))
const medianOr = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : median(xs))

function rows(latency: Record<Transport, LatencyResult>, sync: readonly SyncResult[]): Row[] {
  const out: Row[] = [
    { benchmark: 'edit→remote latency, median', libp2p: median(latency.libp2p.samples), stock: median(latency['stock-ws'].samples) },
    { benchmark: 'edit→remote latency, p95', libp2p: p95(latency.libp2p.samples), stock: p95(latency['stock-ws'].samples) },
  ]
  const result = (n: number, mode: SyncMode, t: Transport) => sync.find((r) => r.designs === n && r.mode === mode && r.transport === t)!
  for (const n of config.sizes) {
    for (const mode of SYNC_MODES) {
      const cell = (t: Transport) => medianOr(ok(result(n, mode, t).runs).map((s) => s.totalMs))
      out.push({ benchmark: `sync ${n} designs to a fresh peer (${MODE_LABEL[mode]})`, libp2p: cell('libp2p'), stock: cell('stock-ws') })
    }
  }
  const connects = (t: Transport) => medianOr(sync.filter((r) => r.transport === t).flatMap((r) => ok(r.runs).map((s) => s.connectMs)))
  out.push({ benchmark: '  of which: connect until session is up', libp2p: connects('libp2p'), stock: connects('stock-ws') })
  return out
}

function notes(latency: Record<Transport, LatencyResult>, sync: readonly SyncResult[]): string[] {
  const lines: string[] = []
  for (const t of TRANSPORTS) if (latency[t].lost > 0) lines.push(`latency, ${t}: ${latency[t].lost} edit(s) never arrived (left out)`)
  for (const r of sync) {
    const failed = r.runs.filter(isFailure)
    if (failed.length > 0) lines.push(`sync ${r.designs} designs, ${r.mode}, ${r.transport}: ${failed.length}/${r.runs.length} runs failed (${failed[0]!.failed})`)
  }
  return lines
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'web') return runWebOnly(quick)
  const started = new Date()
  const loadBefore = load()
  progress(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadBefore}${quick ? ', QUICK run' : ''}`)
  const latency = await latencyPhase()
  const largest = Math.max(...config.sizes)
  progress(`creating ${largest} designs (3 documents and 3 BOM rows each, every edit signed)`)
  const designs = await makeDesigns(largest)
  const sync: SyncResult[] = []
  try {
    for (const n of config.sizes) sync.push(...(await syncPhase(designs, n)))
  } finally {
    await designs.stop()
  }
  progress(`attachment throughput: ${config.blob.mb} MB, ${config.blob.runs} runs per transport and sender placement`)
  const blobs: BlobBenchResult[] = []
  for (const placement of SENDER_PLACEMENTS) blobs.push(await measureBlobs(config.blob.mb * 1024 * 1024, config.blob.runs, placement))
  const web = await measureWeb(quick)
  const table = [...rows(latency, sync), ...blobs.flatMap(blobRows)]
  const footnotes = notes(latency, sync)
  process.stdout.write(
    `\n${renderTable(table)}\n\nratio < 1: libp2p is faster; > 1: the stock WebSocket adapter is faster. ` +
      `Sync rows: median of ${config.sizes.map((n) => `${config.syncRuns(n) - 1} runs (${n})`).join(', ')} after a warm-up run.\n` +
      `load average before / after: ${loadBefore} / ${load()} on ${cpus().length} CPUs\n` +
      footnotes.map((l) => `! ${l}\n`).join('') +
      `\n${renderWebTable(web)}`,
  )

  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json')
  await mkdir(dirname(out), { recursive: true })
  const summary = (s: readonly number[]) =>
    s.length === 0 ? null : { count: s.length, median: median(s), p95: p95(s), min: Math.min(...s), max: Math.max(...s) }
  const report = {
    startedAt: started.toISOString(),
    durationS: (Date.now() - started.getTime()) / 1000,
    environment: { node: process.version, platform: `${platform()} ${release()}`, cpus: cpus().length, cpu: cpus()[0]?.model ?? null, loadBefore, loadAfter: load() },
    config: { quick, latency: config.latency, sizes: config.sizes, syncRuns: Object.fromEntries(config.sizes.map((n) => [n, config.syncRuns(n)])), window: WINDOW, webRuns: webRuns(quick) },
    table: [...table.map((r) => ({ ...r, unit: 'ms', ratio: r.libp2p / r.stock })), ...webTableJson(web)],
    notes: footnotes,
    latency: Object.fromEntries(TRANSPORTS.map((t) => [t, { ...summary(latency[t].samples), lost: latency[t].lost, samples: latency[t].samples }])),
    sync: sync.map((r) => ({ ...r, medianTotalMs: medianOr(ok(r.runs).map((s) => s.totalMs)) })),
    blobs,
    web: webJson(web),
  }
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`)
  progress(`results written to ${out}`)
  // Everything is stopped by now, so the process should exit by itself. If something still holds
  // the event loop, say what rather than hang.
  setTimeout(() => {
    process.stderr.write(`bench: still running 10 s after finishing; active resources: ${process.getActiveResourcesInfo().join(', ')}\n`)
    process.exit(2)
  }, 10_000).unref()
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
  setTimeout(() => process.exit(1), 5_000).unref()
})
