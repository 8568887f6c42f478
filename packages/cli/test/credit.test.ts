/**
 * Who made this, end to end with real processes: a hub (`cosmo serve`) and people with separate
 * homes over loopback. Bob's proposal is merged, Carol reports a build with a photo from another
 * place; every peer credits them the same; the ValueFlows export is valid JSON-LD. And the licence
 * notice of a relicensed fork reaches a viewer who is neither maintainer nor reviewer.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import jsonld from 'jsonld'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, carry, cosmo, json, ok, person, Scratch } from './helpers.js'
import { Hubs } from './served.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

const hubs = new Hubs()
afterEach(() => hubs.stopAll())
/** Runs a hub on `home` and returns its libp2p TCP address. */
const serve = (home: string): Promise<string> => hubs.start(home)

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4])
const VF = 'https://w3id.org/valueflows/ont/vf#'

/** Expands a JSON-LD document with nothing fetched and every term required to be defined (safe mode). */
async function expand(doc: unknown): Promise<Record<string, unknown>[]> {
  const documentLoader = async (url: string) => {
    throw new Error(`the export must not need ${url}`)
  }
  return (await jsonld.expand(doc as never, { documentLoader, safe: true } as never)) as unknown as Record<string, unknown>[]
}

const ofType = (nodes: Record<string, unknown>[], type: string) => nodes.filter((n) => (n['@type'] as string[] | undefined)?.includes(`${VF}${type}`))
const id = (n: Record<string, unknown>, prop: string) => (n[`${VF}${prop}`] as { '@id': string }[] | undefined)?.[0]?.['@id']

describe('who made this, through a hub', () => {
  it("bob's merged proposal and carol's build report are credited alike on every peer; the ValueFlows export is valid JSON-LD", async () => {
    const hubHome = await person(scratch, 'hub')
    const hub = await serve(hubHome.home)
    const [alice, bob, carol, dave] = [await person(scratch, 'alice'), await person(scratch, 'bob'), await person(scratch, 'carol'), await person(scratch, 'dave')]

    const { design } = await json(alice.home, 'design', 'new', '--title', 'Frame loom', '--hardware-license', 'CERN-OHL-S-2.0')
    await ok(alice.home, 'bom', 'add', design, '--name', 'Side bar', '--quantity', '2')
    await json(alice.home, 'sync', '--peer', hub)

    await json(bob.home, 'pull', design, '--peer', hub)
    const { design: fork } = await json(bob.home, 'fork', design)
    const { id: bolt } = await json(bob.home, 'bom', 'add', fork, '--name', 'Bolt M6', '--quantity', '4')
    await ok(bob.home, 'step', 'add', fork, '--title', 'Assemble', '--body', 'Bolt it.')
    const { proposal } = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Bolted frame')
    await json(bob.home, 'sync', '--peer', hub)

    await json(alice.home, 'sync', '--peer', hub)
    await json(alice.home, 'review', proposal, '--accept')
    await json(alice.home, 'sync', '--peer', hub)

    // carol, elsewhere, builds it and reports, with a photo
    await json(carol.home, 'pull', design, '--peer', hub)
    const photo = join(await scratch.dir(), 'built.png')
    await writeFile(photo, PNG)
    const { make } = await json(carol.home, 'make', 'report', design, '--photo', photo, '--place', 'Nairobi, KE', '--result', 'works', '--changes', 'grevillea instead of oak')
    expect(make).toMatch(/^[0-9a-f]{64}$/)
    const carolSync = await json(carol.home, 'sync', '--peer', hub)
    expect(carolSync.filesThere).toBe(1) // the hub keeps the photo of a build of a design it holds

    await json(alice.home, 'sync', '--peer', hub)
    await json(bob.home, 'sync', '--peer', hub)
    const pulled = await json(dave.home, 'pull', design, '--peer', hub)
    expect(pulled.files).toBe(1) // the photo came with the design

    const expected = [
      expect.objectContaining({ id: alice.id, name: 'alice', merged: 0, rows: 1, reviews: 1, merges: 1, makes: 0 }),
      expect.objectContaining({ id: bob.id, name: 'bob', merged: 1, rows: 1, steps: 1, files: 0, reviews: 0, comments: 0, needs: 0, makes: 0, cited: 0 }),
      expect.objectContaining({ id: carol.id, name: 'carol', merged: 0, rows: 0, makes: 1 }),
    ]
    for (const who of [alice, bob, carol, dave]) {
      const rows = await json(who.home, 'contributors', design)
      expect(rows, who.name).toEqual(expected)
    }
    const human = (await ok(dave.home, 'contributors', design)).stdout
    expect(human).toMatch(/bob · …\S{8}\s+1\s+1\s+1/)

    const makes = await json(dave.home, 'makes', design)
    expect(makes).toEqual([
      expect.objectContaining({ make, author: carol.id, authorName: 'carol', place: 'Nairobi, KE', result: 'works', changes: 'grevillea instead of oak', photos: [expect.stringMatching(/^[0-9a-f]{64}$/)] }),
    ])
    const shown = await json(dave.home, 'design', 'show', design)
    expect(shown).toMatchObject({ makes: 1, licenceNotice: null })
    expect((await json(bob.home, 'catalogue', '--peer', hub)).find((e: { design: string }) => e.design === design)).toMatchObject({ makes: 1 })

    // the log names the proposer on the merge
    const log = await json(dave.home, 'log', design)
    expect(log.find((e: { proposer?: string }) => e.proposer !== undefined)).toMatchObject({ proposer: bob.id, proposerName: 'bob', proposal })
    expect((await ok(dave.home, 'log', design)).stdout).toMatch(/alice · …\S{8}\s+merged "Bolted frame" \(revision 1\) by bob · …\S{8}/)

    // ValueFlows: work for what people did, produce for the build; valid JSON-LD that needs nothing fetched
    const out = join(await scratch.dir(), 'loom.jsonld')
    const exported = await json(dave.home, 'export', 'valueflows', design, '--out', out)
    expect(exported).toMatchObject({ out, agents: 3 })
    const nodes = await expand(JSON.parse(await readFile(out, 'utf8')))
    const events = ofType(nodes, 'EconomicEvent')
    expect(events).toHaveLength(exported.events)
    const byAction = (action: string, who: string) => events.filter((e) => id(e, 'action') === `${VF}${action}` && id(e, 'provider') === `urn:cosmolocal:person:${who}`)
    expect(byAction('work', bob.id).length).toBe(3) // merged, a row, a step
    expect(byAction('work', alice.id).length).toBeGreaterThanOrEqual(3)
    expect(byAction('produce', carol.id)).toHaveLength(1)
    expect(id(byAction('produce', carol.id)[0]!, 'resourceInventoriedAs')).toBe(`urn:cosmolocal:make:${make}`)
    expect(ofType(nodes, 'Person').map((p) => p['@id']).sort()).toEqual([alice.id, bob.id, carol.id].map((p) => `urn:cosmolocal:person:${p}`).sort())
    expect(ofType(nodes, 'EconomicResource').map((r) => r['@id'])).toContain(design)

    // the fork cites the upstream's work
    const forkOut = join(await scratch.dir(), 'fork.jsonld')
    await json(dave.home, 'export', 'valueflows', fork, '--out', forkOut)
    const cites = ofType(await expand(JSON.parse(await readFile(forkOut, 'utf8'))), 'EconomicEvent').filter((e) => id(e, 'action') === `${VF}cite`)
    expect(cites.map((e) => [id(e, 'provider'), id(e, 'resourceInventoriedAs')])).toEqual([[`urn:cosmolocal:person:${alice.id}`, design]])
    expect((await json(dave.home, 'contributors', fork)).find((c: { id: string }) => c.id === bob.id)).toMatchObject({ rows: 1, steps: 1 })
    void bolt
  }, 240_000)
})

describe('copyfair licences travel with every fork', () => {
  it('relicensing a PPL or CERN-OHL-S fork to a permissive licence warns; a viewer who is neither maintainer nor reviewer sees the notice', async () => {
    const [alice, bob, viewer] = [await person(scratch, 'alice'), await person(scratch, 'bob'), await person(scratch, 'viewer')]
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Seed press', '--hardware-license', 'CERN-OHL-S-2.0', '--docs-license', 'LicenseRef-PPL')
    await carry(scratch, alice, bob, design)

    const forked = await cosmo(bob.home, '--json', 'fork', design, '--hardware-license', 'CERN-OHL-P-2.0', '--docs-license', 'CC-BY-4.0')
    expect(forked.code).toBe(0)
    expect(forked.json.licenceWarnings.map((w: { field: string; problem: string }) => [w.field, w.problem])).toEqual([
      ['hardware', 'share-alike'],
      ['documentation', 'share-alike'],
    ])
    expect(forked.stderr).toMatch(/licence warning \(documentation\): LicenseRef-PPL is share-alike/)
    const fork = forked.json.design as string

    // a later move between permissive licences still warns: the upstream's terms did not go away
    const again = await cosmo(bob.home, '--json', 'design', 'edit', fork, '--hardware-license', 'MIT')
    expect(again.json.licenceWarnings).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'hardware', before: 'CERN-OHL-S-2.0', problem: 'share-alike' })]))

    await carry(scratch, bob, viewer, fork)
    await carry(scratch, alice, viewer, design)
    const shown = await json(viewer.home, 'design', 'show', fork)
    expect(shown.licenceNotice.sources).toEqual([
      expect.objectContaining({ design, licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'LicenseRef-PPL', software: null } }),
    ])
    expect(shown.licenceNotice.sources[0].terms).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'LicenseRef-PPL', class: 'copyfair' })]))
    const human = (await ok(viewer.home, 'design', 'show', fork)).stdout
    expect(human).toMatch(/LICENCE NOTICE: .*CERN-OHL-S-2.0/)
    expect((await json(viewer.home, 'design', 'show', design)).licenceNotice).toBeNull()
  })
})
