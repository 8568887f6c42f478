// @vitest-environment node
/**
 * Identity across devices, in Chromium against a real hub: alice exports her key file; on a
 * second device (a fresh browser context) she imports it, is the same person, and maintains her
 * design there. A file that is not a key is refused with a clear message and changes nothing.
 * And when the hub goes away, the app says so instead of failing silently.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDesign, hasChromium, openPerson, signUp, startWorld, type World } from './browser.js'

describe.skipIf(!hasChromium)('identity in Chromium', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld()
  }, 180_000)
  afterAll(async () => {
    await world?.stop()
  })

  it("alice exports her key, imports it on a second device, and maintains her design there", { timeout: 180_000 }, async () => {
    const laptop = await openPerson(world)
    const a = laptop.page
    await signUp(a, 'Alice')
    const designUrl = await createDesign(a, 'Spindle', { name: 'Whorl', quantity: '1', material: 'ash' })

    await a.getByRole('navigation').getByRole('link', { name: 'Alice' }).click()
    await a.getByText('Your key is not backed up yet.').waitFor()
    await a.getByRole('heading', { level: 1, name: 'Your identity' }).waitFor()
    const id = (await a.getByTestId('my-id').textContent())?.trim()
    expect(id).toMatch(/^12D3KooW/)
    const [download] = await Promise.all([a.waitForEvent('download'), a.getByRole('button', { name: 'Export key file' }).click()])
    expect(download.suggestedFilename()).toBe('cosmolocal-key-Alice.json')
    const keyFile = join(world.dir, 'alice-key.json')
    await download.saveAs(keyFile)
    expect(JSON.parse(await readFile(keyFile, 'utf8'))).toMatchObject({ version: 1, id, name: 'Alice' })
    // Backed up: the reminder goes.
    await a.getByText('Your key is not backed up yet.').waitFor({ state: 'detached' })

    // The second device: first visit, and a file that is not a key first.
    const phone = await openPerson(world)
    const p = phone.page
    await p.getByRole('navigation').getByRole('link', { name: 'Your key' }).click()
    await p.getByRole('heading', { level: 1, name: 'Your identity' }).waitFor()
    const notAKey = join(world.dir, 'not-a-key.json')
    await writeFile(notAKey, '{"hello": "world"}')
    await p.getByLabel('Import a key file').setInputFiles(notAKey)
    await p.getByRole('alert').waitFor()
    expect(await p.getByRole('navigation').getByRole('link', { name: 'Your key' }).count()).toBe(1)
    expect(await p.evaluate(() => localStorage.getItem('cosmolocal/identity'))).toBeNull()

    await p.getByLabel('Import a key file').setInputFiles(keyFile)
    await p.getByRole('navigation').getByRole('link', { name: 'Alice' }).click()
    await p.getByRole('heading', { level: 1, name: 'Your identity' }).waitFor()
    expect((await p.getByTestId('my-id').textContent())?.trim()).toBe(id)

    // Same person: she maintains the design here too (it comes from the hub).
    await p.goto(designUrl)
    await p.getByRole('heading', { level: 1, name: 'Spindle' }).waitFor({ timeout: 30_000 })
    await p.getByText('You maintain this design').waitFor({ timeout: 30_000 })
    expect(laptop.errors).toEqual([])
    expect(phone.errors).toEqual([])
    await laptop.context.close()
    await phone.context.close()
  })

  it('says the hub is unreachable when it goes away, and a design this browser never held is unavailable', { timeout: 180_000 }, async () => {
    const person = await openPerson(world)
    const page = person.page
    await signUp(page, 'Carol')
    // The service worker keeps the app loadable without its server.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await world.stopHub()
    await page.reload()
    await page.getByRole('status', { name: 'Network status' }).getByText(/hub unreachable/).waitFor({ timeout: 60_000 })
    await page.goto(new URL('#/design/automerge%3A2nEmEzAARm3tHPF2GEc4m4F1G3yv', page.url()).href)
    await page.getByRole('heading', { level: 1, name: 'Design unavailable' }).waitFor({ timeout: 60_000 })
    await page.getByRole('alert').getByText(/not in this store/).waitFor()
    // Failed loads of the hub's address are the browser's own console lines; nothing else failed.
    expect(person.errors.filter((e) => !/ERR_CONNECTION_REFUSED/.test(e))).toEqual([])
    await person.context.close()
  })
})
