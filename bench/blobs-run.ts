/**
 * `npm run bench:blobs`: the attachment throughput row alone (see blobs.ts), for work on the blob
 * path without the four-minute sync bench, for both sender placements. BLOB_MB (default 50) and
 * BLOB_RUNS (default 6 per transport and placement, the first a warm-up) size it. Progress goes to stderr, the row and the samples to stdout.
 */
import { cpus, loadavg } from 'node:os'
import { blobRows, measureBlobs, SENDER_PLACEMENTS, type BlobBenchResult } from './blobs.ts'
import { progress } from './progress.ts'
import { renderTable } from './table.ts'

const mb = Number(process.env.BLOB_MB ?? 50)
const runs = Number(process.env.BLOB_RUNS ?? 6)
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')

const loadBefore = load()
progress(`node ${process.version}, ${cpus().length} CPUs, load average ${loadBefore}: ${mb} MB, ${runs} runs per transport`)
const results: BlobBenchResult[] = []
for (const placement of SENDER_PLACEMENTS) results.push(await measureBlobs(mb * 1024 * 1024, runs, placement))
const samples = (s: number[]) => s.map((ms) => ms.toFixed(0)).join(' ')
process.stdout.write(
  `\n${renderTable(results.flatMap(blobRows)).replace('stock ws', 'tcp copy')}\n\n` +
    results.map((r) => `sender in ${r.placement}: libp2p runs (ms) ${samples(r.libp2pMs)}; tcp runs (ms) ${samples(r.tcpMs)}\n`).join('') +
    `load average before / after: ${loadBefore} / ${load()} on ${cpus().length} CPUs\n`,
)
