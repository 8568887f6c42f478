// @vitest-environment node
/**
 * Forks as living branches, end to end in Chromium against a real hub: bob's fork says it is
 * adapted for Nairobi (KE), carol's adds a hinge; alice adds a step upstream. Bob's open fork page
 * offers "Update from upstream (1 change)", previews the diff, and applies it; carol's fork shows
 * how far it is from the upstream (1 ahead, 1 behind); carol proposes her hinge to bob's fork (a
 * sibling), which bob sees; the catalogue shows and filters by place; alice rejects carol's
 * hinge proposed upstream, and carol's lineage flags the rejected changes her fork still carries.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStep, addBomRow, createDesign, forkDesign, hasChromium, openPerson, signUp, startWorld, type World, type Person } from './browser.js'


/** The ahead / behind the lineage shows beside "this design". */
async function selfCounts(page: Page): Promise<{ ahead: string | null; behind: string | null }> {
  const here = page.getByRole('region', { name: 'Lineage' }).getByRole('list', { name: 'This design and its forks' }).locator(':scope > li > .ahead-behind')
  if ((await here.count()) === 0) return { ahead: null, behind: null }
  return { ahead: await here.getAttribute('data-ahead'), behind: await here.getAttribute('data-behind') }
}

describe.skipIf(!hasChromium)('forks stay alive: update from upstream, propose to a sibling, ahead / behind, place', () => {
  let world: World
  let alice: Person
  let bob: Person
  let carol: Person
  let designUrl = ''
  let bobFork = ''
  let carolFork = ''
  beforeAll(async () => {
    world = await startWorld()
  }, 180_000)
  afterAll(async () => {
    await world?.stop()
  })

  it('bob forks and adapts for Nairobi; carol forks and adds a hinge; alice adds a step upstream', { timeout: 240_000 }, async () => {
    alice = await openPerson(world)
    const a = alice.page
    await signUp(a, 'Alice')
    designUrl = await createDesign(a, 'Frame loom', { name: 'Side bar', quantity: '2', material: 'oak' })

    bob = await openPerson(world)
    const b = bob.page
    await signUp(b, 'Bob')
    await b.goto(designUrl)
    await b.getByRole('heading', { level: 1, name: 'Frame loom' }).waitFor({ timeout: 60_000 })
    await forkDesign(b)
    bobFork = b.url()
    await b.getByRole('button', { name: 'Edit details' }).click()
    const form = b.getByRole('form', { name: 'Edit details' })
    await form.getByLabel('Adapted for (place)').fill('Nairobi, Kibera workshop')
    await form.getByLabel('Country or region code (ISO 3166)').fill('ke')
    await form.getByRole('button', { name: 'Save details' }).click()
    await b.getByText('Adapted for Nairobi, Kibera workshop · KE').waitFor({ timeout: 30_000 })
    // Up to date with its upstream: nothing to take in.
    expect(await b.getByRole('button', { name: /^Update from upstream/ }).count()).toBe(0)

    carol = await openPerson(world)
    const c = carol.page
    await signUp(c, 'Carol')
    await c.goto(designUrl)
    await c.getByRole('heading', { level: 1, name: 'Frame loom' }).waitFor({ timeout: 60_000 })
    await forkDesign(c)
    carolFork = c.url()
    await addBomRow(c, { name: 'Brass hinge', quantity: '2', material: 'brass' })

    await addStep(a, 'Oil the frame', 'Two coats of linseed oil.')
    expect(alice.errors).toEqual([])
    expect(bob.errors).toEqual([])
    expect(carol.errors).toEqual([])
  })

  it("bob's open fork page offers the update, previews the diff first, and applies it", { timeout: 180_000 }, async () => {
    const b = bob.page
    const update = b.getByRole('button', { name: 'Update from upstream (1 change)' })
    await update.waitFor({ timeout: 60_000 })
    await update.click()
    const section = b.getByRole('region', { name: 'Update from upstream' })
    await section.getByText(/Oil the frame/).first().waitFor()
    // Previewed, not applied: the fork's steps do not have it yet.
    expect(await b.getByRole('region', { name: 'Build steps' }).getByRole('heading', { name: 'Oil the frame' }).count()).toBe(0)
    await section.getByRole('button', { name: 'Take these changes and sign' }).click()
    await b.getByRole('region', { name: 'Build steps' }).getByRole('heading', { level: 3, name: 'Oil the frame' }).waitFor({ timeout: 30_000 })
    await section.waitFor({ state: 'detached', timeout: 30_000 })
    // Its own adaptation stays.
    await b.getByText('Adapted for Nairobi, Kibera workshop · KE').waitFor()
    await expect.poll(async () => (await selfCounts(b)).behind, { timeout: 30_000 }).toBe('0')
    expect(bob.errors).toEqual([])
  })

  it("carol's fork is 1 ahead and 1 behind; she proposes her hinge to bob's fork, a sibling, and bob sees it", { timeout: 180_000 }, async () => {
    const c = carol.page
    await c.goto(carolFork)
    await c.getByRole('heading', { level: 1, name: /Carol's fork/ }).waitFor({ timeout: 60_000 })
    await expect.poll(() => selfCounts(c), { timeout: 60_000 }).toEqual({ ahead: '1', behind: '1' })

    // She looks at bob's fork first: the lineage then holds it, and it is a design she may propose to.
    await c.goto(bobFork)
    await c.getByRole('heading', { level: 1, name: /Bob's fork/ }).waitFor({ timeout: 60_000 })
    await c.getByRole('heading', { level: 3, name: 'Oil the frame' }).waitFor({ timeout: 60_000 })
    await c.goto(carolFork)
    await c.getByRole('heading', { level: 1, name: /Carol's fork/ }).waitFor({ timeout: 60_000 })
    const form = c.getByRole('form', { name: 'Propose changes upstream' })
    const target = form.getByLabel('Propose to…')
    await target.locator('option', { hasText: 'sibling' }).waitFor({ state: 'attached', timeout: 60_000 })
    await target.selectOption({ label: "Frame loom (Bob's fork) (sibling)" })
    await form.getByRole('heading', { name: 'Propose your changes to a related design' }).waitFor()
    await form.getByLabel('Proposal title').fill('Brass hinge')
    await form.getByLabel('Description').fill('Hinges make it fold.')
    await form.getByRole('button', { name: 'Propose' }).click()
    await c.getByRole('heading', { level: 1, name: 'Brass hinge' }).waitFor({ timeout: 60_000 })
    await c.getByRole('link', { name: 'target design' }).click()
    await c.getByRole('heading', { level: 1, name: /Bob's fork/ }).waitFor({ timeout: 60_000 })

    const b = bob.page
    await b.getByRole('link', { name: 'Brass hinge' }).waitFor({ timeout: 60_000 })
    expect(carol.errors).toEqual([])
    expect(bob.errors).toEqual([])
  })

  it('the catalogue shows where each design is adapted for, and filters by place', { timeout: 120_000 }, async () => {
    const a = alice.page
    await a.getByRole('navigation').getByRole('link', { name: 'Cosmolocal' }).click()
    const grid = a.getByRole('list', { name: 'Designs' })
    const bobCard = grid.getByRole('article').filter({ hasText: "Bob's fork" })
    await expect
      .poll(
        async () => {
          await a.reload()
          await grid.getByRole('article').first().waitFor({ timeout: 30_000 })
          return await grid.getByRole('article').count()
        },
        { timeout: 90_000, interval: 2_000 },
      )
      .toBe(3)
    await bobCard.getByText('Adapted for Nairobi, Kibera workshop · KE').waitFor({ timeout: 30_000 })
    await a.getByLabel('Adapted for (place or country code)').fill('KE')
    await expect.poll(() => grid.getByRole('article').count()).toBe(1)
    await bobCard.waitFor()
    await a.getByLabel('Adapted for (place or country code)').fill('nairobi')
    await expect.poll(() => grid.getByRole('article').count()).toBe(1)
    expect(alice.errors).toEqual([])
  })

  it("carol proposes her hinge upstream too; alice rejects it; carol's lineage flags the rejected changes her fork still carries", { timeout: 240_000 }, async () => {
    const c = carol.page
    const a = alice.page
    await c.goto(carolFork)
    await c.getByRole('heading', { level: 1, name: /Carol's fork/ }).waitFor({ timeout: 60_000 })
    expect(await c.getByRole('region', { name: 'Lineage' }).getByText('carries rejected changes').count()).toBe(0)
    const form = c.getByRole('form', { name: 'Propose changes upstream' })
    await form.getByLabel('Propose to…').selectOption({ label: 'Frame loom (upstream)' })
    await form.getByLabel('Proposal title').fill('Hinged frame')
    await form.getByRole('button', { name: 'Propose' }).click()
    await c.getByRole('heading', { level: 1, name: 'Hinged frame' }).waitFor({ timeout: 60_000 })
    const proposalUrl = c.url()

    await a.goto(proposalUrl)
    await a.getByRole('heading', { level: 1, name: 'Hinged frame' }).waitFor({ timeout: 60_000 })
    await a.getByRole('form', { name: 'Review' }).getByRole('button', { name: 'Reject' }).click({ timeout: 60_000 })
    await a.locator('h1 + p .status-rejected').waitFor({ timeout: 60_000 })
    await c.locator('h1 + p .status-rejected').waitFor({ timeout: 60_000 })

    await c.goto(carolFork)
    const flag = c.getByRole('region', { name: 'Lineage' }).getByRole('list', { name: 'This design and its forks' }).getByText('carries rejected changes')
    await expect
      .poll(
        async () => {
          await c.reload()
          await c.getByRole('heading', { level: 1, name: /Carol's fork/ }).waitFor({ timeout: 60_000 })
          await c.getByRole('region', { name: 'Lineage' }).locator('.ahead-behind').first().waitFor({ timeout: 60_000 })
          return await flag.count()
        },
        { timeout: 120_000, interval: 2_000 },
      )
      .toBe(1)
    expect(carol.errors).toEqual([])
    expect(alice.errors).toEqual([])
  })
})
