/**
 * `cosmo doctor`, and what a command does when it meets a damaged chunk: the 0-byte snapshot an
 * interrupted import once left is set aside and reported, never read as an empty document, and
 * the document comes back from the bundle it came from.
 */
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, cosmo, json, ok, person, Scratch } from './helpers.js'

beforeAll(assertBuilt)
const scratch = new Scratch()
afterAll(() => scratch.cleanup())

describe('cosmo doctor', () => {
  it('finds nothing wrong in a sound home', async () => {
    const alice = await person(scratch, 'alice')
    await json(alice.home, 'design', 'new', '--title', 'Loom')
    const report = await json(alice.home, 'doctor')
    expect(report).toMatchObject({ documents: 3, setAside: 0, quarantined: [], refetch: [] })
    expect((await ok(alice.home, 'doctor')).stdout).toMatch(/3 documents checked, 0 damaged chunks set aside\nnothing to fetch again/)
  })

  it('an emptied snapshot is set aside and reported, the document is listed to fetch again, and a re-import mends it', async () => {
    const alice = await person(scratch, 'alice')
    const bob = await person(scratch, 'bob')
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    const bundle = join(await scratch.dir(), 'loom.bundle')
    await ok(alice.home, 'bundle', 'export', design, '--out', bundle)
    await ok(bob.home, 'bundle', 'import', bundle)
    const id = design.replace('automerge:', '')
    const snapshots = join(bob.home, 'repo', id.slice(0, 2), id.slice(2), 'snapshot')
    for (const f of await readdir(snapshots)) await writeFile(join(snapshots, f), '')

    const shown = await cosmo(bob.home, 'design', 'show', design)
    expect(shown.code).toBe(4)
    expect(shown.stderr).toMatch(new RegExp(`^cosmo: note: a damaged chunk of ${id} \\(empty, 0 bytes\\) was left out, set aside in ${bob.home}/repo-quarantine/\\S+\\.chunk; \`cosmo doctor\` lists what to fetch again\n`))
    const report = await json(bob.home, 'doctor')
    expect(report.quarantined).toMatchObject([{ document: design, problem: 'empty', bytes: 0 }])
    expect(report.refetch).toEqual([{ document: design, reason: 'all-chunks-set-aside' }])
    expect((await ok(bob.home, 'doctor')).stdout).toMatch(new RegExp(`to fetch again .*\n  ${design}  every chunk of it was damaged and set aside`))

    await ok(bob.home, 'bundle', 'import', bundle)
    expect((await json(bob.home, 'design', 'show', design)).title).toBe('Loom')
    const after = await json(bob.home, 'doctor')
    expect(after.refetch).toEqual([])
    // The set-aside bytes stay in the quarantine (nothing is deleted), listed for a person to remove.
    expect(after.quarantined).toHaveLength(1)
  })
})
