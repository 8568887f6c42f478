import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseToml } from 'smol-toml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aliceAndBob, assertBuilt, carry, cosmo, expectFailure, json, ok, person, Scratch } from './helpers.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

const FIXTURES = fileURLToPath(new URL('../../core/test/fixtures/okh/', import.meta.url))

describe('cosmo import okh / export okh', () => {
  it('imports an OKH-LOSH manifest: prints the URL on stdout and each problem as a warning on stderr', async () => {
    const alice = await person(scratch, 'alice')
    const r = await ok(alice.home, 'import', 'okh', join(FIXTURES, 'OHLOOM.okh.toml'))
    const url = r.stdout.trim()
    expect(url).toMatch(/^automerge:/)
    expect(r.stderr).toMatch(/^warning: okhv: "2\.0" is not "OKH-LOSHv1\.0"/m)
    expect(r.stderr).toMatch(/^warning: technology-readiness-level: "OTLR-5" is misspelt/m)
    const shown = await json(alice.home, 'design', 'show', url)
    expect(shown).toMatchObject({ title: 'OHLOOM', version: '0.10.0', licensor: 'Jens Meisner', languages: ['en-GB'], licenses: { hardware: 'CC-BY-SA-4.0' } })
    expect(shown.parts).toHaveLength(10)
    expect((await json(alice.home, 'design', 'list')).map((d: { design: string }) => d.design)).toContain(url)
  })

  it('imports an OKH v1 manifest with --json: the design, the format and the warnings', async () => {
    const alice = await person(scratch, 'alice')
    const out = await json(alice.home, 'import', 'okh', join(FIXTURES, 'openflexure-microscope.okh.yml'))
    expect(out.format).toBe('okh-v1')
    expect(out.warnings).toContainEqual({ path: 'license.hardware', problem: 'not an SPDX id; read as CERN-OHL-1.2' })
    const shown = await json(alice.home, 'design', 'show', out.design)
    expect(shown.licenses).toEqual({ hardware: 'CERN-OHL-1.2', documentation: 'GPL-3.0-only', software: 'GPL-3.0-only' })
  })

  it('exports a valid OKH-LOSH manifest that imports back to the same design', async () => {
    const alice = await person(scratch, 'alice')
    const url = (await ok(alice.home, 'import', 'okh', join(FIXTURES, 'PlanktoScope.okh.toml'))).stdout.trim()
    const file = join(await scratch.dir(), 'okh.toml')
    expect((await json(alice.home, 'export', 'okh', url, '--out', file)).warnings).toEqual([])
    const manifest = parseToml(await readFile(file, 'utf8')) as Record<string, unknown>
    expect(manifest).toMatchObject({ okhv: 'OKH-LOSHv1.0', name: 'PlanktoScope', repo: 'https://github.com/PlanktoScope/PlanktoScope', license: 'CERN-OHL-S-2.0' })
    const again = (await ok(alice.home, 'import', 'okh', file)).stdout.trim()
    const [a, b] = [await json(alice.home, 'design', 'show', url), await json(alice.home, 'design', 'show', again)]
    const strip = (d: any) => ({ ...d, design: null, heads: null, parts: d.parts.map(({ id: _, ...p }: any) => p), software: d.software.map(({ id: _, ...s }: any) => s) })
    expect(strip(b)).toEqual(strip(a))
  })

  it('refuses a file that is not a manifest with one clear line, and a missing file', async () => {
    const alice = await person(scratch, 'alice')
    const junk = join(await scratch.dir(), 'junk.toml')
    await writeFile(junk, 'this = is = not toml\n')
    expectFailure(await cosmo(alice.home, 'import', 'okh', junk), 5, /not an Open Know-How manifest: its TOML cannot be read/)
    expectFailure(await cosmo(alice.home, 'import', 'okh', join(await scratch.dir(), 'none.toml')), 4, /no such manifest file/)
  })
})

describe('licence warnings', () => {
  it('warns when a fork relicenses share-alike hardware permissively, without blocking it', async () => {
    const { bob, design } = await aliceAndBob(scratch)
    const r = await cosmo(bob.home, '--json', 'fork', design, '--hardware-license', 'MIT')
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/licence warning \(hardware\): CERN-OHL-S-2\.0 is share-alike/)
    expect(r.json.licenceWarnings).toEqual([expect.objectContaining({ field: 'hardware', before: 'CERN-OHL-S-2.0', after: 'MIT', problem: 'share-alike' })])
    expect((await json(bob.home, 'design', 'show', r.json.design)).licenses.hardware).toBe('MIT')
  })

  it('warns on design edit and on propose, and shows the warning in the maintainer\'s diff', async () => {
    const { alice, bob, design, fork } = await aliceAndBob(scratch)
    const edited = await cosmo(bob.home, '--json', 'design', 'edit', fork, '--hardware-license', 'CERN-OHL-P-2.0')
    expect(edited.stderr).toMatch(/licence warning \(hardware\)/)
    expect(edited.json.licenceWarnings[0]).toMatchObject({ problem: 'share-alike', licences: ['CERN-OHL-S-2.0'] })
    const proposed = await cosmo(bob.home, '--json', 'propose', '--from', fork, '--to', design, '--title', 'Permissive')
    expect(proposed.code).toBe(0)
    expect(proposed.stderr).toMatch(/licence warning \(hardware\)/)
    expect(proposed.json.licenceWarnings).toHaveLength(1)
    await carry(scratch, bob, alice, proposed.json.proposal)
    const diff = await json(alice.home, 'diff', proposed.json.proposal)
    expect(diff.licenceWarnings).toEqual([expect.objectContaining({ field: 'hardware', before: 'CERN-OHL-S-2.0', after: 'CERN-OHL-P-2.0', problem: 'share-alike' })])
    expect((await ok(alice.home, 'diff', proposed.json.proposal)).stdout).toMatch(/LICENCE WARNINGS \(1\)/)
  })

  it('says nothing when a permissive design becomes share-alike', async () => {
    const alice = await person(scratch, 'alice')
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Hinge', '--hardware-license', 'MIT')
    const r = await ok(alice.home, 'design', 'edit', design, '--hardware-license', 'CERN-OHL-S-2.0', '--licensor', 'Alice', '--trl', 'OTRL-3', '--meta', 'repo=https://example.org/hinge')
    expect(r.stderr).toBe('')
    expect(await json(alice.home, 'design', 'show', design)).toMatchObject({ licensor: 'Alice', readiness: { technology: 'OTRL-3' }, meta: { repo: 'https://example.org/hinge' } })
  })
})
