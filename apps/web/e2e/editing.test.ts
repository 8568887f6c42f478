// @vitest-environment node
/**
 * Editing in place, end to end in Chromium against a real hub: alice edits her design's details
 * (title, summary, readme, tags, licence) and steps; bob, who is not a maintainer, is offered
 * "Fork to edit" instead of edit controls, forks (the lineage shows his fork under alice's design)
 * and proposes; alice comments; bob edits again and proposes again (revision 2), which alice sees
 * and accepts; bob's pages show the accepted design.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStep, createDesign, forkDesign, hasChromium, openPerson, signUp, startWorld, type World, type Person } from './browser.js'
import type { Page } from 'playwright-core'


const stepTitles = (page: Page) => page.getByRole('region', { name: 'Build steps' }).locator('ol.steps > li h3').allTextContents()

describe.skipIf(!hasChromium)('editing a design in place, forks, proposal revisions', () => {
  let world: World
  let alice: Person
  let bob: Person
  let designUrl = ''
  let forkUrl = ''
  let proposalUrl = ''
  beforeAll(async () => {
    world = await startWorld()
  }, 180_000)
  afterAll(async () => {
    await world?.stop()
  })

  it('alice edits title, summary, readme, tags, licence and a step in place', { timeout: 180_000 }, async () => {
    alice = await openPerson(world)
    const a = alice.page
    await signUp(a, 'Alice')
    designUrl = await createDesign(a, 'Frame loom', { name: 'Side bar', quantity: '2', material: 'oak' })

    await a.getByRole('button', { name: 'Edit details' }).click()
    const form = a.getByRole('form', { name: 'Edit details' })
    await form.getByLabel('Title', { exact: true }).fill('Tapestry loom')
    await form.getByLabel('Summary').fill('A loom for tapestry weaving')
    await form.getByLabel('Readme (Markdown)').fill('## Weaving\n\nUse **wool** warp.')
    await form.getByLabel('Tags (comma separated)').fill('weaving, Tapestry')
    const hardware = form.getByLabel('Hardware licence (SPDX)')
    await hardware.fill('CERN OHL S v2')
    // The reason shows next to the field as it is typed, with the SPDX id it probably means.
    await form.getByText('Did you mean CERN-OHL-S-2.0?').waitFor()
    expect(await hardware.getAttribute('aria-invalid')).toBe('true')
    await hardware.fill('cern-ohl-s-2.0')
    await form.getByText(/not an SPDX licence id/).waitFor({ state: 'detached' })
    await form.getByRole('button', { name: 'Save details' }).click()

    await a.getByRole('heading', { level: 1, name: 'Tapestry loom' }).waitFor({ timeout: 30_000 })
    await form.waitFor({ state: 'detached' })
    expect(await a.locator('.summary').textContent()).toBe('A loom for tapestry weaving')
    expect(await a.locator('.markdown strong').textContent()).toBe('wool')
    expect(await a.getByLabel('Tags').locator('.tag').allTextContents()).toEqual(['tapestry', 'weaving'])
    expect(await a.locator('.facts').textContent()).toContain('hardware CERN-OHL-S-2.0')

    await addStep(a, 'Cut the bars', 'Cut two bars.')
    await addStep(a, 'Sand', 'Sand every face.')
    await a.getByRole('button', { name: 'Edit step Cut the bars' }).click()
    const stepForm = a.getByRole('form', { name: 'Edit step Cut the bars' })
    await stepForm.getByLabel('Step title').fill('Cut the side bars')
    await stepForm.getByLabel('Instructions (Markdown)').fill('Cut **two** side bars, 60 cm.')
    await stepForm.getByRole('button', { name: 'Save step' }).click()
    await a.getByRole('heading', { level: 3, name: 'Cut the side bars' }).waitFor({ timeout: 30_000 })
    await a.getByRole('button', { name: 'Move step Sand up' }).click()
    await expect.poll(() => stepTitles(a), { timeout: 30_000 }).toEqual(['Sand', 'Cut the side bars'])

    // Everything was signed and stored: a reload shows it all.
    await a.reload()
    await a.getByRole('heading', { level: 1, name: 'Tapestry loom' }).waitFor({ timeout: 30_000 })
    await expect.poll(() => stepTitles(a), { timeout: 30_000 }).toEqual(['Sand', 'Cut the side bars'])
    // The history is read after the first paint (which may be the state last verified here).
    await expect.poll(() => a.getByRole('region', { name: 'History' }).textContent(), { timeout: 30_000 }).toContain('moved step "Sand"')
    expect(alice.errors).toEqual([])
  })

  it('bob, not a maintainer, is offered "Fork to edit"; he forks, and the lineage shows his fork under the upstream', { timeout: 180_000 }, async () => {
    bob = await openPerson(world)
    const b = bob.page
    await signUp(b, 'Bob')
    await b.goto(designUrl)
    await b.getByRole('heading', { level: 1, name: 'Tapestry loom' }).waitFor({ timeout: 30_000 })
    await b.getByRole('heading', { level: 3, name: 'Sand' }).waitFor({ timeout: 30_000 })
    expect(await b.getByRole('button', { name: 'Edit details' }).count()).toBe(0)
    expect(await b.getByRole('button', { name: /^Edit step/ }).count()).toBe(0)
    expect(await b.getByRole('form', { name: 'Add a step' }).count()).toBe(0)
    expect(await b.getByRole('button', { name: 'Add a part' }).count()).toBe(0)
    await forkDesign(b)
    forkUrl = b.url()
    expect(forkUrl).not.toBe(designUrl)
    const lineage = b.getByRole('region', { name: 'Lineage' })
    await lineage.getByRole('list', { name: 'Forked from' }).getByRole('link', { name: 'Tapestry loom' }).waitFor({ timeout: 30_000 })

    // A licence change that the upstream's share-alike licence may not allow: a warning, not a block.
    await b.getByRole('button', { name: 'Edit details' }).click()
    const form = b.getByRole('form', { name: 'Edit details' })
    await form.getByLabel('Hardware licence (SPDX)').fill('MIT')
    await form.getByRole('status', { name: 'Licence warnings' }).getByText(/CERN-OHL-S-2.0 is share-alike/).waitFor()
    await form.getByLabel('Hardware licence (SPDX)').fill('CERN-OHL-S-2.0')
    await form.getByRole('status', { name: 'Licence warnings' }).waitFor({ state: 'detached' })
    await form.getByRole('button', { name: 'Cancel' }).click()

    // On the upstream's page, the fork is listed under it.
    const a = alice.page
    await a.goto(designUrl)
    await a.reload()
    const forkLink = a.getByRole('region', { name: 'Lineage' }).getByRole('list', { name: 'Forks' }).locator(`a[href="${new URL(forkUrl).hash}"]`)
    await forkLink.waitFor({ timeout: 30_000 })
    expect(alice.errors).toEqual([])
    expect(bob.errors).toEqual([])
  })

  it('bob proposes, alice comments, bob edits and proposes again: alice accepts revision 2, and bob sees it', { timeout: 240_000 }, async () => {
    const b = bob.page
    const a = alice.page
    await addStep(b, 'Bolt the frame', 'Four M6 bolts.')
    await b.getByLabel('Proposal title').fill('Bolted frame')
    await b.getByLabel('Description').fill('Bolts instead of glue.')
    await b.getByRole('button', { name: 'Propose' }).click()
    await b.getByRole('heading', { level: 1, name: 'Bolted frame' }).waitFor({ timeout: 30_000 })
    proposalUrl = b.url()

    await a.goto(proposalUrl)
    await a.getByRole('heading', { level: 1, name: 'Bolted frame' }).waitFor({ timeout: 30_000 })
    // Names travel in the signed records: alice sees bob's chosen name, beside the end of his id.
    expect(await a.locator('h1 + p .person').textContent()).toMatch(/^Bob · …\S{6}$/)
    const discussion = a.getByRole('form', { name: 'Discuss this proposal' })
    await discussion.getByLabel('Your message').fill('Please add washers under the bolts.')
    await discussion.getByRole('button', { name: 'Post comment' }).click()
    const aliceTimeline = a.getByRole('list', { name: 'Revisions and discussion' })
    await aliceTimeline.getByText('Please add washers under the bolts.').waitFor({ timeout: 30_000 })
    expect(await aliceTimeline.locator('li.timeline-comment').first().textContent()).toMatch(/you commented/)

    // Bob's proposal page is live: alice's comment arrives.
    await b.getByRole('list', { name: 'Revisions and discussion' }).getByText('Please add washers under the bolts.').waitFor({ timeout: 30_000 })
    expect(await b.getByRole('list', { name: 'Revisions and discussion' }).locator('li.timeline-comment .person').first().textContent()).toMatch(/^Alice · …\S{6}$/)

    await b.getByRole('link', { name: 'the fork' }).click()
    await b.getByText('You maintain this design').waitFor({ timeout: 30_000 })
    await b.getByRole('button', { name: 'Edit step Bolt the frame' }).click()
    const stepForm = b.getByRole('form', { name: 'Edit step Bolt the frame' })
    await stepForm.getByLabel('Instructions (Markdown)').fill('Four M6 bolts, with washers.')
    await stepForm.getByRole('button', { name: 'Save step' }).click()
    await b.getByText('Four M6 bolts, with washers.').waitFor({ timeout: 30_000 })
    await b.getByRole('form', { name: 'Propose changes upstream' }).getByText(/as revision 2/).waitFor({ timeout: 30_000 })
    await b.getByLabel('Description').fill('Now with washers.')
    await b.getByRole('button', { name: 'Propose revision 2' }).click()
    await b.getByRole('heading', { level: 2, name: /Changes \(revision 2/ }).waitFor({ timeout: 30_000 })
    expect(b.url()).toBe(proposalUrl)

    // Alice's open proposal page shows revision 2 as it arrives; she reviews the latest.
    await a.getByRole('heading', { level: 2, name: /Changes \(revision 2/ }).waitFor({ timeout: 60_000 })
    await aliceTimeline.locator('li.timeline-revision').nth(1).getByText('Revision 2').waitFor()
    expect(await aliceTimeline.locator('li.timeline-revision').first().textContent()).toContain('superseded')
    await a.getByText('You review the latest revision, 2.').waitFor()
    await a.getByRole('region', { name: 'Build steps' }).getByText(/Bolt the frame/).first().waitFor({ timeout: 30_000 })
    await a.getByRole('button', { name: 'Accept and merge' }).click()
    await a.locator('h1 + p .status-accepted').waitFor({ timeout: 30_000 })

    // Bob's proposal page shows the acceptance live; the upstream design has his steps.
    await b.locator('h1 + p .status-accepted').waitFor({ timeout: 30_000 })
    await b.getByRole('link', { name: 'target design' }).click()
    await b.getByRole('heading', { level: 3, name: 'Bolt the frame' }).waitFor({ timeout: 30_000 })
    await b.getByText('Four M6 bolts, with washers.').waitFor({ timeout: 30_000 })
    expect(b.url()).toBe(designUrl)

    // Readable on a phone: nothing is wider than the screen.
    await b.setViewportSize({ width: 375, height: 800 })
    expect(await b.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    expect(alice.errors).toEqual([])
    expect(bob.errors).toEqual([])
  })
})
