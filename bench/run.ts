/**
 * `npm run bench`: Cosmolocal's libp2p sync adapter against automerge-repo's stock WebSocket
 * adapter, both talking to the same kind of hub in the same run. Progress goes to stderr; the
 * table to stdout; everything measured to bench/results/latest.json. See bench/README.md.
 *
 * BENCH_QUICK=1 runs a small version (for checking that the bench works, not for numbers).
 */
import { createIdentity } from '@cosmolocal/core'
import { startHub, type Hub } from '@cosmolocal/hub'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, platform, release, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measureLatency } from './latency.ts'
import { TRANSPORTS, type Transport } from './peers.ts'
import { progress } from './progress.ts'
import { makeDesigns, seedHub, type Designs, type SeededHub } from './seed.ts'
import { median, p95 } from './stats.ts'
import { measureSync, SYNC_MODES, type SyncMode, type SyncSample } from './sync.ts'
import { ratio, renderTable, type Row } from './table.ts'

const quick = process.env.BENCH_QUICK === '1'
const config = {
  latency: quick ? { warmup: 5, edits: 30, gapMs: 120 } : { warmup: 20, edits: 200, gapMs: 120 },
  sizes: quick ? [10, 50] : [100, 1000],
  /** Sync runs per (size, mode, transport); the first is a discarded warm-up. */
  syncRuns: quick ? 2 : 4,
}

const MODE_LABEL: Record<SyncMode, string> = { sequential: 'one find at a time', concurrent: 'all finds at once' }

interface SyncResult {
  designs: number
  documents: number
  mode: SyncMode
  transport: Transport
  runs: SyncSample[]
}

async function latencyPhase(): Promise<Record<Transport, number[]>> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-bench-'))
  let hub: Hub | undefined
  try {
    hub = await startHub({ privateKey: (await createIdentity('hub')).privateKey, storageDir: join(dir, 'repo'), port: 0 })
    progress(`latency: ${config.latency.edits} edits per transport after ${config.latency.warmup} warm-up edits, ${config.latency.gapMs} ms apart`)
    return await measureLatency(hub, TRANSPORTS, config.latency)
  } finally {
    await hub?.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

async function syncPhase(designs: Designs, n: number): Promise<SyncResult[]> {
  progress(`sync ${n} designs: seeding a hub`)
  let seeded: SeededHub | undefined
  try {
    seeded = await seedHub(designs, n)
    const results: SyncResult[] = []
    for (const mode of SYNC_MODES) {
      const byTransport = new Map<Transport, SyncSample[]>(TRANSPORTS.map((t) => [t, []]))
      for (let run = 0; run < config.syncRuns; run++) {
        const order = run % 2 === 0 ? TRANSPORTS : [...TRANSPORTS].reverse()
        for (const t of order) {
          const s = await measureSync(seeded, t, mode)
          byTransport.get(t)!.push(s)
          progress(`  ${n} designs, ${mode}, ${t}, run ${run}${run === 0 ? ' (warm-up)' : ''}: ${s.totalMs.toFixed(0)} ms (connect ${s.connectMs.toFixed(1)} ms)`)
        }
      }
      for (const [transport, runs] of byTransport) {
        results.push({ designs: n, documents: seeded.documents.size, mode, transport, runs: runs.slice(1) })
      }
    }
    return results
  } finally {
    await seeded?.stop()
  }
}

function rows(latency: Record<Transport, number[]>, sync: readonly SyncResult[]): Row[] {
  const out: Row[] = [
    { benchmark: 'edit→remote latency, median', libp2p: median(latency.libp2p), stock: median(latency['stock-ws']) },
    { benchmark: 'edit→remote latency, p95', libp2p: p95(latency.libp2p), stock: p95(latency['stock-ws']) },
  ]
  const total = (n: number, mode: SyncMode, t: Transport) =>
    median(sync.find((r) => r.designs === n && r.mode === mode && r.transport === t)!.runs.map((s) => s.totalMs))
  for (const n of config.sizes) {
    for (const mode of SYNC_MODES) {
      out.push({ benchmark: `sync ${n} designs to a fresh peer (${MODE_LABEL[mode]})`, libp2p: total(n, mode, 'libp2p'), stock: total(n, mode, 'stock-ws') })
    }
  }
  const connects = (t: Transport) => median(sync.filter((r) => r.transport === t).flatMap((r) => r.runs.map((s) => s.connectMs)))
  out.push({ benchmark: 'of which: connect until session is up', libp2p: connects('libp2p'), stock: connects('stock-ws') })
  return out
}

function summary(samples: readonly number[]) {
  return { count: samples.length, median: median(samples), p95: p95(samples), min: Math.min(...samples), max: Math.max(...samples) }
}

async function main(): Promise<void> {
  const started = new Date()
  progress(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}${quick ? ', QUICK run' : ''}`)
  const latency = await latencyPhase()
  const largest = Math.max(...config.sizes)
  progress(`creating ${largest} designs (3 documents each, ${3} BOM rows each, all signed)`)
  const designs = await makeDesigns(largest)
  const sync: SyncResult[] = []
  try {
    for (const n of config.sizes) sync.push(...(await syncPhase(designs, n)))
  } finally {
    await designs.stop()
  }
  const table = rows(latency, sync)
  process.stdout.write(`\n${renderTable(table)}\n\nratio < 1: libp2p is faster; > 1: the stock WebSocket adapter is faster.\n`)

  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json')
  await mkdir(dirname(out), { recursive: true })
  const report = {
    startedAt: started.toISOString(),
    durationS: (Date.now() - started.getTime()) / 1000,
    environment: { node: process.version, platform: `${platform()} ${release()}`, cpus: cpus().length, cpu: cpus()[0]?.model ?? null },
    config: { quick, ...config },
    table: table.map((r) => ({ ...r, unit: 'ms', ratio: ratio(r) })),
    latency: Object.fromEntries(TRANSPORTS.map((t) => [t, { ...summary(latency[t]), samples: latency[t] }])),
    sync: sync.map((r) => ({ ...r, medianTotalMs: median(r.runs.map((s) => s.totalMs)) })),
  }
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`)
  progress(`results written to ${out}`)
  // Everything is stopped by now, so the process should exit by itself. If something still holds
  // the event loop, say what, rather than hang.
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
