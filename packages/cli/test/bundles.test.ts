import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, cosmo, expectFailure, json, ok, person, Scratch } from './helpers.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

describe('bundles', () => {
  it('refuses truncated, altered and foreign files with exit 5 and imports nothing', async () => {
    const alice = await person(scratch, 'alice')
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    await ok(alice.home, 'bom', 'add', design, '--name', 'frame', '--quantity', '4')
    const dir = await scratch.dir()
    const good = join(dir, 'loom.bundle')
    const exported = await json(alice.home, 'bundle', 'export', design, '--out', good)
    expect(exported).toEqual({ out: good, documents: 3, files: 0, missing: [] })
    const bytes = await readFile(good)

    const truncated = join(dir, 'truncated.bundle')
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
    const flipped = join(dir, 'flipped.bundle')
    const altered = Buffer.from(bytes)
    const at = Math.floor(altered.length / 2)
    altered[at] = altered[at]! ^ 0x01
    await writeFile(flipped, altered)
    const foreign = join(dir, 'notes.txt')
    await writeFile(foreign, 'these are not the designs you are looking for\n')

    const carol = join(await scratch.dir(), 'carol')
    expect(await json(carol, 'design', 'list')).toEqual([])
    for (const file of [truncated, flipped, foreign]) {
      expectFailure(await cosmo(carol, 'bundle', 'import', file), 5, /bundle/)
      const r = await cosmo(carol, '--json', 'bundle', 'import', file)
      expect(r.code).toBe(5)
      expect(r.json.error.name).toBe('BundleError')
      expect(await json(carol, 'design', 'list')).toEqual([])
      expectFailure(await cosmo(carol, 'design', 'show', design), 4)
    }

    // The intact bundle imports, and the design is listed.
    const imported = await json(carol, 'bundle', 'import', good)
    expect(imported).toEqual({ imported: [design], designs: [design], exportedBy: alice.id, files: [] })
    expect(await json(carol, 'design', 'list')).toEqual([{ design, title: 'Loom', maintainer: false }])
    expect((await json(carol, 'design', 'show', design)).bom.map((r: { name: string }) => r.name)).toEqual(['frame'])
  })

  it('reports a missing bundle file as not found (exit 4)', async () => {
    const home = join(await scratch.dir(), 'dave')
    expectFailure(await cosmo(home, 'bundle', 'import', join(home, 'nowhere.bundle')), 4, /no such bundle file/)
  })
})
