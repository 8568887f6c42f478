// @vitest-environment node
/**
 * The browser keeps verified state in IndexedDB (core's sealed cache): a design opened once is
 * read from it on the next visit, and an entry edited in IndexedDB is not believed (the design is
 * verified again from its history and shows the same).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDesign, hasChromium, openPerson, signUp, startWorld, type World } from './browser.js'

/** The keys and bytes in the `cosmolocal-cache` database, read in the page. */
const READ_CACHE = async () =>
  await new Promise<[string, number[]][]>((resolve, reject) => {
    const req = indexedDB.open('cosmolocal-cache')
    req.onerror = () => reject(req.error)
    req.onsuccess = () => {
      const tx = req.result.transaction('entries', 'readonly')
      const store = tx.objectStore('entries')
      const keys = store.getAllKeys()
      const values = store.getAll()
      tx.oncomplete = () => resolve(keys.result.map((k, i) => [String(k), Array.from(values.result[i] as Uint8Array)]))
      tx.onerror = () => reject(tx.error)
    }
  })

describe.skipIf(!hasChromium)('verified state cached in the browser', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld()
  }, 180_000)
  afterAll(async () => {
    await world?.stop()
  })

  it('is kept in IndexedDB, and an edited entry is rebuilt from history', { timeout: 180_000 }, async () => {
    const alice = await openPerson(world)
    const a = alice.page
    await signUp(a, 'Alice')
    const url = await createDesign(a, 'Cached bench', { name: 'Top board', quantity: '1', material: 'beech' })
    const id = url.split('/').pop()!
    await expect.poll(async () => (await a.evaluate(READ_CACHE)).some(([k]) => k === `design/${id}`), { timeout: 30_000 }).toBe(true)
    // Damage every entry (the secret aside) as a faulty disk or a meddling extension would.
    await a.evaluate(async () => {
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('cosmolocal-cache')
        req.onsuccess = () => {
          const tx = req.result.transaction('entries', 'readwrite')
          const store = tx.objectStore('entries')
          const cursor = store.openCursor()
          cursor.onsuccess = () => {
            const c = cursor.result
            if (c === null) return
            if (c.key !== 'secret') {
              const bytes = new Uint8Array(c.value as Uint8Array)
              bytes[bytes.length >> 1]! ^= 0xff
              c.update(bytes)
            }
            c.continue()
          }
          tx.oncomplete = () => resolve()
          tx.onerror = () => reject(tx.error)
        }
      })
    })
    const damaged = await a.evaluate(READ_CACHE)
    await a.reload()
    await a.getByRole('heading', { level: 1, name: 'Cached bench' }).waitFor({ timeout: 30_000 })
    await a.locator('table').getByText('Top board').waitFor({ timeout: 30_000 })
    // Rebuilt: the design's entry was written again, sealed afresh.
    await expect
      .poll(async () => {
        const now = await a.evaluate(READ_CACHE)
        const before = damaged.find(([k]) => k === `design/${id}`)?.[1].join()
        return now.find(([k]) => k === `design/${id}`)?.[1].join() !== before
      }, { timeout: 30_000 })
      .toBe(true)
    expect(alice.errors).toEqual([])
  })
})
