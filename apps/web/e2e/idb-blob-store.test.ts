// @vitest-environment node
/**
 * IdbBlobStore (the browser's BlobStore, `@cosmolocal/net/browser`) in Debian's Chromium, on real
 * IndexedDB: a test-only page built by Vite exposes it; each test drives it with page.evaluate,
 * and the blob store conformance suite drives it through RemoteBlobStore (one call, one evaluate).
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { build, preview, type PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runBlobStoreTests } from '@cosmolocal/core/test-support'
import { CHROMIUM, hasChromium } from './browser.js'
import { RemoteBlobStore } from './remote-blob-store.js'

if (!hasChromium) console.warn(`web e2e: SKIPPED, ${CHROMIUM} is missing (apt-get install chromium to run them)`)

const FIXTURE = fileURLToPath(new URL('./fixtures/idb-blobs/', import.meta.url))
const MIB = 1024 * 1024

/** Bytes that differ from chunk to chunk (a repeated pattern would hide chunk mix-ups). */
function sample(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

// What the page sees on `window.fixture` (types only; the code is the fixture's).
type Fixture = {
  IdbBlobStore: typeof import('@cosmolocal/net/browser').IdbBlobStore
  describeBlob: typeof import('@cosmolocal/core').describeBlob
  chunkKeys(name: string): Promise<[string, number][]>
}
declare const fixture: Fixture

describe.skipIf(!hasChromium)('IdbBlobStore in Chromium', () => {
  let dir: string
  let server: PreviewServer
  let browser: Browser
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cosmolocal-idb-e2e-'))
    const outDir = join(dir, 'dist')
    await build({
      configFile: false,
      root: FIXTURE,
      logLevel: 'warn',
      resolve: { alias: [{ find: /^@automerge\/automerge$/, replacement: '@automerge/automerge/slim' }] },
      build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
    })
    server = await preview({ configFile: false, root: FIXTURE, logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } })
    const address = server.httpServer.address()
    if (address === null || typeof address === 'string') throw new Error('the preview server has no port')
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
    page = await browser.newPage()
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`http://127.0.0.1:${address.port}/`)
    await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' })
  }, 180_000)

  afterAll(async () => {
    await browser?.close().catch(() => {})
    await new Promise<void>((r) => (server ? server.httpServer.close(() => r()) : r()))
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('stores a multi-chunk blob fed in odd-sized pieces and gives back the same bytes, chunk by chunk and whole', async () => {
    const bytes = sample(2 * MIB + 12345)
    const got = await page.evaluate(async (data) => {
      const store = new fixture.IdbBlobStore('put-test')
      const all = Uint8Array.from(data)
      async function* pieces() {
        for (let o = 0; o < all.length; o += 100_003) yield all.subarray(o, o + 100_003)
      }
      const info = await store.put(pieces())
      const again = await store.put(all)
      const whole = await store.get(info.hash)
      const chunks = [0, 1, 2].map(async (i) => (await store.readChunk(info.hash, i)).length)
      const expected = fixture.describeBlob(all).info
      return {
        info,
        again,
        expected,
        same: whole.length === all.length && whole.every((b, i) => b === all[i]),
        chunkSizes: await Promise.all(chunks),
        list: await store.list(),
        chunkList: (await store.chunkList(info.hash)).length,
        keys: await fixture.chunkKeys('put-test'),
      }
    }, Array.from(bytes))
    expect(got.info.hash).toBe(sha(bytes))
    expect(got.info).toEqual(got.expected)
    expect(got.again).toEqual(got.info)
    expect(got.same).toBe(true)
    expect(got.chunkSizes).toEqual([MIB, MIB, 12345])
    expect(got.list).toEqual([got.info.hash])
    expect(got.chunkList).toBe(3 * 32)
    // Every chunk under the blob's root, nothing left in staging.
    expect(got.keys.map(([k]) => k)).toEqual([got.info.root, got.info.root, got.info.root])
    expect(errors).toEqual([])
  })

  it('refuses bytes that do not match what was expected, keeping nothing of them', async () => {
    const result = await page.evaluate(async (size) => {
      const store = new fixture.IdbBlobStore('refuse-test')
      const bytes = new Uint8Array(size).fill(7)
      let error = ''
      try {
        await store.put(bytes, { hash: '0'.repeat(64) as never })
      } catch (err) {
        error = (err as Error).name
      }
      return { error, list: await store.list(), keys: await fixture.chunkKeys('refuse-test') }
    }, MIB + 10)
    expect(result.error).toBe('BlobIntegrityError')
    expect(result.list).toEqual([])
    expect(result.keys).toEqual([])
  })

  it('keeps a download chunk by chunk, rejects a bad chunk or chunk list, and resumes after a restart', async () => {
    const bytes = sample(3 * MIB, 9)
    const got = await page.evaluate(async (data) => {
      const all = Uint8Array.from(data)
      const { info, chunkList } = fixture.describeBlob(all)
      const chunk = (i: number) => all.slice(i * 1024 * 1024, (i + 1) * 1024 * 1024)
      const nameOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: Error) => e.name)

      const first = new fixture.IdbBlobStore('download-test')
      const partial = await first.partial(info)
      const badList = chunkList.slice()
      badList[0] = badList[0]! ^ 1
      const listRejected = await nameOf(partial.setChunkList(badList))
      await partial.setChunkList(chunkList)
      const bad = chunk(1)
      bad[10] = bad[10]! ^ 0xff
      const chunkRejected = await nameOf(partial.putChunk(1, bad))
      await partial.putChunk(0, chunk(0))
      const earlyComplete = await nameOf(partial.complete())

      // A new store on the same database: what a reload of the page sees.
      const second = new fixture.IdbBlobStore('download-test')
      const resumed = await second.partial(info)
      const kept = [...resumed.received()]
      const listKept = resumed.chunkList() !== null
      await resumed.putChunk(1, chunk(1))
      await resumed.putChunk(2, chunk(2))
      const done = await resumed.complete()
      const whole = await second.get(info.hash)
      return {
        listRejected,
        chunkRejected,
        earlyComplete,
        kept,
        listKept,
        done: done.hash === info.hash,
        has: await second.has(info.hash),
        same: whole.every((b, i) => b === all[i]) && whole.length === all.length,
      }
    }, Array.from(bytes))
    expect(got).toEqual({
      listRejected: 'BlobIntegrityError',
      chunkRejected: 'BlobIntegrityError',
      earlyComplete: 'BlobIntegrityError',
      kept: [0],
      listKept: true,
      done: true,
      has: true,
      same: true,
    })
    expect(errors).toEqual([])
  })

  let databases = 0
  runBlobStoreTests(async () => {
    // A fresh database per test; a second store on the same name is what a reloaded page opens.
    const name = `conformance-${++databases}`
    return { store: await RemoteBlobStore.open(page, name), reopen: () => RemoteBlobStore.open(page, name) }
  }, 'IndexedDB in Chromium')
})
