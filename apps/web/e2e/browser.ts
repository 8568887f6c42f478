/** Helpers for the end-to-end tests: Debian's Chromium through playwright-core, a real hub. */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
// SwiftShader flags: the 3D preview needs WebGL without a GPU (see stl-preview.test.ts).
const ARGS = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export interface World {
  hub: { http: string; id: string }
  browser: Browser
  dir: string
  stop(): Promise<void>
}

/** Builds the app into a temporary directory and serves it from a fresh hub (a child process) on free ports. */
export async function startWorld(): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmolocal-web-e2e-'))
  const child: ChildProcess = spawn(process.execPath, [fileURLToPath(new URL('./hub-process.ts', import.meta.url)), dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const hub = await new Promise<{ http: string; id: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the hub process exited (${code}) before it was ready`)))
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { http: string; id: string }))
  })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  return {
    hub,
    browser,
    dir,
    async stop() {
      await browser.close().catch(() => {})
      const exited = new Promise((r) => child.once('exit', r))
      child.stdin?.end()
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      child.kill()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
/** A page in a fresh context (its own IndexedDB and key), recording console errors. */
export async function openPerson(world: World): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await world.browser.newContext({ viewport: { width: 1000, height: 900 } })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(world.hub.http)
  return { context, page, errors }
}
