/**
 * Forks stay alive, end to end with real processes: alice's upstream, Nairobi's and Lyon's forks,
 * all through a real hub (`cosmo serve`) over loopback libp2p. Fixes travel down (update), a
 * sibling's improvement travels sideways (propose to a sibling) and then up (propose upstream).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, cosmo, expectFailure, json, ok, person, Scratch, type Person } from './helpers.js'
import { Hubs } from './served.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

const hubs = new Hubs()
afterEach(() => hubs.stopAll())
/** Runs a hub on `home` and returns its libp2p TCP address. */
const serve = (home: string): Promise<string> => hubs.start(home)

interface Tree {
  design: string
  title: string
  upstream: string | null
  ahead: number | null
  behind: number | null
  place: string
  placeCode: string | null
  forks: Tree[]
}

/** Each design of a lineage tree as [title, upstream, ahead, behind], sorted by title. */
function standings(tree: Tree): [string, string | null, number | null, number | null][] {
  const out: [string, string | null, number | null, number | null][] = []
  const walk = (n: Tree) => {
    out.push([n.title, n.upstream, n.ahead, n.behind])
    n.forks.forEach(walk)
  }
  walk(tree)
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1))
}

describe('forks stay alive', () => {
  it('alice fixes a step, Nairobi updates, Lyon proposes its hinge to Nairobi, Nairobi proposes it upstream; every lineage agrees', { timeout: 300_000 }, async () => {
    const hub = await serve((await person(scratch, 'hub')).home)
    const [alice, nairobi, lyon] = [await person(scratch, 'alice'), await person(scratch, 'nairobi'), await person(scratch, 'lyon')]
    const sync = async (...people: Person[]) => {
      for (const p of people) await json(p.home, 'sync', '--peer', hub)
    }

    const { design } = await json(alice.home, 'design', 'new', '--title', 'Frame loom', '--hardware-license', 'CERN-OHL-S-2.0')
    const { id: side } = await json(alice.home, 'bom', 'add', design, '--name', 'Side bar', '--quantity', '2', '--material', 'pine')
    const { id: cut } = await json(alice.home, 'step', 'add', design, '--title', 'Cut the bars', '--body', 'Cut two bars of 600 mm.')
    await sync(alice)

    // Nairobi and Lyon fork it, each for their own place, and adapt it
    await json(nairobi.home, 'pull', design, '--peer', hub)
    const { design: nairobiFork } = await json(nairobi.home, 'fork', design, '--title', 'Frame loom, Nairobi', '--place', 'Nairobi, Kibera workshop', '--place-code', 'KE-30')
    await ok(nairobi.home, 'bom', 'set', nairobiFork, side, '--material', 'grevillea')
    await json(lyon.home, 'pull', design, '--peer', hub)
    const { design: lyonFork } = await json(lyon.home, 'fork', design, '--title', 'Frame loom, Lyon', '--place', 'Lyon', '--place-code', 'FR-69')
    await ok(lyon.home, 'bom', 'add', lyonFork, '--name', 'Folding hinge', '--quantity', '2', '--material', 'steel')
    await sync(nairobi, lyon)

    // alice fixes a step upstream
    await ok(alice.home, 'step', 'set', design, cut, '--body', 'Cut two bars of 620 mm: the old length was too short.')
    await sync(alice, nairobi)
    // two signed changes of its own (its place, its grevillea), one of alice's it lacks
    expect(await json(nairobi.home, 'design', 'show', nairobiFork)).toMatchObject({ forkedFrom: design, ahead: 2, behind: 1, place: 'Nairobi, Kibera workshop', placeCode: 'KE-30' })

    // Nairobi previews the update, then takes it
    const preview = await json(nairobi.home, 'update', nairobiFork, '--dry-run')
    expect(preview).toMatchObject({ design: nairobiFork, from: design, merged: false, changes: 1 })
    expect(preview.diff.steps.changed).toEqual([expect.objectContaining({ id: cut, changes: [expect.objectContaining({ field: 'body', after: 'Cut two bars of 620 mm: the old length was too short.' })] })])
    expect(preview.diff.bom).toEqual({ added: [], removed: [], changed: [] })
    expect(preview.diff.conflicts).toEqual([])
    const text = await ok(nairobi.home, 'update', nairobiFork, '--dry-run')
    expect(text.stdout).toMatch(/update "Frame loom, Nairobi" from "Frame loom": 1 signed change/)
    expect(text.stdout).toMatch(/dry run: nothing merged/)
    const updated = await json(nairobi.home, 'update', nairobiFork)
    expect(updated).toMatchObject({ merged: true, heads: preview.heads, approval: { signers: [nairobi.id], needed: 1, approved: true } })
    const shown = await json(nairobi.home, 'design', 'show', nairobiFork)
    expect(shown.steps).toEqual([expect.objectContaining({ id: cut, body: 'Cut two bars of 620 mm: the old length was too short.' })])
    expect(shown.bom).toEqual([expect.objectContaining({ id: side, material: 'grevillea' })])
    expect(shown).toMatchObject({ ahead: 2, behind: 0, heads: updated.heads })
    expect((await ok(nairobi.home, 'update', nairobiFork)).stdout).toMatch(/already has everything "Frame loom" signed/)
    await sync(nairobi)

    // Lyon proposes its hinge to Nairobi: siblings, sharing alice's history
    await sync(lyon)
    const { proposal: sideways } = await json(lyon.home, 'propose', '--from', lyonFork, '--to', nairobiFork, '--title', 'A folding hinge')
    await sync(lyon, nairobi)
    expect(await json(nairobi.home, 'proposals', nairobiFork)).toEqual([expect.objectContaining({ proposal: sideways, status: 'open', title: 'A folding hinge' })])
    expect((await json(nairobi.home, 'diff', sideways)).bom.added.map((r: { name: string }) => r.name)).toEqual(['Folding hinge'])
    expect(await json(nairobi.home, 'review', sideways, '--accept')).toEqual({ proposal: sideways, status: 'accepted' })

    // Nairobi proposes the hinge upstream, and alice accepts
    const { proposal: upwards } = await json(nairobi.home, 'propose', '--from', nairobiFork, '--to', design, '--title', 'Folding hinge, from Lyon via Nairobi')
    await sync(nairobi, alice)
    const diff = await json(alice.home, 'diff', upwards)
    expect(diff.bom.added.map((r: { name: string }) => r.name)).toEqual(['Folding hinge'])
    expect(diff.bom.changed.map((c: { id: string }) => c.id)).toEqual([side])
    expect(await json(alice.home, 'review', upwards, '--accept')).toEqual({ proposal: upwards, status: 'accepted' })
    await sync(alice, nairobi, lyon)

    // the upstream kept its own (empty) place; each fork kept its own
    const up = await json(lyon.home, 'design', 'show', design)
    expect(up).toMatchObject({ place: '', placeCode: null, ahead: null, behind: null })
    expect(up.bom.map((r: { name: string; material: string }) => [r.name, r.material]).sort()).toEqual([
      ['Folding hinge', 'steel'],
      ['Side bar', 'grevillea'],
    ])

    // every peer's lineage: Nairobi level with the upstream; Lyon behind by alice's fix and Nairobi's grevillea
    const expected = [
      ['Frame loom', null, null, null],
      ['Frame loom, Lyon', design, 0, 2],
      ['Frame loom, Nairobi', design, 0, 0],
    ]
    for (const p of [alice, nairobi, lyon]) {
      const tree = (await json(p.home, 'lineage', lyonFork)) as Tree
      expect(tree).toMatchObject({ design, title: 'Frame loom', upstream: null })
      expect(standings(tree), p.name).toEqual(expected)
    }
    const tree = (await json(alice.home, 'lineage', design)) as Tree
    expect(tree.forks.find((f) => f.design === lyonFork)).toMatchObject({ place: 'Lyon', placeCode: 'FR-69', forks: [] })
    const drawn = await ok(alice.home, 'lineage', nairobiFork)
    expect(drawn.stdout).toMatch(/Frame loom, Nairobi {2}\[Nairobi, Kibera workshop, KE-30 Kenya\] {2}ahead 0, behind 0 {2}← this design/)
    expect(drawn.stdout).toMatch(/Frame loom, Lyon {2}\[Lyon, FR-69 France\] {2}ahead 0, behind 2/)

    // a maker near Nairobi finds the version adapted there
    const near = await json(alice.home, 'catalogue', '--peer', hub, '--place', 'KE')
    expect(near).toEqual([expect.objectContaining({ design: nairobiFork, place: 'Nairobi, Kibera workshop', placeCode: 'KE-30' })])

    // unrelated designs are refused with a clear error
    const { design: kiln } = await json(alice.home, 'design', 'new', '--title', 'Kiln')
    expectFailure(await cosmo(alice.home, 'update', design, '--from', kiln), 5, /shares no content history/)
    expectFailure(await cosmo(alice.home, 'propose', '--from', kiln, '--to', design, '--title', 'x'), 5, /shares no content history/)
    expectFailure(await cosmo(alice.home, 'update', design), 5, /not a fork/)
  })
})
