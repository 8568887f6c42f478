/**
 * The web app rows of `npm run bench`: what the built app ships (gzipped) and how long it takes to
 * show a design from IndexedDB in Chromium, each against a stock automerge-repo + IndexedDB page
 * (web-baseline/) built and measured in the same run. See README.md.
 *
 * `BENCH_ONLY=web npm run bench` runs just these rows (run.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { progress } from './progress.ts'
import { median, p95 } from './stats.ts'
import { formatMs, renderGrid } from './table.ts'
import { buildApp, buildBaseline, sumGzip, type Built, type BuildSizes } from './web-build.ts'
import { CHROMIUM, hasChromium, measureRender, type RenderResult } from './web-render.ts'

export interface WebResult {
  /** Null when a build failed (`note` says why): the rest of the bench still reports. */
  sizes: { app: BuildSizes; baseline: BuildSizes } | null
  /** Null when the render rows could not be measured; `note` says why. */
  render: RenderResult | null
  note: string | null
}

export interface WebRow {
  benchmark: string
  unit: 'bytes' | 'ms'
  cosmolocal: number
  stock: number
}

/** Page loads per page kind; the first is a warm-up and is not counted. */
export const webRuns = (quick: boolean) => (quick ? 4 : 21)

export async function measureWeb(quick: boolean): Promise<WebResult> {
  progress('web app: building apps/web (into apps/web/dist) and the stock baseline page')
  const baselineDir = await mkdtemp(join(tmpdir(), 'cosmo-bench-baseline-'))
  const failed = (what: string, err: unknown) => {
    const note = `web: ${what}: ${(err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 400)}`
    progress(note)
    return note
  }
  try {
    let app: Built, baseline: Built
    try {
      app = await buildApp()
      baseline = await buildBaseline(baselineDir)
    } catch (err) {
      return { sizes: null, render: null, note: failed('build failed, no web rows', err) }
    }
    progress(`  built in ${(app.sizes.buildMs / 1000).toFixed(1)} s (app) and ${(baseline.sizes.buildMs / 1000).toFixed(1)} s (baseline)`)
    const sizes = { app: app.sizes, baseline: baseline.sizes }
    if (!hasChromium()) {
      const note = `web: no Chromium at ${CHROMIUM} (install Debian's chromium or set BENCH_CHROMIUM): first-render rows skipped`
      progress(note)
      return { sizes, render: null, note: note }
    }
    try {
      return { sizes, render: await measureRender(app, baseline, webRuns(quick)), note: null }
    } catch (err) {
      return { sizes, render: null, note: failed('first render not measured', err) }
    }
  } finally {
    await rm(baselineDir, { recursive: true, force: true })
  }
}

export function webRows(r: WebResult): WebRow[] {
  const { sizes } = r
  const size = (benchmark: string, pick: (s: BuildSizes) => number): WebRow[] =>
    sizes === null ? [] : [{ benchmark, unit: 'bytes', cosmolocal: pick(sizes.app), stock: pick(sizes.baseline) }]
  const rows: WebRow[] = [
    ...size('JS loaded by the first page, gzip', (s) => sumGzip(s.firstPageJs)),
    ...size('JS, all chunks, gzip', (s) => sumGzip(s.allJs)),
    ...size('CSS, gzip', (s) => sumGzip(s.css)),
    ...size('automerge wasm, gzip', (s) => sumGzip(s.wasm)),
    ...size('first page in all (HTML, JS, CSS, wasm), gzip', (s) => sumGzip([...s.html, ...s.firstPageJs, ...s.css, ...s.wasm])),
  ]
  if (r.render !== null) {
    const { app, baseline } = r.render
    rows.push(
      { benchmark: 'first render of a design from IndexedDB, median', unit: 'ms', cosmolocal: median(app), stock: median(baseline) },
      { benchmark: 'first render of a design from IndexedDB, p95', unit: 'ms', cosmolocal: p95(app), stock: p95(baseline) },
    )
  }
  return rows
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MB`
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`
  return `${n} B`
}

const ratio = (r: WebRow) => r.cosmolocal / r.stock

export function renderWebTable(r: WebResult): string {
  const fmt = (row: WebRow, v: number) => (row.unit === 'bytes' ? formatBytes(v) : formatMs(v))
  const body = webRows(r).map((row) => [row.benchmark, fmt(row, row.cosmolocal), fmt(row, row.stock), Number.isFinite(ratio(row)) ? ratio(row).toFixed(2) : '—'])
  const runs = r.render === null ? '' : `First render: ${r.render.app.length} page loads each after a warm-up, navigation start → title in the DOM, Chromium, hub stopped. `
  return (
    `${renderGrid(['web app', 'cosmolocal', 'stock', 'ratio (cosmolocal/stock)'], body)}\n\n` +
    `stock: automerge-repo + IndexedDB adapter + the same automerge wasm in a minimal Vite page (bench/web-baseline). ${runs}` +
    `ratio < 1: Cosmolocal is smaller / faster.\n` +
    (r.note === null ? '' : `! ${r.note}\n`)
  )
}

/** The web rows for latest.json's `table`, in the shape of the other rows plus a unit. */
export function webTableJson(r: WebResult) {
  return webRows(r).map((row) => ({ benchmark: row.benchmark, cosmolocal: row.cosmolocal, stock: row.stock, unit: row.unit, ratio: ratio(row) }))
}

/** Everything measured, for latest.json's `web`. */
export function webJson(r: WebResult) {
  const summary = (s: readonly number[]) => (s.length === 0 ? null : { count: s.length, median: median(s), p95: p95(s), min: Math.min(...s), max: Math.max(...s), samples: s })
  return {
    sizes: r.sizes === null ? null : { gzipLevel: 9, ...r.sizes },
    render:
      r.render === null
        ? null
        : {
            title: r.render.title,
            app: summary(r.render.app),
            baseline: summary(r.render.baseline),
            warmup: r.render.warmup,
            appPeerStarted: r.render.appPeerStarted,
            appRequests: r.render.appRequests,
          },
    note: r.note,
  }
}
