/**
 * `npm run bench`: every row of the bench, group by group, each figure with the stock (or other)
 * figure it is compared with in the same run, the ratio, the target and whether it meets it.
 * Progress goes to stderr; the tables to stdout; everything measured to bench/results/latest.json.
 * See README.md.
 *
 * BENCH_QUICK=1 runs a small version of every group (to check that the bench works, not for numbers).
 * BENCH_ONLY=<group>[,<group>…] runs only those groups (names below).
 */
import { accountWasmMemoryInHeapLimit } from '@cosmolocal/storage'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg, platform, release } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { acceptGroup } from './accept.ts'
import { blobRows, measureBlobs, SENDER_PLACEMENTS, type BlobBenchResult } from './blobs.ts'
import { cliGroup } from './cli.ts'
import { forkGroup } from './fork.ts'
import { failedGroup, type Group, type GroupResult } from './group.ts'
import { hubGroup } from './hub-start.ts'
import { progress, quietTimerWarnings } from './progress.ts'
import { renderRows, rowJson, type BenchRow } from './report.ts'
import { latencyGroup, syncGroup } from './sync-rows.ts'
import { measureWeb, webJson, webRows, webRuns } from './web.ts'

const quick = process.env.BENCH_QUICK === '1'

const blobsGroup: Group = {
  name: 'blobs',
  title: 'a 50 MB attachment peer to peer over libp2p, disk to disk (stock: a plain TCP copy)',
  async run(q): Promise<GroupResult> {
    const blob = q ? { mb: 8, runs: 2 } : { mb: 50, runs: 4 }
    progress(`attachment throughput: ${blob.mb} MB, ${blob.runs} runs per transport and sender placement`)
    const results: BlobBenchResult[] = []
    for (const placement of SENDER_PLACEMENTS) results.push(await measureBlobs(blob.mb * 1024 * 1024, blob.runs, placement))
    const rows = results.flatMap(blobRows).map(
      (r): BenchRow => ({
        benchmark: r.benchmark.replace(' (stock: plain TCP copy)', ''),
        unit: 'ms',
        value: r.libp2p,
        stock: r.stock,
        target: { text: '≥ 50 % of TCP (≤ 2×)', ratioAtMost: 2 },
      }),
    )
    return { tables: [{ versus: 'TCP copy', rows }], notes: [`median of ${blob.runs - 1} run(s) after a warm-up; time ratio, so 2.00 = half the throughput`], json: results }
  },
}

const webGroup: Group = {
  name: 'web',
  title: 'the web app against a stock automerge-repo + IndexedDB page (bench/web-baseline): size and first render in Chromium',
  async run(q): Promise<GroupResult> {
    const web = await measureWeb(q)
    const rows = webRows(web).map(
      (r): BenchRow => ({
        benchmark: r.benchmark,
        unit: r.unit,
        value: r.cosmolocal,
        stock: r.stock,
        target: r.benchmark.startsWith('first render') && r.benchmark.endsWith('median') ? { text: '≤ 1.5×', ratioAtMost: 1.5 } : null,
      }),
    )
    const notes = [
      ...(web.note === null ? [] : [web.note]),
      ...(web.render === null ? [] : [`first render: ${web.render.app.length} page loads each after a warm-up, navigation start → title in the DOM, hub stopped`]),
      'ratio < 1: Cosmolocal is smaller / faster',
    ]
    return { tables: [{ versus: 'stock page', rows }], notes, json: { ...webJson(web), runs: webRuns(q) } }
  },
}

const GROUPS: readonly Group[] = [latencyGroup, syncGroup, blobsGroup, webGroup, cliGroup, acceptGroup, forkGroup, hubGroup]

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')

function selected(): readonly Group[] {
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (only.length === 0) return GROUPS
  const unknown = only.filter((n) => !GROUPS.some((g) => g.name === n))
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names no group ${unknown.join(', ')}: the groups are ${GROUPS.map((g) => g.name).join(', ')}`)
  return GROUPS.filter((g) => only.includes(g.name))
}

interface Ran {
  group: Group
  result: GroupResult
  loadBefore: string
  loadAfter: string
  durationS: number
}

function render(r: Ran): string {
  const tables = r.result.tables.filter((t) => t.rows.length > 0).map((t) => renderRows(t.rows, t.versus))
  return [
    `## ${r.group.name}: ${r.group.title}`,
    '',
    ...tables.flatMap((t) => [t, '']),
    ...r.result.notes.map((n) => `  ${n}`),
    `  load average before / after: ${r.loadBefore} / ${r.loadAfter} on ${cpus().length} CPUs; ${r.durationS.toFixed(0)} s`,
    '',
  ].join('\n')
}

async function main(): Promise<void> {
  quietTimerWarnings()
  // The peers this process runs (the sync rows' fresh peers) stand for `cosmo pull`, which sets
  // this when it opens its store; the hubs get it from startHub.
  accountWasmMemoryInHeapLimit()
  const groups = selected()
  const started = new Date()
  const loadBefore = load()
  progress(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadBefore}${quick ? ', QUICK run' : ''}; groups: ${groups.map((g) => g.name).join(', ')}`)
  const ran: Ran[] = []
  for (const group of groups) {
    const before = load()
    const t0 = performance.now()
    let result: GroupResult
    try {
      result = await group.run(quick)
    } catch (err) {
      progress(`${group.name} failed: ${(err as Error).message}`)
      result = failedGroup(err)
    }
    ran.push({ group, result, loadBefore: before, loadAfter: load(), durationS: (performance.now() - t0) / 1000 })
  }
  process.stdout.write(`\n${ran.map(render).join('\n')}`)

  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json')
  await mkdir(dirname(out), { recursive: true })
  const report = {
    startedAt: started.toISOString(),
    durationS: (Date.now() - started.getTime()) / 1000,
    environment: { node: process.version, platform: `${platform()} ${release()}`, cpus: cpus().length, cpu: cpus()[0]?.model ?? null, loadBefore, loadAfter: load() },
    config: { quick, only: groups.map((g) => g.name) },
    table: ran.flatMap((r) => r.result.tables.flatMap((t) => t.rows.map((row) => ({ ...rowJson(r.group.name, row), versus: t.versus })))),
    notes: ran.flatMap((r) => r.result.notes.map((n) => `${r.group.name}: ${n}`)),
    groups: Object.fromEntries(ran.map((r) => [r.group.name, { loadBefore: r.loadBefore, loadAfter: r.loadAfter, durationS: r.durationS }])),
    ...Object.fromEntries(ran.map((r) => [r.group.name, r.result.json])),
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
