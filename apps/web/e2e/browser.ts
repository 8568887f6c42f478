/** Helpers for the end-to-end tests: Debian's Chromium through playwright-core, a real hub. */
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { builtApp } from './built-app.js'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
// SwiftShader flags: the 3D preview needs WebGL without a GPU (see stl-preview.test.ts).
const ARGS = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export interface World {
  hub: { http: string; id: string; sample?: { designs: string[]; fork: string; proposal: string } | null }
  browser: Browser
  dir: string
  /** Stops the hub only (the browsers keep running). */
  stopHub(): Promise<void>
  stop(): Promise<void>
}

/**
 * Serves the built app (built once per run, `built-app.ts`) from a fresh hub (a child process) on
 * free ports. With `namespace`, the hub and Chromium both run inside that network namespace.
 */
export async function startWorld(options: { namespace?: string; chromiumArgs?: string[]; sample?: boolean } = {}): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmolocal-web-e2e-'))
  const webRoot = await builtApp(join(dir, 'dist'))
  const hubCommand = [process.execPath, fileURLToPath(new URL('./hub-process.ts', import.meta.url)), dir, webRoot, ...(options.sample ? ['--sample'] : [])]
  const inNamespace = (argv: string[]) => (options.namespace === undefined ? argv : ['ip', 'netns', 'exec', options.namespace, ...argv])
  const [command, ...args] = inNamespace(hubCommand)
  const child: ChildProcess = spawn(command!, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  const hub = await new Promise<World['hub']>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the hub process exited (${code}) before it was ready`)))
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as World['hub']))
  })
  let executablePath = CHROMIUM
  if (options.namespace !== undefined) {
    // Playwright starts the executable it is given: a wrapper that enters the namespace first.
    executablePath = join(dir, 'chromium-in-namespace.sh')
    await writeFile(executablePath, `#!/bin/sh\nexec ip netns exec ${options.namespace} ${CHROMIUM} "$@"\n`)
    await chmod(executablePath, 0o755)
  }
  const browser = await chromium.launch({ executablePath, args: [...ARGS, ...(options.chromiumArgs ?? [])] })
  let hubStopped: Promise<void> | undefined
  const stopHub = () =>
    (hubStopped ??= (async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.stdin?.end()
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      child.kill()
    })())
  return {
    hub,
    browser,
    dir,
    stopHub,
    async stop() {
      await browser.close().catch(() => {})
      await stopHub()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
/** A person in the tests: their own browser context, its page, and the console errors it logged. */
export type Person = Awaited<ReturnType<typeof openPerson>>

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

/**
 * A visitor makes their key from the identity page (the same dialog every first act opens: a
 * display name creates it); waits until the hub is a sync peer, then dismisses the backup prompt.
 */
export async function signUp(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Your key' }).click()
  await page.getByRole('main').getByRole('button', { name: 'Create my key' }).click()
  await createKey(page, name)
}

/** Fills the key dialog a first act opened, and waits for the peer on the new key. */
export async function createKey(page: Page, name: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Create your key' })
  await dialog.getByLabel('Your name').fill(name)
  await dialog.getByRole('button', { name: 'Create my key' }).click()
  await page.getByRole('navigation').getByRole('link', { name }).waitFor({ timeout: 30_000 })
  await page.getByRole('status', { name: 'Network status' }).getByText('hub connected').waitFor({ timeout: 30_000 })
  const later = page.getByRole('region', { name: 'Back up your key' }).getByRole('button', { name: 'Later' })
  if (await later.isVisible()) await later.click()
}

/** "Fork to edit", keeping the offered name; returns once the fork's page shows. */
export async function forkDesign(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Fork to edit' }).click()
  await page.getByRole('dialog', { name: /^Fork/ }).getByRole('button', { name: 'Fork' }).click()
  await page.getByText('You maintain this design').waitFor({ timeout: 30_000 })
}

/** Adds a step from the design page's "Add a step" form; returns once its heading shows. */
export async function addStep(page: Page, title: string, body: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Add a step' })
  await form.getByLabel('Step title').fill(title)
  await form.getByLabel('Instructions (Markdown)').fill(body)
  await form.getByRole('button', { name: 'Add step' }).click()
  await page.getByRole('heading', { level: 3, name: title }).waitFor({ timeout: 30_000 })
}

/** Creates a design with one BOM row; returns the design page's URL. */
export async function createDesign(page: Page, title: string, row: { name: string; quantity: string; material: string }): Promise<string> {
  await page.getByRole('navigation').getByRole('link', { name: 'New design' }).click()
  await page.getByRole('heading', { level: 1, name: 'New design' }).waitFor()
  await page.getByLabel('Title', { exact: true }).fill(title)
  await page.getByRole('button', { name: 'Create design' }).click()
  await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: 30_000 })
  await addBomRow(page, row)
  return page.url()
}

export async function addBomRow(page: Page, row: { name: string; quantity: string; material: string }): Promise<void> {
  await page.getByRole('button', { name: 'Add a part' }).click()
  const form = page.getByRole('form', { name: 'Add a part' })
  await form.getByRole('textbox', { name: 'Part' }).fill(row.name)
  await form.getByRole('textbox', { name: 'Quantity' }).fill(row.quantity)
  await form.getByRole('textbox', { name: 'Material' }).fill(row.material)
  await form.getByRole('button', { name: 'Add part' }).click()
  await page.locator('table').getByText(row.name).waitFor({ timeout: 30_000 })
}

/** The network status line's sync summary ("all designs in sync", "3 changes pending", …). */
export async function syncSummary(page: Page): Promise<string> {
  return ((await page.getByTestId('sync-summary').textContent()) ?? '').replace(/^·\s*/, '')
}
