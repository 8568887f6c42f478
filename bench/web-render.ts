/**
 * Time to first render of a design from local storage, in Chromium (playwright-core), the web app
 * against the stock baseline page, in the same run and the same browser context.
 *
 * Setup: a hub (in this process) serves the built app; one page signs up and creates a design with
 * one BOM row through the UI, as the e2e tests do, so that the design is in the context's
 * IndexedDB. Then the hub stops and a static server (web-serve.ts) takes its port: the app finds no
 * hub and can only read the design from IndexedDB; the baseline page reads the same database.
 *
 * A sample: a new page in that context, navigated to the design's page (app) or to the baseline
 * with the design's content document; an init script's MutationObserver notes `performance.now()`
 * when an <h1> with the design's title is first in the DOM. `performance.now()` counts from
 * `performance.timeOrigin`, the start of the navigation, so a sample is navigation start → title
 * in the DOM (before it is painted).
 */
import { createIdentity } from '@cosmolocal/core'
import { startHub, type Hub } from '@cosmolocal/hub'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { progress, sleep } from './progress.ts'
import type { Built } from './web-build.ts'
import { BASELINE_BASE } from './web-build.ts'
import { serveStatic, type StaticServer } from './web-serve.ts'

export const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium'
export const hasChromium = () => existsSync(CHROMIUM)
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const TITLE = 'Bench workbench'
const SAMPLE_TIMEOUT_MS = 30_000

export type PageKind = 'app' | 'baseline'

export interface RenderResult {
  title: string
  /** Counted samples (warm-up left out), ms from navigation start to the title in the DOM. */
  app: number[]
  baseline: number[]
  warmup: Record<PageKind, number>
  /** For each counted app sample: when its main navigation showed (peer started), same clock. */
  appPeerStarted: (number | null)[]
  /** What the app's first counted page load requested from the server (the rest came from the HTTP cache). */
  appRequests: string[]
}

/**
 * The title watcher, run in every page before its own scripts. It also notes when the app's main
 * navigation first shows (the app renders it once its peer has started), to split the app's time.
 */
function watchTitle(title: string): void {
  const w = window as unknown as { __benchTitleAt?: number; __benchNavAt?: number }
  const seen = () => Array.from(document.querySelectorAll('h1')).some((h) => h.textContent === title)
  const observer = new MutationObserver(() => {
    if (w.__benchNavAt === undefined && document.querySelector('nav[aria-label="Main"]') !== null) w.__benchNavAt = performance.now()
    if (w.__benchTitleAt === undefined && seen()) {
      w.__benchTitleAt = performance.now()
      observer.disconnect()
    }
  })
  observer.observe(document, { childList: true, subtree: true, characterData: true })
}

/** Signs up and creates the design through the UI: the same steps as apps/web/e2e/browser.ts (keep them in step). */
async function createDesignThroughUi(page: Page, hubUrl: string): Promise<string> {
  await page.goto(hubUrl)
  // A key is made at the first act; the identity page offers it directly.
  await page.getByRole('navigation').getByRole('link', { name: 'Your key' }).click()
  await page.getByRole('main').getByRole('button', { name: 'Create my key' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create your key' })
  await dialog.getByLabel('Your name').fill('Bench')
  await dialog.getByRole('button', { name: 'Create my key' }).click()
  await page.getByRole('navigation').getByRole('link', { name: 'Bench' }).waitFor({ timeout: 30_000 })
  await page.getByRole('status', { name: 'Network status' }).getByText('hub connected').waitFor({ timeout: 30_000 })
  await page.getByRole('navigation').getByRole('link', { name: 'New design' }).click()
  await page.getByRole('heading', { level: 1, name: 'New design' }).waitFor()
  await page.getByLabel('Title', { exact: true }).fill(TITLE)
  await page.getByRole('button', { name: 'Create design' }).click()
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Add a part' }).click()
  const form = page.getByRole('form', { name: 'Add a part' })
  await form.getByRole('textbox', { name: 'Part' }).fill('Top board')
  await form.getByRole('textbox', { name: 'Quantity' }).fill('1')
  await form.getByRole('textbox', { name: 'Material' }).fill('beech')
  await form.getByRole('button', { name: 'Add part' }).click()
  await page.locator('table').getByText('Top board').waitFor({ timeout: 30_000 })
  return page.url()
}

/** The design's content document (where its title is), once the hub holds the whole design. */
async function contentDocument(hub: Hub): Promise<string> {
  const end = Date.now() + 60_000
  while (Date.now() < end) {
    const entry = (await hub.catalogue()).find((e) => e.title === TITLE)
    if (entry !== undefined && entry.documents.length >= 2) return `automerge:${entry.documents[1]}`
    await sleep(200)
  }
  throw new Error(`the hub never listed the design "${TITLE}" in its catalogue`)
}

async function sample(context: BrowserContext, url: string, kind: PageKind): Promise<{ title: number; nav: number | null }> {
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  try {
    await page.goto(url, { waitUntil: 'commit' })
    try {
      await page.waitForFunction(() => (window as unknown as { __benchTitleAt?: number }).__benchTitleAt !== undefined, null, {
        timeout: SAMPLE_TIMEOUT_MS,
        polling: 50,
      })
    } catch {
      const shown = ((await page.locator('body').textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').slice(0, 300)
      throw new Error(`the ${kind} page did not show "${TITLE}" within ${SAMPLE_TIMEOUT_MS} ms; it shows: ${shown}${errors.length > 0 ? `; errors: ${errors.join('; ')}` : ''}`)
    }
    return await page.evaluate(() => {
      const w = window as unknown as { __benchTitleAt: number; __benchNavAt?: number }
      return { title: w.__benchTitleAt, nav: w.__benchNavAt ?? null }
    })
  } finally {
    await page.close()
  }
}

export async function measureRender(app: Built, baseline: Built, runs: number): Promise<RenderResult> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-bench-web-'))
  let hub: Hub | undefined
  let server: StaticServer | undefined
  let browser: Browser | undefined
  try {
    hub = await startHub({ privateKey: (await createIdentity('bench hub')).privateKey, storageDir: join(dir, 'hub'), port: 0, webRoot: app.dir })
    const origin = new URL(hub.http)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
    // Service workers blocked: both pages load over HTTP from the same server, under the same cache.
    const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1000, height: 900 } })
    const setup = await context.newPage()
    progress('  web: creating a design through the app (hub running)')
    const designUrl = await createDesignThroughUi(setup, hub.http)
    const content = await contentDocument(hub)
    // Let automerge-repo's debounced IndexedDB writes land before the page goes.
    await sleep(1_000)
    await setup.close()
    await hub.stop()
    hub = undefined
    server = await serveStatic(Number(origin.port), { app: app.dir, baseline: baseline.dir })
    progress(`  web: hub stopped; its port serves the built app and the baseline; ${runs} runs per page`)

    await context.addInitScript(watchTitle, TITLE)
    const urls: Record<PageKind, string> = {
      app: designUrl,
      baseline: new URL(`${BASELINE_BASE}?doc=${encodeURIComponent(content)}`, origin).toString(),
    }
    const result: RenderResult = { title: TITLE, app: [], baseline: [], warmup: { app: Number.NaN, baseline: Number.NaN }, appPeerStarted: [], appRequests: [] }
    for (let run = 0; run < runs; run++) {
      const order: PageKind[] = run % 2 === 0 ? ['app', 'baseline'] : ['baseline', 'app']
      for (const kind of order) {
        const before = server.requested.length
        const { title: ms, nav } = await sample(context, urls[kind], kind)
        if (run === 0) result.warmup[kind] = ms
        else result[kind].push(ms)
        if (run > 0 && kind === 'app') result.appPeerStarted.push(nav)
        if (run === 1 && kind === 'app') result.appRequests = server.requested.slice(before)
        const split = kind === 'app' && nav !== null ? ` (peer started at ${nav.toFixed(0)} ms)` : ''
        progress(`  web first render, ${kind}, run ${run}${run === 0 ? ' (warm-up)' : ''}: ${ms.toFixed(0)} ms${split}`)
      }
    }
    return result
  } finally {
    await browser?.close().catch(() => undefined)
    await server?.close()
    await hub?.stop().catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
  }
}
