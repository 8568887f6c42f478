// @vitest-environment node
/**
 * Offline, in Chromium against a real hub: alice edits a design with the network off, reloads the
 * page while still offline (the service worker serves the app, IndexedDB the design), sees how many
 * changes are pending, comes back online; bob, following the design, then sees her edit live. While
 * offline her browser holds no connection at all; back online it is reachable again, the same page
 * going offline and back a second time too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addBomRow, createDesign, hasChromium, openPerson, signUp, startWorld, syncSummary, type World } from './browser.js'

describe.skipIf(!hasChromium)('web app offline', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld()
  }, 180_000)
  afterAll(async () => {
    await world?.stop()
  })

  it('alice edits and reloads offline, then syncs; bob sees her edit', { timeout: 180_000 }, async () => {
    const alice = await openPerson(world)
    const a = alice.page
    await signUp(a, 'Alice')
    const designUrl = await createDesign(a, 'Offline bench', { name: 'Top board', quantity: '1', material: 'beech' })
    await expect.poll(() => syncSummary(a), { timeout: 30_000 }).toBe('all designs in sync')
    // The service worker has cached the app once it is active.
    await a.evaluate(async () => {
      await navigator.serviceWorker.ready
    })

    const bob = await openPerson(world)
    const b = bob.page
    await signUp(b, 'Bob')
    await b.goto(designUrl)
    await b.locator('table').getByText('Top board').waitFor({ timeout: 30_000 })

    await alice.context.setOffline(true)
    await a.getByRole('status', { name: 'Network status' }).getByText('offline').waitFor()
    // Offline means no connection at all, even where the browser would keep an open socket working.
    await a.getByText('Network details').click()
    await a.getByText('No open connections.').waitFor({ timeout: 10_000 })
    await a.getByText('Network details').click()
    await addBomRow(a, { name: 'Offline leg', quantity: '4', material: 'beech' })
    // One edit, one pending change (its record and its content change are one act).
    await expect.poll(() => syncSummary(a), { timeout: 30_000 }).toBe('1 change pending')

    await a.reload()
    await a.getByRole('heading', { level: 1, name: 'Offline bench' }).waitFor({ timeout: 30_000 })
    await a.locator('table').getByText('Offline leg').waitFor({ timeout: 30_000 })
    await expect.poll(() => syncSummary(a), { timeout: 30_000 }).toMatch(/^\d+ changes? pending$/)
    await a.getByText('Network details').click()
    await a.getByText('No open connections.').waitFor()
    await a.getByRole('list', { name: 'Design sync states' }).getByText(/Offline bench: changes not on the hub yet \(\d+ pending\)/).waitFor()
    expect(await b.locator('table').getByText('Offline leg').count()).toBe(0)

    await alice.context.setOffline(false)
    await a.getByRole('status', { name: 'Network status' }).getByText('hub connected').waitFor({ timeout: 30_000 })
    await b.locator('table').getByText('Offline leg').waitFor({ timeout: 30_000 })
    await expect.poll(() => syncSummary(a), { timeout: 30_000 }).toBe('all designs in sync')
    await a.getByText("Other browsers can reach this one through the hub's relay.").waitFor({ timeout: 30_000 })

    // Offline again, without a reload: the same node stops, then comes back as it started (the hub,
    // sync, and a slot on the hub's relay through which other browsers reach this one).
    await alice.context.setOffline(true)
    await a.getByRole('status', { name: 'Network status' }).getByText('offline').waitFor()
    await a.getByText('No open connections.').waitFor({ timeout: 10_000 })
    await a.getByText("Other browsers cannot reach this one yet (no slot on the hub's relay).").waitFor()
    await addBomRow(a, { name: 'Offline foot', quantity: '4', material: 'rubber' })
    await expect.poll(() => syncSummary(a), { timeout: 30_000 }).toMatch(/^\d+ changes? pending$/)
    expect(await b.locator('table').getByText('Offline foot').count()).toBe(0)

    await alice.context.setOffline(false)
    await a.getByRole('status', { name: 'Network status' }).getByText('hub connected').waitFor({ timeout: 30_000 })
    await b.locator('table').getByText('Offline foot').waitFor({ timeout: 30_000 })
    await expect.poll(() => syncSummary(a), { timeout: 30_000 }).toBe('all designs in sync')
    await a.getByText("Other browsers can reach this one through the hub's relay.").waitFor({ timeout: 30_000 })

    expect(alice.errors).toEqual([])
    expect(bob.errors).toEqual([])
  })
})
