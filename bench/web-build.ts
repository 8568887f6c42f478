/**
 * Builds the web app (apps/web, into apps/web/dist, exactly as `npm run build -w @cosmolocal/web`)
 * and the stock baseline page (web-baseline/, into a temporary directory, served under /baseline/),
 * and measures what each one ships, gzipped.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

export const APP_CONFIG = fileURLToPath(new URL('../apps/web/vite.config.ts', import.meta.url))
export const APP_DIST = fileURLToPath(new URL('../apps/web/dist', import.meta.url))
const BASELINE_ROOT = fileURLToPath(new URL('./web-baseline', import.meta.url))
/** Where the baseline is served, on the app's origin (so that it reads the app's IndexedDB). */
export const BASELINE_BASE = '/baseline/'
/** zlib level 9: what a host that precompresses its static files would send. */
const GZIP_LEVEL = 9

/** One build's files, in bytes: raw and gzipped. */
export interface FileSize {
  file: string
  bytes: number
  gzip: number
}

export interface BuildSizes {
  /** JS the first page loads: the entry, its imports, and the chunks it imports dynamically at start. */
  firstPageJs: FileSize[]
  allJs: FileSize[]
  css: FileSize[]
  wasm: FileSize[]
  html: FileSize[]
  buildMs: number
}

export interface Built {
  dir: string
  sizes: BuildSizes
}

interface OutChunk {
  type: 'chunk'
  fileName: string
  isEntry: boolean
  imports: string[]
  dynamicImports: string[]
}

/** Vite's build result (one output, or several) reduced to its JS chunks. */
function chunksOf(result: unknown): OutChunk[] {
  const outputs = (Array.isArray(result) ? result : [result]) as { output?: { type: string }[] }[]
  return outputs.flatMap((o) => (o.output ?? []).filter((c): c is OutChunk => c.type === 'chunk'))
}

/**
 * The entry chunks, everything they import statically, and the chunks the entries themselves import
 * dynamically (with their static imports): the app's entry loads the wasm and then imports the App
 * chunk unconditionally, so that chunk is part of every first page. Chunks imported dynamically from
 * deeper down (a viewer loaded on demand) are not.
 */
function firstPageChunks(chunks: readonly OutChunk[]): Set<string> {
  const byName = new Map(chunks.map((c) => [c.fileName, c]))
  const out = new Set<string>()
  const add = (name: string) => {
    if (out.has(name)) return
    out.add(name)
    for (const i of byName.get(name)?.imports ?? []) add(i)
  }
  for (const entry of chunks.filter((c) => c.isEntry)) {
    add(entry.fileName)
    for (const d of entry.dynamicImports) add(d)
  }
  return out
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)))
}

async function sizes(dir: string, firstPage: Set<string>, buildMs: number): Promise<BuildSizes> {
  const measure = async (file: string): Promise<FileSize> => {
    const bytes = await readFile(join(dir, file))
    return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: GZIP_LEVEL }).length }
  }
  // Page assets only: the service worker and its workbox runtime (sw.js, workbox-*.js) are not
  // part of what a page loads.
  const files = (await filesUnder(dir)).filter((f) => f.startsWith('assets/') || f === 'index.html').sort()
  const all = await Promise.all(files.map(measure))
  return {
    firstPageJs: all.filter((f) => firstPage.has(f.file)),
    allJs: all.filter((f) => f.file.endsWith('.js')),
    css: all.filter((f) => f.file.endsWith('.css')),
    wasm: all.filter((f) => f.file.endsWith('.wasm')),
    html: all.filter((f) => f.file === 'index.html'),
    buildMs,
  }
}

/** Builds the web app into apps/web/dist (production mode, with its service worker). */
export async function buildApp(): Promise<Built> {
  const t0 = performance.now()
  const result = await build({ configFile: APP_CONFIG, logLevel: 'warn' })
  const buildMs = performance.now() - t0
  return { dir: APP_DIST, sizes: await sizes(APP_DIST, firstPageChunks(chunksOf(result)), buildMs) }
}

/** Builds the stock baseline page (web-baseline/) into `outDir`, to be served under BASELINE_BASE. */
export async function buildBaseline(outDir: string): Promise<Built> {
  const t0 = performance.now()
  const result = await build({
    configFile: false,
    root: BASELINE_ROOT,
    base: BASELINE_BASE,
    logLevel: 'warn',
    build: { target: 'es2022', outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  })
  const buildMs = performance.now() - t0
  return { dir: outDir, sizes: await sizes(outDir, firstPageChunks(chunksOf(result)), buildMs) }
}

export const sumGzip = (files: readonly FileSize[]) => files.reduce((s, f) => s + f.gzip, 0)
