// @vitest-environment node
/**
 * Two browsers connect directly over WebRTC, signalled through the hub's relay, and a design's
 * edits flow over that connection (alice having gone offline and back first): once it is up, the
 * hub is stopped and alice's next edit still reaches bob live. As root the hub and Chromium run in a network namespace the test creates
 * (headless Chromium gathers no ICE candidate on loopback alone); otherwise directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// The namespace helper is the net package's own test helper (the Node WebRTC tests use it too).
import { canCreateNamespaces, createNamespace, deleteNamespace } from '../../../packages/net/test/webrtc/netns.js'
import { addBomRow, createDesign, hasChromium, openPerson, signUp, startWorld, type World } from './browser.js'

describe.skipIf(!hasChromium)('web app over WebRTC', () => {
  let world: World
  let namespace: string | undefined
  beforeAll(async () => {
    // A name prefix and /24 of our own, so this runs alongside the Node WebRTC tests.
    namespace = canCreateNamespaces() ? await createNamespace({ prefix: 'cosmo-web-', subnet: '10.213.0' }) : undefined
    // Host candidates as plain addresses: there is no mDNS responder inside the namespace.
    world = await startWorld({ namespace, chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns'] })
  }, 180_000)
  afterAll(async () => {
    await world?.stop()
    if (namespace !== undefined) await deleteNamespace(namespace)
  })

  it("two browsers sync a design directly over WebRTC, the hub's relay carrying only signalling", { timeout: 180_000 }, async () => {
    const alice = await openPerson(world)
    await signUp(alice.page, 'Alice')
    const designUrl = await createDesign(alice.page, 'Drum carder', { name: 'Licker-in drum', quantity: '1', material: 'birch' })
    // Alice goes offline and back first: her node, stopped and started again, must be reachable
    // through the hub's relay as it was at start-up.
    await alice.page.getByText('Network details').click()
    await alice.context.setOffline(true)
    await alice.page.getByText('No open connections.').waitFor({ timeout: 10_000 })
    await alice.context.setOffline(false)
    await alice.page.getByRole('status', { name: 'Network status' }).getByText('hub connected').waitFor({ timeout: 30_000 })
    await alice.page.getByText("Other browsers can reach this one through the hub's relay.").waitFor({ timeout: 30_000 })

    const bob = await openPerson(world)
    const b = bob.page
    await signUp(b, 'Bob')
    await b.goto(designUrl)
    await b.locator('table').getByText('Licker-in drum').waitFor({ timeout: 30_000 })
    // Viewing alice's design, bob's browser dials her through the hub's relay; the connection it
    // ends up with is a direct WebRTC one (the network details list each connection's transport).
    await b.getByText('Network details').click()
    const aliceLink = b.getByRole('list', { name: 'Connections' }).locator(`li[data-peer="${await alice.page.evaluate(() => JSON.parse(localStorage.getItem('cosmolocal/identity')!).id as string)}"]`)
    await aliceLink.and(b.locator('[data-transport="webrtc"]')).first().waitFor({ timeout: 60_000 })
    await aliceLink.getByText('syncing').first().waitFor({ timeout: 30_000 })

    // Without the hub, the edit can only travel over the direct connection.
    await world.stopHub()
    await addBomRow(alice.page, { name: 'Worker roller', quantity: '2', material: 'birch' })
    await b.locator('table').getByText('Worker roller').waitFor({ timeout: 30_000 })

    // Once the hub is gone the browsers' attempts to reach it fail, as they should: those are the
    // only console errors allowed.
    const unexpected = (errors: string[]) => errors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection to .* failed/.test(e))
    expect(unexpected(alice.errors)).toEqual([])
    expect(unexpected(bob.errors)).toEqual([])
  })
})
