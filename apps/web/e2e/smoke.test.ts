// @vitest-environment node
/**
 * End to end, in Debian's Chromium against a real hub: alice creates an identity and a design with
 * a BOM row; bob, in a second browser context, finds it in the catalogue and opens it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, CHROMIUM, forkDesign, openPerson, signUp, startWorld, type World, type Person } from './browser.js'

if (!hasChromium) console.warn(`web e2e: SKIPPED, ${CHROMIUM} is missing (apt-get install chromium to run them)`)


/** The canonical heads the hub's catalogue lists for the design a page URL shows. */
async function hubHeads(pageUrl: string): Promise<string[] | null> {
  const url = new URL(pageUrl)
  const id = decodeURIComponent(url.hash.replace('#/design/', ''))
  const entries = (await (await fetch(new URL('/api/catalogue', url.origin))).json()) as { design: string; heads: string[] }[]
  return entries.find((e) => e.design === id)?.heads ?? null
}

describe.skipIf(!hasChromium)('web app in Chromium', () => {
  let world: World
  let alice: Person
  let bob: Person
  let designUrl = ''
  beforeAll(async () => {
    world = await startWorld()
  }, 180_000)
  afterAll(async () => {
    await world?.stop()
  })

  it('alice publishes a design with a BOM row; bob finds it in the catalogue', { timeout: 180_000 }, async () => {
    await alice?.context.close()
    await bob?.context.close()
    alice = await openPerson(world)
    const { page } = alice
    await signUp(page, 'Alice')

    await page.getByRole('navigation').getByRole('link', { name: 'New design' }).click()
    // exact: getByLabel matches substrings, and the catalogue's search box ("Search by title, …")
    // may still be on screen for a moment after the click.
    await page.getByRole('heading', { level: 1, name: 'New design' }).waitFor()
    await page.getByLabel('Title', { exact: true }).fill('Frame loom')
    await page.getByLabel('Summary').fill('A small tapestry loom')
    await page.getByLabel('Tags (comma separated)').fill('weaving, loom')
    await page.getByLabel('Readme (Markdown)').fill('## Making it\n\nBuild it **with oak**.<script>alert(1)</script>')
    await page.getByRole('button', { name: 'Create design' }).click()
    await page.getByRole('heading', { level: 1, name: 'Frame loom' }).waitFor()
    expect(await page.locator('.markdown strong').textContent()).toBe('with oak')
    expect(await page.locator('.markdown script').count()).toBe(0)

    await page.getByRole('button', { name: 'Add a part' }).click()
    const form = page.getByRole('form', { name: 'Add a part' })
    await form.getByRole('textbox', { name: 'Part' }).fill('Side bar')
    await form.getByRole('textbox', { name: 'Quantity' }).fill('two')
    await form.getByRole('button', { name: 'Add part' }).click()
    await form.getByText('A quantity is a number').waitFor()
    expect(await form.getByRole('textbox', { name: 'Part' }).inputValue()).toBe('Side bar')
    await form.getByRole('textbox', { name: 'Quantity' }).fill('2')
    await form.getByRole('textbox', { name: 'Material' }).fill('oak')
    await form.getByRole('button', { name: 'Add part' }).click()
    await page.locator('table').getByText('Side bar').waitFor()
    await page.screenshot({ path: `${world.dir}/../cosmolocal-web-design.png`, fullPage: true })
    designUrl = page.url()

    bob = await openPerson(world)
    await signUp(bob.page, 'Bob')
    await bob.page.getByRole('link', { name: 'Cosmolocal' }).click()
    await bob.page.getByLabel('Search by title, tag, part or material').fill('oak')
    await bob.page.getByRole('link', { name: 'Frame loom' }).click({ timeout: 30_000 })
    await bob.page.locator('table').getByText('Side bar').waitFor({ timeout: 30_000 })
    expect(bob.page.url()).toBe(designUrl)
    await bob.page.getByRole('button', { name: 'Fork to edit' }).waitFor()

    expect(alice.errors).toEqual([])
    expect(bob.errors).toEqual([])
  })

  it("bob forks, adds a row and proposes; alice reads the diff and accepts; bob's page shows the accepted design live", async () => {
    const b = bob.page
    await forkDesign(b)
    expect(b.url()).not.toBe(designUrl)
    await b.getByRole('button', { name: 'Add a part' }).click()
    const form = b.getByRole('form', { name: 'Add a part' })
    await form.getByRole('textbox', { name: 'Part' }).fill('Bolt M6x40')
    await form.getByRole('textbox', { name: 'Quantity' }).fill('4')
    await form.getByRole('textbox', { name: 'Material' }).fill('steel')
    await form.getByRole('button', { name: 'Add part' }).click()
    await b.locator('table').getByText('Bolt M6x40').waitFor()
    await b.getByLabel('Proposal title').fill('Bolted frame')
    await b.getByLabel('Description').fill('Bolts instead of glue.')
    await b.getByRole('button', { name: 'Propose' }).click()
    await b.getByRole('heading', { level: 1, name: 'Bolted frame' }).waitFor({ timeout: 30_000 })
    // Bob follows the upstream design (a route change, not a reload) while alice reviews.
    await b.getByRole('link', { name: 'target design' }).click()
    await b.getByRole('heading', { level: 1, name: 'Frame loom' }).waitFor({ timeout: 30_000 })
    await b.locator('table').getByText('Side bar').waitFor({ timeout: 30_000 })

    const a = alice.page
    await a.goto(designUrl)
    await a.reload()
    await a.getByRole('link', { name: 'Bolted frame' }).click({ timeout: 30_000 })
    const bom = a.getByRole('region', { name: 'Bill of materials' })
    await bom.getByText(/Bolt M6x40/).waitFor({ timeout: 30_000 })
    expect(await bom.locator('li.added').textContent()).toContain('Bolt M6x40: 4 pcs, steel')
    await a.screenshot({ path: `${world.dir}/../cosmolocal-web-review.png`, fullPage: true })
    const before = await hubHeads(designUrl)
    await a.getByLabel('Comment').fill('Thanks!')
    await a.getByRole('button', { name: 'Accept and merge' }).click()
    await a.locator('.status-accepted').waitFor({ timeout: 30_000 })
    // The merge reaches the hub (its catalogue lists the design's new canonical heads).
    await expect.poll(() => hubHeads(designUrl), { timeout: 30_000, interval: 200 }).not.toEqual(before)

    // Alice's own page shows the merged design at once.
    await a.goto(designUrl)
    await a.locator('table').getByText('Bolt M6x40').waitFor({ timeout: 30_000 })
    // Bob's page, open on the upstream design all along, shows the accepted design live.
    expect(b.url()).toBe(designUrl)
    await b.locator('table').getByText('Bolt M6x40').waitFor({ timeout: 30_000 })
    // Readable on a phone: nothing but the BOM table (which scrolls in its own box) is wider than the screen.
    await b.setViewportSize({ width: 375, height: 800 })
    expect(await b.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await b.screenshot({ path: `${world.dir}/../cosmolocal-web-phone.png` })

    expect(alice.errors).toEqual([])
    expect(bob.errors).toEqual([])
  }, 180_000)
})
