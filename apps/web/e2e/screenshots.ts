/**
 * `npm run screenshots`: the README's pictures, taken from the real app. Starts a hub serving the
 * built app (apps/web/dist) with the sample commons `npm start` serves, signs Chromium in as the
 * loom's maintainer (her key goes into the browser the way "Import a key" puts it there), and
 * writes docs/img/catalogue.png (the card grid), docs/img/design-page.png (the loom's page) and
 * docs/img/review.png (the open proposal, as its reviewer sees it).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { createIdentity, serializeIdentity } from '@cosmolocal/core'
import { seedSampleCommons } from '@cosmolocal/cli'
import { startHub } from '@cosmolocal/hub'

const CHROMIUM = '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const root = fileURLToPath(new URL('../../../', import.meta.url))
const webRoot = join(root, 'apps/web/dist')
const out = join(root, 'docs/img')

if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`)
if (!existsSync(join(webRoot, 'index.html'))) throw new Error('apps/web/dist is missing: run npm run build first')

const dir = await mkdtemp(join(tmpdir(), 'cosmolocal-screenshots-'))
const hubKey = await createIdentity('hub')
const hub = await startHub({ privateKey: hubKey.privateKey, storageDir: join(dir, 'hub'), port: 0, webRoot, log: (line) => process.stderr.write(`hub: ${line}\n`) })
const amara = await createIdentity('Amara')
const sample = await seedSampleCommons(hub.repo, hub.blobs, amara)
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 })
  const identity = JSON.stringify(serializeIdentity(amara))
  await context.addInitScript((key) => localStorage.setItem('cosmolocal/identity', key), identity)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await mkdir(out, { recursive: true })

  await page.goto(hub.http)
  const grid = page.getByRole('list', { name: 'Designs' })
  await grid.getByRole('heading', { name: 'OHLOOM frame loom' }).waitFor({ timeout: 60_000 })
  await page.getByRole('status', { name: 'Network status' }).getByText('hub connected').waitFor({ timeout: 60_000 })
  // The loom's card shows its frame drawn from the STL (once, then kept).
  await grid.locator('article', { hasText: 'OHLOOM frame loom' }).first().locator('img').waitFor({ timeout: 60_000 })
  await settle(page)
  await page.screenshot({ path: join(out, 'catalogue.png'), fullPage: true })

  const loom = sample.designs[0]!
  await page.goto(new URL(`#/design/${encodeURIComponent(loom)}`, hub.http).href)
  await page.getByRole('heading', { level: 1, name: 'OHLOOM frame loom' }).waitFor({ timeout: 60_000 })
  await page.getByRole('status', { name: 'Network status' }).getByText('hub connected').waitFor({ timeout: 60_000 })
  await page.locator('canvas').first().waitFor({ timeout: 60_000 })
  await settle(page)
  await page.screenshot({ path: join(out, 'design-page.png'), fullPage: true })

  await page.goto(new URL(`#/proposal/${encodeURIComponent(sample.proposal)}`, hub.http).href)
  await page.getByRole('heading', { level: 1, name: /Local hardwood and an oiling step/ }).waitFor({ timeout: 60_000 })
  await page.getByRole('button', { name: /Accept/ }).first().waitFor({ timeout: 60_000 })
  await settle(page)
  await page.screenshot({ path: join(out, 'review.png'), fullPage: true })
  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`)
  process.stdout.write(`wrote ${join(out, 'catalogue.png')}, ${join(out, 'design-page.png')} and ${join(out, 'review.png')}\n`)
} catch (err) {
  const failed = join(dir, 'failed.png')
  await browser.contexts()[0]?.pages()[0]?.screenshot({ path: failed, fullPage: true, timeout: 10_000 })
  await rm(join(tmpdir(), 'cosmolocal-screenshots-failed.png'), { force: true })
  await import('node:fs/promises').then((fs) => fs.copyFile(failed, join(tmpdir(), 'cosmolocal-screenshots-failed.png')))
  process.stderr.write(`what the page showed: ${join(tmpdir(), 'cosmolocal-screenshots-failed.png')}\n`)
  throw err
} finally {
  await browser.close()
  await hub.stop()
  await rm(dir, { recursive: true, force: true })
}

/** Lets live updates, fonts and the 3D preview's first frames land before the picture. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready)
  // Thumbnails load lazily, when scrolled near; a full-page picture does not scroll by itself.
  const height = await page.evaluate(() => document.body.scrollHeight)
  for (let y = 0; y < height; y += 600) await page.mouse.wheel(0, 600)
  await page.evaluate(() => Promise.all([...document.images].map((img) => img.decode().catch(() => undefined))))
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.waitForTimeout(1500)
}
