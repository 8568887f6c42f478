// @vitest-environment node
/**
 * A design this browser holds renders from IndexedDB before the network half of the peer is even
 * loaded: when its title is first in the DOM, the page has fetched neither the network chunk
 * (libp2p, WebRTC, the sync and blob protocols) nor the hub's address (asked for once the node is
 * up), and marked / DOMPurify are not loaded for a design without Markdown, nor the SPDX licence
 * names. The network then starts by itself: the hub connects and the design stays in sync, as
 * before.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDesign, hasChromium, openPerson, signUp, startWorld, syncSummary, type World } from './browser.js'

const TITLE = 'First render bench'

/** Runs in the page before its scripts: notes what had been fetched when the title first showed. */
function noteLoadsAtTitle(title: string): void {
  const w = window as unknown as { __loadedAtTitle?: string[] }
  const observer = new MutationObserver(() => {
    if (!Array.from(document.querySelectorAll('h1')).some((h) => h.textContent === title)) return
    observer.disconnect()
    w.__loadedAtTitle = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
  })
  observer.observe(document, { childList: true, subtree: true, characterData: true })
}

/** Every path the page has fetched so far. */
const loaded = async (page: Page) => await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname))

describe.skipIf(!hasChromium)('first render of a design held in this browser', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld()
  }, 180_000)
  afterAll(async () => {
    await world?.stop()
  })

  it('shows the design before the network chunk is loaded, then connects', { timeout: 180_000 }, async () => {
    const alice = await openPerson(world)
    const a = alice.page
    await signUp(a, 'Alice')
    await createDesign(a, TITLE, { name: 'Top board', quantity: '1', material: 'beech' })
    await expect.poll(() => syncSummary(a), { timeout: 30_000 }).toBe('all designs in sync')
    const network = (await loaded(a)).filter((p) => /^\/assets\/network-[\w-]+\.js$/.test(p))
    expect(network).toHaveLength(1)

    await alice.context.addInitScript(noteLoadsAtTitle, TITLE)
    await a.reload()
    await a.getByRole('heading', { level: 1, name: TITLE }).waitFor({ timeout: 30_000 })
    const atTitle = await a.evaluate(() => (window as unknown as { __loadedAtTitle?: string[] }).__loadedAtTitle)
    expect(atTitle).toBeDefined()
    // The page had its own code and the wasm, nothing of the network, and no Markdown renderer.
    expect(atTitle!.some((p) => /^\/assets\/App-[\w-]+\.js$/.test(p))).toBe(true)
    expect(atTitle!.some((p) => p.endsWith('.wasm'))).toBe(true)
    expect(atTitle).not.toContain(network[0])
    expect(atTitle).not.toContain('/api/hub')
    expect(atTitle!.filter((p) => /^\/assets\/markdown-render-/.test(p))).toEqual([])
    // Nor the SPDX licence names (only reading a licence written as a name needs them).
    const scripts = atTitle!.filter((p) => p.endsWith('.js'))
    for (const path of scripts) {
      const js = await (await fetch(new URL(path, world.hub.http))).text()
      expect(js.includes('Creative Commons Attribution Share Alike 4.0 International'), path).toBe(false)
    }

    // Then the network comes up on its own: its chunk loads, the hub connects, sync goes on.
    await a.getByRole('status', { name: 'Network status' }).getByText('hub connected').waitFor({ timeout: 30_000 })
    expect(await loaded(a)).toContain(network[0])
    await a.locator('table').getByText('Top board').waitFor({ timeout: 30_000 })
    await expect.poll(() => syncSummary(a), { timeout: 30_000 }).toBe('all designs in sync')
    // Reading the design, as opposed to editing its licences, never fetches the SPDX names.
    expect((await loaded(a)).filter((p) => /^\/assets\/licence-names-/.test(p))).toEqual([])
    expect(alice.errors).toEqual([])
  })
})
