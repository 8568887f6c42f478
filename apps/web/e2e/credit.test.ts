// @vitest-environment node
/**
 * Who made this, end to end in Chromium against a real hub: alice's design under the Peer
 * Production License credits her in its Contributors panel; bob reports a build with a photo from
 * Nairobi ("I made this"); alice's open page shows it in the Made-it gallery and credits bob, the
 * hub's catalogue counts the make, and bob's person page lists it. Bob forks and relicenses his
 * fork to MIT: a visitor (no key, neither maintainer nor reviewer) sees the licence notice.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDesign, forkDesign, hasChromium, openPerson, signUp, startWorld, syncSummary, type World, type Person } from './browser.js'


// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

describe.skipIf(!hasChromium)('contributions, build reports and the licence notice', () => {
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

  it('alice licenses her design under the PPL; the Contributors panel credits her', { timeout: 180_000 }, async () => {
    alice = await openPerson(world)
    const a = alice.page
    await signUp(a, 'Alice')
    designUrl = await createDesign(a, 'Frame loom', { name: 'Side bar', quantity: '2', material: 'oak' })
    await a.getByRole('button', { name: 'Edit details' }).click()
    const form = a.getByRole('form', { name: 'Edit details' })
    await form.getByLabel('Hardware licence (SPDX)').fill('LicenseRef-PPL')
    await form.getByRole('button', { name: 'Save details' }).click()
    await form.waitFor({ state: 'detached', timeout: 30_000 })
    const panel = a.getByRole('table', { name: 'Contributors' })
    const row = panel.locator('tbody tr', { hasText: 'you' })
    await row.getByText('maintainer').waitFor({ timeout: 30_000 })
    // Parts: the row she introduced (the second count column).
    expect((await row.locator('td').nth(1).textContent())?.trim()).toBe('1')
    expect(await a.getByRole('note', { name: 'Licence notice' }).count()).toBe(0)
    expect(alice.errors).toEqual([])
  })

  it('bob reports a build with a photo; alice sees it live in the gallery, credited, and the catalogue counts it', { timeout: 240_000 }, async () => {
    bob = await openPerson(world)
    const b = bob.page
    await signUp(b, 'Bob')
    await b.goto(designUrl)
    await b.getByRole('heading', { level: 1, name: 'Frame loom' }).waitFor({ timeout: 60_000 })
    await b.getByRole('button', { name: 'I made this' }).click()
    const form = b.getByRole('form', { name: 'I made this' })
    await form.getByLabel('Where you built it').fill('Nairobi, KE')
    await form.getByLabel('How it went').selectOption({ label: 'It works, with issues' })
    await form.getByLabel('What you changed').fill('Beech instead of oak')
    const photo = join(world.dir, 'loom.png')
    await writeFile(photo, PNG)
    await form.getByLabel('Photos').setInputFiles(photo)
    await form.getByRole('button', { name: 'Report my build' }).click()
    const bobReports = b.getByRole('list', { name: 'Build reports' })
    await bobReports.getByText('Beech instead of oak').waitFor({ timeout: 30_000 })
    await expect.poll(() => syncSummary(b), { timeout: 60_000 }).toBe('all designs in sync')

    const a = alice.page
    const reports = a.getByRole('list', { name: 'Build reports' })
    const report = reports.getByRole('listitem').filter({ hasText: 'Nairobi, KE' })
    await report.waitFor({ timeout: 60_000 })
    expect(await report.textContent()).toContain('works, with issues')
    expect(await report.textContent()).toContain('Beech instead of oak')
    // The photo came from bob's browser or the hub, by hash, and shows in the gallery.
    await report.getByRole('button', { name: 'View loom.png larger' }).waitFor({ timeout: 60_000 })
    const bobRow = a.getByRole('table', { name: 'Contributors' }).locator('tbody tr', { hasText: 'Bob' })
    await bobRow.waitFor({ timeout: 30_000 })
    // Makes: the eighth count column.
    expect((await bobRow.locator('td').nth(7).textContent())?.trim()).toBe('1')

    await a.getByRole('navigation').getByRole('link', { name: 'Cosmolocal' }).click()
    const card = a.getByRole('article').filter({ hasText: 'Frame loom' })
    await expect
      .poll(
        async () => {
          await a.reload()
          await card.waitFor({ timeout: 30_000 })
          return await card.locator('.card-meta').textContent()
        },
        { timeout: 90_000, interval: 2_000 },
      )
      .toContain('made once')

    // Bob's person page, seen from alice's browser, lists his build.
    await a.goto(designUrl)
    await bobRow.getByRole('link').first().click()
    await a.getByRole('list', { name: 'Builds they reported' }).getByText(/Frame loom/).waitFor({ timeout: 60_000 })
    expect(await a.getByRole('list', { name: 'Contributions' }).textContent()).toContain('1 make')
    expect(alice.errors).toEqual([])
    expect(bob.errors).toEqual([])
  })

  it('bob relicenses his fork to MIT: a visitor who maintains and reviews nothing sees the licence notice', { timeout: 240_000 }, async () => {
    const b = bob.page
    await b.goto(designUrl)
    await b.getByRole('heading', { level: 1, name: 'Frame loom' }).waitFor({ timeout: 60_000 })
    await forkDesign(b)
    const forkUrl = b.url()
    await b.getByRole('button', { name: 'Edit details' }).click()
    const form = b.getByRole('form', { name: 'Edit details' })
    await form.getByLabel('Hardware licence (SPDX)').fill('MIT')
    await form.getByRole('button', { name: 'Save details' }).click()
    await form.waitFor({ state: 'detached', timeout: 30_000 })
    await b.getByRole('note', { name: 'Licence notice' }).waitFor({ timeout: 30_000 })
    // The visitor finds the fork on the hub: once the hub has acknowledged it.
    await expect.poll(() => syncSummary(b), { timeout: 60_000 }).toBe('all designs in sync')

    const visitor = await openPerson(world)
    const v = visitor.page
    await v.goto(forkUrl)
    await v.getByRole('heading', { level: 1, name: /Frame loom/ }).waitFor({ timeout: 60_000 })
    const notice = v.getByRole('note', { name: 'Licence notice' })
    await notice.waitFor({ timeout: 60_000 })
    expect(await notice.textContent()).toContain('LicenseRef-PPL')
    expect(await notice.getByRole('link', { name: 'Frame loom' }).count()).toBe(1)
    expect(await v.evaluate(() => localStorage.getItem('cosmolocal/identity'))).toBeNull()
    expect(visitor.errors).toEqual([])
  })
})
