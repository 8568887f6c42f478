// @vitest-environment node
/**
 * Attachments and Open Know-How, end to end in Debian's Chromium against a real hub: alice drops an
 * STL on her design and sees it in 3D; the hub keeps the file (fetched from alice's browser over
 * libp2p); bob, with alice gone, opens the design, sees the preview and downloads the exact bytes
 * (from the hub). Then an OKH-LOSH manifest is imported (warnings shown, the design opens) and the
 * design exported as a manifest that core's importer reads back.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { importOkh } from '@cosmolocal/core'
import { FsBlobStore } from '@cosmolocal/net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { binaryStl, cubeTriangles } from '../test/stl-samples.js'
import { hasChromium, CHROMIUM, openPerson, signUp as makeKey, startWorld, type World, type Person } from './browser.js'
import { coverage } from './pixels.js'

if (!hasChromium) console.warn(`web e2e: SKIPPED, ${CHROMIUM} is missing (apt-get install chromium to run them)`)

const OHLOOM = fileURLToPath(new URL('../../../packages/core/test/fixtures/okh/OHLOOM.okh.toml', import.meta.url))

async function signUp(world: World, name: string): Promise<Person> {
  const person = await openPerson(world)
  await makeKey(person.page, name)
  await person.page.getByRole('status').getByText('hub connected').waitFor({ timeout: 30_000 })
  return person
}

async function newDesign(p: Person, title: string): Promise<void> {
  const { page } = p
  await page.getByRole('navigation').getByRole('link', { name: 'New design' }).click()
  await page.getByRole('heading', { level: 1, name: 'New design' }).waitFor()
  await page.getByLabel('Title', { exact: true }).fill(title)
  await page.getByRole('button', { name: 'Create design' }).click()
  await page.getByRole('heading', { level: 1, name: title }).waitFor()
}

describe.skipIf(!hasChromium)('attachments and OKH in Chromium', () => {
  let world: World
  const people: Person[] = []
  beforeAll(async () => {
    world = await startWorld()
  }, 180_000)
  afterAll(async () => {
    for (const p of people) await p.context.close().catch(() => {})
    await world?.stop()
  })

  it('alice drops an STL and sees it in 3D; the hub keeps it; bob, with alice gone, gets the same bytes', { timeout: 180_000 }, async () => {
    const alice = await signUp(world, 'Alice')
    people.push(alice)
    await newDesign(alice, 'Printed clamp')
    const a = alice.page
    const stl = binaryStl(cubeTriangles(20))
    const hash = createHash('sha256').update(stl).digest('hex')

    // Drag and drop: a DataTransfer holding the file, dropped on the zone.
    const zone = a.getByRole('group', { name: 'Attach files' })
    const transfer = await a.evaluateHandle((bytes) => {
      const dt = new DataTransfer()
      dt.items.add(new File([new Uint8Array(bytes)], 'clamp.stl', { type: 'model/stl' }))
      return dt
    }, Array.from(stl))
    await zone.dispatchEvent('dragenter', { dataTransfer: transfer })
    await zone.dispatchEvent('drop', { dataTransfer: transfer })

    const files = a.getByRole('region', { name: 'Files' })
    await files.locator(`tr[data-state="available"]`).getByText('clamp.stl', { exact: true }).waitFor({ timeout: 30_000 })
    const canvas = a.getByRole('img', { name: '3D preview of clamp.stl' })
    await a.getByText('12 triangles, 20 × 20 × 20').waitFor({ timeout: 30_000 })
    const seen = await coverage(a, await canvas.screenshot())
    expect(seen.covered).toBeGreaterThan(0.05)
    expect(seen.shades).toBeGreaterThanOrEqual(2)
    const designUrl = a.url()

    // The hub fetches the file from alice's browser (its FileKeeper asks connected peers).
    const hubBlobs = new FsBlobStore(join(world.dir, 'blobs'))
    await expect.poll(() => hubBlobs.has(hash as never), { timeout: 60_000, interval: 250 }).toBe(true)
    expect(alice.errors).toEqual([])
    await alice.context.close()

    // Bob's browser reaches only the hub now: the bytes can come from nowhere else.
    const bob = await signUp(world, 'Bob')
    people.push(bob)
    const b = bob.page
    await b.goto(designUrl)
    await b.getByRole('heading', { level: 1, name: 'Printed clamp' }).waitFor({ timeout: 30_000 })
    await b.getByText('12 triangles, 20 × 20 × 20').waitFor({ timeout: 60_000 })
    const bobsView = b.getByRole('img', { name: '3D preview of clamp.stl' })
    await expect.poll(async () => (await coverage(b, await bobsView.screenshot())).covered, { timeout: 10_000 }).toBeGreaterThan(0.05)
    // Not a maintainer: no drop zone, a way to fork instead.
    expect(await b.getByRole('group', { name: 'Attach files' }).count()).toBe(0)
    await b.getByRole('button', { name: 'Fork to edit' }).waitFor()

    const [download] = await Promise.all([b.waitForEvent('download'), b.getByRole('button', { name: 'Download clamp.stl' }).click()])
    expect(download.suggestedFilename()).toBe('clamp.stl')
    const got = await readFile((await download.path())!)
    expect(createHash('sha256').update(got).digest('hex')).toBe(hash)
    expect(Buffer.compare(got, Buffer.from(stl))).toBe(0)
    expect(bob.errors).toEqual([])
  })

  it('imports a real OKH-LOSH manifest with its warnings, opens the design, and exports a manifest core reads back', { timeout: 120_000 }, async () => {
    const carol = await signUp(world, 'Carol')
    people.push(carol)
    const c = carol.page
    await c.getByRole('navigation').getByRole('link', { name: 'New design' }).click()
    await c.getByLabel('OKH manifest (okh.toml, okh.yml)').setInputFiles(OHLOOM)
    const warnings = c.getByRole('alert', { name: 'Import warnings' })
    await warnings.waitFor({ timeout: 30_000 })
    const text = (await warnings.textContent())!
    expect(text).toContain('Created “OHLOOM” (OKH-LOSH)')
    // The manifest's known defects, each reported.
    expect(text).toMatch(/okhv/)
    expect(text).toMatch(/OTLR-5/)
    await c.getByRole('button', { name: 'Open the new design' }).click()
    await c.getByRole('heading', { level: 1, name: 'OHLOOM' }).waitFor({ timeout: 30_000 })

    const [download] = await Promise.all([c.waitForEvent('download'), c.getByRole('button', { name: 'Export OKH manifest' }).click()])
    expect(download.suggestedFilename()).toBe('ohloom.okh.toml')
    const manifest = await readFile((await download.path())!, 'utf8')
    const back = importOkh(manifest, { syntax: 'toml' })
    expect(back.format).toBe('okh-losh')
    expect(back.design.title).toBe('OHLOOM')
    expect(back.design.licenses?.hardware ?? back.design.licenses?.documentation).toBe('CC-BY-SA-4.0')
    expect(back.design.licensor).toBe('Jens Meisner')
    expect(carol.errors).toEqual([])
  })
})
