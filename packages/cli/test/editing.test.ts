import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, cosmo, expectFailure, json, ok, person, Scratch } from './helpers.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

describe('editing a design', () => {
  it('edits fields, BOM rows and steps, each as a signed record', async () => {
    const alice = await person(scratch, 'alice')
    const { design } = await json(
      alice.home, 'design', 'new', '--title', 'Loom', '--summary', 'a loom',
      '--hardware-license', 'CERN-OHL-S-2.0', '--tag', 'Textile', '--tag', 'wood',
    )
    const edited = await json(alice.home, 'design', 'edit', design, '--version', '1.1', '--readme', '# Loom\nweave', '--docs-license', 'CC-BY-SA-4.0')
    expect(edited).toEqual({ design, heads: [expect.stringMatching(/^[0-9a-f]{64}$/)] })

    const { id: frame } = await json(alice.home, 'bom', 'add', design, '--name', 'frame', '--quantity', '4', '--unit', 'pcs', '--material', 'oak')
    const { id: cord } = await json(alice.home, 'bom', 'add', design, '--name', 'cord', '--quantity', '2.5', '--unit', 'm', '--notes', 'cotton')
    const { id: peg } = await json(alice.home, 'bom', 'add', design, '--name', 'peg', '--quantity', '12', '--before', cord)
    await ok(alice.home, 'bom', 'move', design, frame)
    await ok(alice.home, 'bom', 'set', design, cord, '--quantity', '3', '--material', 'cotton')
    await ok(alice.home, 'bom', 'rm', design, peg)
    const { id: cut } = await json(alice.home, 'step', 'add', design, '--title', 'Cut', '--body', 'cut the oak')
    const { id: glue } = await json(alice.home, 'step', 'add', design, '--title', 'Glue', '--body', 'glue it')
    await ok(alice.home, 'step', 'set', design, cut, '--body', 'cut the oak to length')
    await ok(alice.home, 'step', 'rm', design, glue)
    expectFailure(await cosmo(alice.home, 'bom', 'rm', design, peg), 4, /no BOM row/)
    expectFailure(await cosmo(alice.home, 'bom', 'add', design, '--name', 'air', '--quantity', '-1'), 2)
    expectFailure(await cosmo(alice.home, 'bom', 'add', design, '--name', 'air', '--quantity=-1'), 5, /positive/)
    expectFailure(await cosmo(alice.home, 'design', 'edit', design, '--hardware-license', 'not a licence!'), 5, /SPDX/)

    const shown = await json(alice.home, 'design', 'show', design)
    expect(shown).toEqual({
      design,
      title: 'Loom',
      summary: 'a loom',
      readme: '# Loom\nweave',
      version: '1.1',
      tags: ['textile', 'wood'],
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0', software: null },
      bom: [
        { id: cord, name: 'cord', quantity: 3, unit: 'm', material: 'cotton', notes: 'cotton' },
        { id: frame, name: 'frame', quantity: 4, unit: 'pcs', material: 'oak', notes: '' },
      ],
      steps: [{ id: cut, title: 'Cut', body: 'cut the oak to length' }],
      licensor: '',
      languages: [],
      readiness: { technology: null, documentation: null },
      bomRef: '',
      meta: expect.objectContaining({ repo: '', release: '', image: '' }),
      module: { tsdc: [], source: [], export: [], auxiliary: [] },
      parts: [],
      software: [],
      maintainers: [alice.id],
      names: { [alice.id]: 'alice' },
      threshold: 1,
      forkedFrom: null,
      heads: expect.any(Array),
      place: '',
      placeCode: null,
      ahead: null,
      behind: null,
      rejected: [],
      makes: 0,
      licenceNotice: null,
    })
    const human = (await ok(alice.home, 'design', 'show', design)).stdout
    expect(human).toMatch(/cord\s+3\s+m\s+cotton/)
    expect(human).toMatch(/1\. Cut/)

    const log = await json(alice.home, 'log', design)
    expect(log.map((e: { kind: string }) => e.kind)).toEqual(['genesis', ...Array(11).fill('content')])
    expect(log.at(-1).heads).toEqual(shown.heads)
    const verify = await json(alice.home, 'verify', design)
    expect(verify).toMatchObject({ design, maintainers: [alice.id], threshold: 1, canonicalHeads: shown.heads, ignored: [], pending: [] })
    expect((await ok(alice.home, 'verify', design)).stdout).toMatch(/verified[\s\S]*12 valid, 0 ignored/)
  })

  it('holds a governance change under threshold 2 until the second maintainer approves it', async () => {
    const [alice, carol] = await Promise.all([person(scratch, 'alice'), person(scratch, 'carol')])
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    await ok(alice.home, 'maintainers', 'add', design, carol.id)
    await ok(alice.home, 'maintainers', 'threshold', design, '2')
    const lowered = await json(alice.home, 'maintainers', 'threshold', design, '1')
    expect(lowered).toMatchObject({ threshold: 2, pending: [{ summary: 'set threshold to 1', signers: [alice.id], needed: 2 }] })
    expectFailure(await cosmo(alice.home, 'design', 'approve', design), 1, /nothing awaits your signature/)

    const file = `${await scratch.dir()}/alice.bundle`
    await ok(alice.home, 'bundle', 'export', design, '--out', file)
    await ok(carol.home, 'bundle', 'import', file)
    const approved = await json(carol.home, 'design', 'approve', design)
    expect(approved).toMatchObject({ design, signed: [{ kind: 'governance', summary: 'set threshold to 1' }], threshold: 1, pending: [] })
    const removed = await json(carol.home, 'maintainers', 'remove', design, alice.id)
    expect(removed).toMatchObject({ maintainers: [carol.id], threshold: 1, pending: [] })
  })
})
