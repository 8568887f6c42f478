/**
 * Attachments through the real `cosmo` binary: attach, list, get (from the home, a bundle, a hub),
 * with and without a running `cosmo serve`.
 */
import { randomBytes } from 'node:crypto'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, carry, cosmo, expectFailure, json, ok, person, Scratch } from './helpers.js'
import { Hubs } from './served.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

const hubs = new Hubs()
afterEach(() => hubs.stopAll())
/** Runs a hub on `home` and returns its libp2p TCP address. */
const serve = (home: string): Promise<string> => hubs.start(home)

async function fileWith(bytes: Uint8Array, name: string): Promise<string> {
  const path = join(await scratch.dir(), name)
  await writeFile(path, bytes)
  return path
}

describe('attachments in the CLI', () => {
  it('attach prints id and hash; files lists them; file get writes the same bytes; file rm removes the reference', async () => {
    const alice = await person(scratch, 'alice')
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    const bytes = randomBytes(3 * 1024 * 1024 + 5)
    const path = await fileWith(bytes, 'frame.stl')
    const attached = await json(alice.home, 'attach', design, path)
    expect(Object.keys(attached).sort()).toEqual(['hash', 'id'])
    expect(attached.hash).toMatch(/^[0-9a-f]{64}$/)
    const files = await json(alice.home, 'files', design)
    expect(files).toEqual([expect.objectContaining({ id: attached.id, name: 'frame.stl', role: 'mesh', mediaType: 'model/stl', size: bytes.length, hash: attached.hash, present: true })])
    const out = join(await scratch.dir(), 'copy.stl')
    await ok(alice.home, 'file', 'get', design, attached.id, '--out', out)
    expect((await readFile(out)).equals(bytes)).toBe(true)
    const { id: photo } = await json(alice.home, 'attach', design, await fileWith(randomBytes(10), 'x.bin'), '--role', 'photo', '--name', 'Side view')
    expect((await json(alice.home, 'files', design)).map((f: any) => [f.name, f.role])).toEqual([['frame.stl', 'mesh'], ['Side view', 'photo']])
    await ok(alice.home, 'file', 'rm', design, photo)
    expect((await json(alice.home, 'files', design)).map((f: any) => f.name)).toEqual(['frame.stl'])
  })

  it('refuses an unknown role, a missing file and a non-maintainer, with one line each', async () => {
    const { alice, bob, design } = await (async () => {
      const [alice, bob] = [await person(scratch, 'alice'), await person(scratch, 'bob')]
      const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
      await carry(scratch, alice, bob, design)
      return { alice, bob, design: design as string }
    })()
    const path = await fileWith(randomBytes(100), 'a.stl')
    expectFailure(await cosmo(alice.home, 'attach', design, path, '--role', 'video'), 5, /role must be one of cad, mesh, drawing, photo, document/)
    expectFailure(await cosmo(alice.home, 'attach', design, join(await scratch.dir(), 'nope.stl')), 4, /no such file/)
    expectFailure(await cosmo(bob.home, 'attach', design, path), 3, /not a maintainer/)
  })

  it('a bundle carries the file bytes, and a fork shares them without copying', async () => {
    const [alice, bob] = [await person(scratch, 'alice'), await person(scratch, 'bob')]
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    const bytes = randomBytes(2 * 1024 * 1024)
    const { id } = await json(alice.home, 'attach', design, await fileWith(bytes, 'frame.step'))
    await carry(scratch, alice, bob, design)
    const out = join(await scratch.dir(), 'frame.step')
    await ok(bob.home, 'file', 'get', design, id, '--out', out)
    expect((await readFile(out)).equals(bytes)).toBe(true)
    // bob forks: the fork shares the file by hash, no bytes are copied
    const blobsBefore = await readdir(join(bob.home, 'blobs', 'sha256'), { recursive: true })
    const { design: fork } = await json(bob.home, 'fork', design)
    expect((await json(bob.home, 'files', fork)).map((f: any) => f.present)).toEqual([true])
    expect(await readdir(join(bob.home, 'blobs', 'sha256'), { recursive: true })).toEqual(blobsBefore)
  })

  it('through a hub: the hub keeps the attachment alice synced, bob pulls it, and attach / file get run inside a running serve', async () => {
    const hub = await person(scratch, 'hub')
    const hubAddr = await serve(hub.home)
    const [alice, bob] = [await person(scratch, 'alice'), await person(scratch, 'bob')]
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    const bytes = randomBytes(5 * 1024 * 1024 + 3)
    const { id, hash } = await json(alice.home, 'attach', design, await fileWith(bytes, 'frame.step'))
    const pushed = await json(alice.home, 'sync', '--peer', hubAddr)
    expect(pushed.filesThere).toBe(1)
    // the hub keeps it on disk, under its hash
    expect((await readFile(join(hub.home, 'blobs', 'sha256', hash.slice(0, 2), hash))).equals(bytes)).toBe(true)

    // bob follows the design: pull brings its files
    const pulled = await json(bob.home, 'pull', design, '--peer', hubAddr)
    expect(pulled.files).toBe(1)
    expect((await json(bob.home, 'files', design))[0].present).toBe(true)

    // carol's home holds the design but lost the bytes: file get needs a peer, and fetches from the hub
    const carol = await person(scratch, 'carol')
    await ok(carol.home, 'pull', design, '--peer', hubAddr)
    await rm(join(carol.home, 'blobs'), { recursive: true })
    const out = join(await scratch.dir(), 'carol.step')
    expectFailure(await cosmo(carol.home, 'file', 'get', design, id, '--out', out), 4, /not in this home: give --peer/)
    const got = await json(carol.home, 'file', 'get', design, id, '--out', out, '--peer', hubAddr)
    expect(got.fetched).toBe(true)
    expect((await readFile(out)).equals(bytes)).toBe(true)

    // Commands on the hub's own home run inside serve (control socket): attach and file get.
    const { design: hubDesign } = await json(hub.home, 'design', 'new', '--title', 'Hub design')
    const more = randomBytes(1024 * 1024 + 9)
    const { id: hubFile } = await json(hub.home, 'attach', hubDesign, await fileWith(more, 'more.pdf'))
    const hubOut = join(await scratch.dir(), 'more.pdf')
    await ok(hub.home, 'file', 'get', hubDesign, hubFile, '--out', hubOut)
    expect((await readFile(hubOut)).equals(more)).toBe(true)
    // a bundle exported through the running hub carries the file too
    const dave = await person(scratch, 'dave')
    const daveBundle = join(await scratch.dir(), 'hub.bundle')
    await ok(hub.home, 'bundle', 'export', hubDesign, '--out', daveBundle)
    const daveNoBytes = await json(dave.home, 'bundle', 'import', daveBundle)
    expect(daveNoBytes.files).toHaveLength(1)
  })
})
