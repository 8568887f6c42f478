/**
 * The `hub` rows: `cosmo serve` (the real command, spawned) on a home holding 10,000 generated
 * designs (fixtures.ts; 30,000 documents), against the same on 1,000: how long until it is ready
 * (its result line printed: serving HTTP and libp2p, serve.json written), how long its catalogue
 * takes to answer (`/api/catalogue` over HTTP, and the catalogue protocol over libp2p that
 * `cosmo catalogue` speaks, from a peer already connected), and its resident memory after start and
 * after one catalogue query. The issue wants start-up and memory independent of the designs held.
 *
 * A hub that is not ready by the deadline is stopped; its row then reads "> deadline".
 */
import { createIdentity } from '@cosmolocal/core'
import { connectTo, DEFAULT_CATALOGUE_PAGE_DESIGNS, fetchCatalogue } from '@cosmolocal/hub'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { copyTree, designStores, hubDeadlineMs, STORE_SIZES } from './fixtures.ts'
import { rebuildOnce, type Rebuild } from './hub-rebuild.ts'
import type { Group, GroupResult } from './group.ts'
import { libp2pPeer } from './peers.ts'
import { residentMiB, stopServe } from './proc.ts'
import { getJson, indexedHome, startServe } from './serve-process.ts'
import { progress } from './progress.ts'
import type { BenchRow } from './report.ts'
import { median } from './stats.ts'

const config = (quick: boolean) => ({
  /** The number of designs held, the base one first. */
  sizes: quick ? [STORE_SIZES(true).at(-2)!, STORE_SIZES(true).at(-1)!] : [1000, 10_000],
  rounds: quick ? 1 : 2,
  deadlineMs: hubDeadlineMs(quick),
})

interface Start {
  designs: number
  /** Spawn → the result line on stdout; null when not ready by the deadline. */
  readyMs: number | null
  /** GET /api/catalogue, first and second time, and how many designs it listed. */
  httpCatalogueMs: number | null
  httpCatalogueAgainMs: number | null
  listed: number | null
  /** The catalogue protocol over libp2p, from a connected peer. */
  /** One page (DEFAULT_CATALOGUE_PAGE_DESIGNS designs) of the catalogue protocol over libp2p, from a connected peer. */
  libp2pCatalogueMs: number | null
  /** Every page, as `cosmo catalogue --peer` reads it. */
  libp2pListingMs: number | null
  rssAfterStartMiB: number | null
  rssAfterCatalogueMiB: number | null
  peakMiB: number | null
  error: string | null
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}

async function startOnce(prepared: string, designs: number, deadlineMs: number): Promise<Start> {
  const home = await mkdtemp(join(tmpdir(), 'cosmo-bench-serve-'))
  const result: Start = {
    designs,
    readyMs: null,
    httpCatalogueMs: null,
    httpCatalogueAgainMs: null,
    listed: null,
    libp2pCatalogueMs: null,
    libp2pListingMs: null,
    rssAfterStartMiB: null,
    rssAfterCatalogueMiB: null,
    peakMiB: null,
    error: null,
  }
  try {
    // cp -a: the store, identity, verified-state cache and catalogue index as a stopped hub left them.
    await rm(home, { recursive: true, force: true })
    await copyTree(prepared, home)
    const t0 = performance.now()
    const serving = startServe(home, deadlineMs)
    const { child, exited } = serving
    try {
      const info = await serving.ready
      const pid = child.pid!
      if (info === null) {
        const m = await residentMiB(pid)
        result.rssAfterStartMiB = m?.rss ?? null
        result.peakMiB = m?.peak ?? null
        result.error = `${NOT_READY} ${(deadlineMs / 1000).toFixed(0)} s`
        return result
      }
      result.readyMs = performance.now() - t0
      result.rssAfterStartMiB = (await residentMiB(pid))?.rss ?? null
      const catalogue = () => getJson(new URL('api/catalogue', info.http), deadlineMs)
      const first = await timed(catalogue).catch((err: Error) => {
        throw new Error(`/api/catalogue: ${err.message}`)
      })
      result.httpCatalogueMs = first.ms
      const listed = first.value as unknown[] | { designs?: unknown[] }
      result.listed = Array.isArray(listed) ? listed.length : Array.isArray(listed.designs) ? listed.designs.length : null
      result.rssAfterCatalogueMiB = (await residentMiB(pid))?.rss ?? null
      result.httpCatalogueAgainMs = (await timed(catalogue)).ms
      const tcp = info.multiaddrs.find((m) => m.startsWith('/ip4/127.0.0.1/tcp/') && !m.includes('/ws'))
      if (tcp !== undefined) {
        const peer = await libp2pPeer(await createIdentity('bench catalogue reader'))
        try {
          const remote = await connectTo(peer.node, peer.repo, tcp)
          result.libp2pCatalogueMs = (await timed(() => fetchCatalogue(peer.node, remote, { limit: DEFAULT_CATALOGUE_PAGE_DESIGNS }))).ms
          result.libp2pListingMs = (await timed(() => fetchCatalogue(peer.node, remote))).ms
        } catch (err) {
          result.error = `catalogue over libp2p: ${(err as Error).message}`
        } finally {
          await peer.stop()
        }
      }
      result.peakMiB = (await residentMiB(pid))?.peak ?? null
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

const nf = (n: number) => n.toLocaleString('en-US')
const NOT_READY = 'not ready after'

export const hubGroup: Group = {
  name: 'hub',
  title: 'cosmo serve on a home holding many designs: start-up, catalogue, memory (compared with the same on fewer designs)',
  async run(quick): Promise<GroupResult> {
    const c = config(quick)
    const stores = await designStores(STORE_SIZES(quick))
    const homes = new Map<number, Awaited<ReturnType<typeof indexedHome>>>()
    for (const n of c.sizes) homes.set(n, await indexedHome(stores.store(n), n, c.deadlineMs))
    // The index rebuilt from the store (no index/): the base size, against a tenth of it.
    const rebuilds: Rebuild[] = []
    const [rebuildBase, rebuildLarge] = quick ? (c.sizes as [number, number]) : [100, 1000]
    for (let round = 0; round < c.rounds; round++) {
      for (const n of [rebuildBase, rebuildLarge]) {
        progress(`hub: catalogue index rebuilt by cosmo serve on ${nf(n)} designs without an index, round ${round}`)
        const r = await rebuildOnce(stores.store(n), n, c.deadlineMs)
        rebuilds.push(r)
        progress(`  rebuilt in ${r.ms === null ? '-' : `${(r.ms / 1000).toFixed(1)} s`}, peak RSS ${r.peakMiB === null ? '-' : `${r.peakMiB.toFixed(0)} MiB`}, load ${r.load.toFixed(1)}${r.error === null ? '' : `; ${r.error}`}`)
      }
    }
    const starts: Start[] = []
    for (let round = 0; round < c.rounds; round++) {
      for (const n of c.sizes) {
        // Once a size missed the deadline, another start would only miss it again.
        if (starts.some((s) => s.designs === n && s.error?.startsWith(NOT_READY) === true)) continue
        progress(`hub: cosmo serve on ${nf(n)} designs, round ${round}`)
        const s = await startOnce(homes.get(n)!.dir, n, c.deadlineMs)
        starts.push(s)
        const f = (v: number | null, unit = 'ms') => (v === null ? '-' : `${v.toFixed(0)} ${unit}`)
        progress(`  ready ${f(s.readyMs)}, /api/catalogue ${f(s.httpCatalogueMs)} (${s.listed ?? '-'} listed), libp2p catalogue page ${f(s.libp2pCatalogueMs)}, all ${f(s.libp2pListingMs)}, RSS ${f(s.rssAfterStartMiB, 'MiB')} → ${f(s.rssAfterCatalogueMiB, 'MiB')}${s.error === null ? '' : `; ${s.error}`}`)
      }
    }
    const [base, large] = c.sizes as [number, number]
    const of = (n: number, pick: (s: Start) => number | null) => {
      const xs = starts.filter((s) => s.designs === n).map(pick).filter((v): v is number => v !== null)
      return xs.length === 0 ? Number.NaN : median(xs)
    }
    const notReady = (n: number) => starts.some((s) => s.designs === n && s.error?.startsWith(NOT_READY) === true)
    const ready = (n: number) => (notReady(n) ? c.deadlineMs : of(n, (s) => s.readyMs))
    const rebuilt = (n: number, pick: (r: Rebuild) => number | null) => {
      const xs = rebuilds.filter((r) => r.designs === n).map(pick).filter((v): v is number => v !== null)
      return xs.length === 0 ? Number.NaN : median(xs)
    }
    const rebuildRows: BenchRow[] = [
      { benchmark: `catalogue index rebuilt from the store, ${nf(rebuildLarge)} designs`, unit: 'ms', value: rebuilt(rebuildLarge, (r) => r.ms), stock: rebuilt(rebuildBase, (r) => r.ms), target: null, atLeast: rebuilds.some((r) => r.designs === rebuildLarge && r.ms === null) },
      { benchmark: `  peak resident memory during the rebuild`, unit: 'MiB', value: rebuilt(rebuildLarge, (r) => r.peakMiB), stock: rebuilt(rebuildBase, (r) => r.peakMiB), target: { text: '< 500 MiB', below: 500 } },
    ]
    const rows: BenchRow[] = [
      { benchmark: `cosmo serve ready, ${nf(large)} designs`, unit: 'ms', value: ready(large), stock: ready(base), target: { text: '< 5 s', below: 5000 }, atLeast: notReady(large) },
      { benchmark: `  /api/catalogue, first query`, unit: 'ms', value: of(large, (s) => s.httpCatalogueMs), stock: of(base, (s) => s.httpCatalogueMs), target: { text: '< 100 ms', below: 100 } },
      { benchmark: `  /api/catalogue, again`, unit: 'ms', value: of(large, (s) => s.httpCatalogueAgainMs), stock: of(base, (s) => s.httpCatalogueAgainMs), target: { text: '< 100 ms', below: 100 } },
      { benchmark: `  catalogue over libp2p, one page of ${DEFAULT_CATALOGUE_PAGE_DESIGNS}`, unit: 'ms', value: of(large, (s) => s.libp2pCatalogueMs), stock: of(base, (s) => s.libp2pCatalogueMs), target: { text: '< 100 ms', below: 100 } },
      { benchmark: `  catalogue over libp2p, every page (cosmo catalogue --peer)`, unit: 'ms', value: of(large, (s) => s.libp2pListingMs), stock: of(base, (s) => s.libp2pListingMs), target: null },
      { benchmark: `  resident memory after start`, unit: 'MiB', value: of(large, (s) => s.rssAfterStartMiB), stock: of(base, (s) => s.rssAfterStartMiB), target: { text: '< 500 MiB', below: 500 }, atLeast: notReady(large) },
      { benchmark: `  resident memory after one catalogue query`, unit: 'MiB', value: of(large, (s) => s.rssAfterCatalogueMiB), stock: of(base, (s) => s.rssAfterCatalogueMiB), target: { text: '< 500 MiB', below: 500 } },
    ]
    const notes = [
      `rebuild: cosmo serve on a copy of the store of ${nf(rebuildLarge)} (and ${nf(rebuildBase)}) designs without an index, spawn to the index complete (/api/hub); median of ${c.rounds}; load average at the end ${rebuilds.map((r) => r.load.toFixed(1)).join(', ')}`,
      ...new Set(rebuilds.filter((r) => r.error !== null).map((r) => `rebuild of ${nf(r.designs)} designs: ${r.error}`)),
      ...c.sizes.map((n) => `${nf(n)} designs, first start on a store without an index (once, cached): ready in ${homes.get(n)!.firstReadyMs.toFixed(0)} ms, the index rebuilt in the background in ${homes.get(n)!.indexBuildS.toFixed(0)} s`),
      ...new Set(starts.filter((s) => s.error !== null).map((s) => `${nf(s.designs)} designs: ${s.error}`)),
      `listed by /api/catalogue: ${c.sizes.map((n) => `${nf(n)} designs → ${Number.isNaN(of(n, (s) => s.listed)) ? 'nothing' : nf(of(n, (s) => s.listed))}`).join(', ')}`,
      `median of ${c.rounds} start(s) per size; ratio = ${nf(large)} designs / ${nf(base)} (the issue wants start-up and memory not to grow with the designs held); deadline ${(c.deadlineMs / 1000).toFixed(0)} s`,
    ]
    return { tables: [{ versus: `${nf(base)} designs`, rows }, { versus: `${nf(rebuildBase)} designs`, rows: rebuildRows }], notes, json: { ...c, starts, rebuilds } }
  },
}
