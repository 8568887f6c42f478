// @vitest-environment node
/**
 * StlPreview in Debian's Chromium: a test-only page (e2e/fixtures/stl-preview) built by Vite shows
 * real STL files; screenshots of the canvas must show a lit mesh, the keyboard must turn it and
 * "Reset view" bring it back; a malformed file must say why. The build also shows that three.js
 * is a chunk of its own, fetched only when a preview appears.
 *
 * WebGL: Chromium here has no GPU and draws WebGL with SwiftShader (software). Chromium 156 falls
 * back to it by itself even with --disable-gpu; `--enable-unsafe-swiftshader` keeps that fallback
 * on Chromium builds that only allow it when asked, and `--use-angle=swiftshader` picks it directly.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { build, preview, type PreviewServer } from 'vite'
import solid from 'vite-plugin-solid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asciiStl, binaryStl, cubeTriangles } from '../test/stl-samples.js'
import { CHROMIUM, hasChromium } from './browser.js'
import { coverage } from './pixels.js'

if (!hasChromium) console.warn(`web e2e: SKIPPED, ${CHROMIUM} is missing (apt-get install chromium to run them)`)

const ARGS = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const FIXTURE = fileURLToPath(new URL('./fixtures/stl-preview/', import.meta.url))

interface Chunk {
  file: string
  bytes: number
  gzipped: number
  three: boolean
}

/** The share of pixels that differ noticeably between two screenshots of the same size. */
async function difference(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([a64, b64]) => {
      const read = async (b64: string) => {
        const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob())
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!
        ctx.drawImage(bitmap, 0, 0)
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data
      }
      const [x, y] = [await read(a64!), await read(b64!)]
      if (x.length !== y.length) return 1
      let differ = 0
      for (let i = 0; i < x.length; i += 4) {
        if (Math.max(Math.abs(x[i]! - y[i]!), Math.abs(x[i + 1]! - y[i + 1]!), Math.abs(x[i + 2]! - y[i + 2]!)) > 24) differ++
      }
      return differ / (x.length / 4)
    },
    [a.toString('base64'), b.toString('base64')],
  )
}

describe.skipIf(!hasChromium)('StlPreview in Chromium', () => {
  let dir: string
  let server: PreviewServer
  let browser: Browser
  let url: string
  const chunks: Chunk[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cosmolocal-stl-e2e-'))
    const outDir = join(dir, 'dist')
    await build({ configFile: false, root: FIXTURE, plugins: [solid()], logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2048 } })
    for (const file of await readdir(join(outDir, 'assets'))) {
      if (!file.endsWith('.js')) continue
      const path = join(outDir, 'assets', file)
      const text = await readFile(path)
      chunks.push({ file, bytes: text.byteLength, gzipped: gzipSync(text).byteLength, three: text.includes('isWebGLRenderer') })
    }
    server = await preview({ configFile: false, root: FIXTURE, logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } })
    const address = server.httpServer.address()
    if (address === null || typeof address === 'string') throw new Error('the preview server has no port')
    url = `http://127.0.0.1:${address.port}/`
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  }, 180_000)

  afterAll(async () => {
    await browser?.close().catch(() => {})
    await new Promise<void>((r) => (server ? server.httpServer.close(() => r()) : r()))
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  async function open() {
    const page = await browser.newPage({ viewport: { width: 800, height: 700 } })
    const errors: string[] = []
    const requested: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('request', (r) => requested.push(new URL(r.url()).pathname))
    await page.goto(url)
    await page.locator('body[data-ready="true"]').waitFor()
    return { page, errors, requested }
  }

  const show = (page: Page, bytes: Uint8Array, name: string) =>
    page.evaluate(([b, n]) => (window as unknown as { fixture: { show(b: number[], n: string): void } }).fixture.show(b as number[], n as string), [Array.from(bytes), name])

  it('three.js is a separate chunk, fetched only when a preview is shown', async () => {
    const three = chunks.filter((c) => c.three)
    const entry = chunks.filter((c) => !c.three)
    console.info(`stl-preview chunks: ${chunks.map((c) => `${c.file} ${(c.bytes / 1024).toFixed(1)} KiB (${(c.gzipped / 1024).toFixed(1)} KiB gzipped)${c.three ? ' (three.js)' : ''}`).join(', ')}`)
    expect(three).toHaveLength(1)
    expect(entry.length).toBeGreaterThan(0)

    const { page, errors, requested } = await open()
    expect(requested.some((p) => p.endsWith(three[0]!.file))).toBe(false)
    await show(page, binaryStl(cubeTriangles()), 'cube.stl')
    await page.getByText('12 triangles').waitFor({ timeout: 30_000 })
    expect(requested.some((p) => p.endsWith(three[0]!.file))).toBe(true)
    expect(errors).toEqual([])
    await page.close()
  })

  it('draws a binary STL, lit, fitted to the view; the keyboard turns it and Reset view restores it', async () => {
    const { page, errors } = await open()
    await show(page, binaryStl(cubeTriangles(20)), 'cube.stl')
    await page.getByText('12 triangles, 20 × 20 × 20 (file units, usually mm)').waitFor({ timeout: 30_000 })
    const canvas = page.getByRole('img', { name: '3D preview of cube.stl' })
    const first = await canvas.screenshot()
    const seen = await coverage(page, first)
    // A fitted cube covers a good part of the view; three visible faces are lit differently.
    expect(seen.covered).toBeGreaterThan(0.1)
    expect(seen.covered).toBeLessThan(0.9)
    expect(seen.shades).toBeGreaterThanOrEqual(3)

    await canvas.focus()
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowUp')
    const turned = await canvas.screenshot()
    expect(await difference(page, first, turned)).toBeGreaterThan(0.02)
    expect((await coverage(page, turned)).covered).toBeGreaterThan(0.1)

    await page.keyboard.press('-')
    const smaller = await coverage(page, await canvas.screenshot())
    expect(smaller.covered).toBeLessThan((await coverage(page, turned)).covered)

    await page.getByRole('button', { name: 'Reset view' }).click()
    expect(await difference(page, first, await canvas.screenshot())).toBeLessThan(0.005)

    // Shift+arrows pan: the picture moves, the mesh stays the same size.
    await canvas.focus()
    await page.keyboard.press('Shift+ArrowLeft')
    await page.keyboard.press('Shift+ArrowLeft')
    const panned = await canvas.screenshot()
    expect(await difference(page, first, panned)).toBeGreaterThan(0.02)
    expect(Math.abs((await coverage(page, panned)).covered - seen.covered)).toBeLessThan(0.02)
    await page.keyboard.press('0')
    // Without the focus ring, which the first screenshot did not have either.
    await canvas.blur()
    expect(await difference(page, first, await canvas.screenshot())).toBeLessThan(0.005)
    expect(errors).toEqual([])
    await page.close()
  })

  it('draws an ASCII STL and follows its container when the window is resized', async () => {
    const { page, errors } = await open()
    await show(page, asciiStl(cubeTriangles(5)), 'cube-ascii.stl')
    await page.getByText('12 triangles, 5 × 5 × 5').waitFor({ timeout: 30_000 })
    const canvas = page.getByRole('img', { name: '3D preview of cube-ascii.stl' })
    expect((await coverage(page, await canvas.screenshot())).covered).toBeGreaterThan(0.1)

    const before = await canvas.evaluate((c: HTMLCanvasElement) => c.width)
    await page.setViewportSize({ width: 420, height: 700 })
    await page.waitForFunction((w) => (document.querySelector('canvas') as HTMLCanvasElement).width < w, before)
    expect((await coverage(page, await canvas.screenshot())).covered).toBeGreaterThan(0.1)
    expect(errors).toEqual([])
    await page.close()
  })

  it('says why a malformed STL cannot be shown, and frees the canvas when it goes away', async () => {
    const { page, errors } = await open()
    await show(page, binaryStl(cubeTriangles()), 'cube.stl')
    await page.getByText('12 triangles').waitFor({ timeout: 30_000 })
    const old = await page.locator('canvas').elementHandle()
    expect(await old!.evaluate((c: HTMLCanvasElement) => c.getContext('webgl2')!.isContextLost())).toBe(false)
    const junk = new Uint8Array(400).map((_, i) => (i * 37) & 0xff)
    await show(page, junk, 'broken.stl')
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toMatch(/^broken\.stl is not a valid STL file: .*may be truncated or not an STL at all\.$/)
    expect(await page.locator('canvas').count()).toBe(0)
    // The previous preview gave its WebGL context back rather than waiting for garbage collection.
    expect(await old!.evaluate((c: HTMLCanvasElement) => c.getContext('webgl2')!.isContextLost())).toBe(true)
    expect(await page.locator('.stl-stage').isVisible()).toBe(false)

    await show(page, new TextEncoder().encode('solid empty\nendsolid empty\n'), 'empty.stl')
    expect(await page.getByRole('alert').textContent()).toContain('holds no facets')
    expect(errors).toEqual([])
    await page.close()
  })
})
