/**
 * Forks as living branches: updating a fork from its upstream (and from any related design),
 * proposals between siblings and from upstream to fork, ahead / behind across a tree, and places.
 */
import * as A from '@automerge/automerge'
import type { DocumentId } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import { exportOkh, InvalidInputError, NotPermittedError, signRecord, type ContentDoc } from '../src/index.js'
import { designDocs, exchange, injectContent, junkRow, person, type Person } from './helpers.js'

/** alice's upstream with two rows; nairobi (bob) forks it. */
async function upstreamAndFork() {
  const alice = await person('alice')
  const design = await alice.commons.createDesign({ title: 'Loom', licenses: { hardware: 'CERN-OHL-S-2.0' } })
  const { id: frame } = await alice.commons.addBomRow(design, { name: 'frame', quantity: 4, material: 'oak' })
  const { id: peg } = await alice.commons.addBomRow(design, { name: 'peg', quantity: 12, material: 'beech' })
  const bob = await person('bob')
  await exchange(alice.repo, bob.repo, await designDocs(alice, design))
  const fork = await bob.commons.fork(design, { title: 'Loom, Nairobi edition' })
  /** Carries alice's design (and its inbox) to `p`. */
  const fromAlice = async (p: Person = bob) => exchange(alice.repo, p.repo, await designDocs(alice, design))
  return { alice, bob, design, frame, peg, fork, fromAlice }
}

async function contentDoc(p: Person, design: string): Promise<A.Doc<ContentDoc>> {
  const d = await p.commons.design(design)
  return (await p.repo.find<ContentDoc>(d.contentId as DocumentId)).doc()
}

describe('updating a fork from its upstream', () => {
  it("brings upstream's new canonical BOM row and step into a fork that changed other rows", async () => {
    const { alice, bob, design, peg, fork, fromAlice } = await upstreamAndFork()
    await bob.commons.setBomRow(fork, peg, { material: 'grevillea' })
    await bob.commons.addBomRow(fork, { name: 'sisal cord', quantity: 3, unit: 'm' })
    await alice.commons.addBomRow(design, { name: 'heddle', quantity: 1 })
    await alice.commons.addStep(design, { title: 'Oil the frame', body: 'Linseed, twice.' })
    await fromAlice()

    const before = await bob.commons.design(fork)
    const preview = await bob.commons.update(fork, { dryRun: true })
    expect(preview).toMatchObject({ design: before.url, from: (await bob.commons.design(design)).url, merged: false, upToDate: false, changes: 2, approval: null })
    expect(preview.diff.bom.added.map((r) => r.name)).toEqual(['heddle'])
    expect(preview.diff.bom.changed).toEqual([])
    expect(preview.diff.steps.added.map((s) => s.title)).toEqual(['Oil the frame'])
    expect(preview.diff.conflicts).toEqual([])
    // a dry run changes nothing
    expect((await bob.commons.design(fork)).version).toBe(before.version)

    const done = await bob.commons.update(fork)
    expect(done).toMatchObject({ merged: true, heads: preview.heads, fromHeads: (await bob.commons.design(design)).state.canonicalHeads })
    expect(done.approval).toEqual({ signers: [bob.me.id], needed: 1, approved: true })
    const after = await bob.commons.design(fork)
    expect(after.state.canonicalHeads).toEqual(preview.heads)
    // both rows were added at the end concurrently: they stand in an order every peer shares
    expect(after.content.bom.map((r) => [r.name, r.material]).sort()).toEqual([
      ['frame', 'oak'],
      ['heddle', ''],
      ['peg', 'grevillea'],
      ['sisal cord', ''],
    ])
    expect(after.content.steps.map((s) => s.title)).toEqual(['Oil the frame'])
    expect(after.content.title).toBe('Loom, Nairobi edition')
    // signed as the fork's maintainer, saying what it took in
    const last = (await bob.commons.history(fork)).approvals.at(-1)!
    expect(last).toMatchObject({ reason: 'update', signers: [bob.me.id], from: { design: (await bob.commons.design(design)).id, heads: done.fromHeads } })
    expect((await bob.commons.log(fork)).at(-1)).toMatchObject({ kind: 'content', author: bob.me.id, summary: 'updated from "Loom"' })
    // and nothing is new any more
    expect(await bob.commons.update(fork)).toMatchObject({ merged: false, upToDate: true, changes: 0, heads: after.state.canonicalHeads })
    expect((await bob.commons.update(fork)).diff.empty).toBe(true)
  })

  it('concurrent edits of the same row show as a conflict in the dry run and resolve the same way everywhere', async () => {
    const { alice, bob, design, frame, fork, fromAlice } = await upstreamAndFork()
    await alice.commons.setBomRow(design, frame, { quantity: 5 })
    await bob.commons.setBomRow(fork, frame, { quantity: 6 })
    await fromAlice()
    const preview = await bob.commons.update(fork, { dryRun: true })
    expect(preview.diff.conflicts).toEqual([expect.objectContaining({ path: ['bom', frame, 'quantity'], values: [5, 6], label: 'BOM row "frame" quantity' })])
    const winner = preview.diff.conflicts[0]!.winner
    await bob.commons.update(fork)
    expect((await bob.commons.design(fork)).content.bom.find((r) => r.id === frame)?.quantity).toBe(winner)
    // carol receives the two sides the other way round, and sees the same value
    const carol = await person('carol')
    await exchange(bob.repo, carol.repo, await designDocs(bob, fork))
    await exchange(alice.repo, carol.repo, await designDocs(alice, design))
    expect((await carol.commons.design(fork)).content.bom.find((r) => r.id === frame)?.quantity).toBe(winner)
  })

  it("junk injected into upstream's content never enters the fork", async () => {
    const { alice, bob, design, fork, fromAlice } = await upstreamAndFork()
    await alice.commons.addStep(design, { title: 'Oil the frame' })
    const up = await alice.commons.design(design)
    await injectContent(alice.repo, up.contentId, (d) => {
      d.bom['junk'] = junkRow('free money') as never
      d.title = new A.ImmutableString('HACKED') as never
    })
    const junkHeads = A.getHeads((await alice.repo.find(up.contentId as DocumentId)).doc() as A.Doc<unknown>)
    await fromAlice()
    const preview = await bob.commons.update(fork, { dryRun: true })
    expect(preview.diff.bom.added).toEqual([])
    expect(preview.diff.fields).toEqual([])
    expect(preview.diff.steps.added.map((s) => s.title)).toEqual(['Oil the frame'])
    await bob.commons.update(fork)
    const f = await bob.commons.design(fork)
    expect(f.content.bom.map((r) => r.name)).toEqual(['frame', 'peg'])
    expect(f.content.title).toBe('Loom, Nairobi edition')
    // the unsigned change is not even in the fork's content document
    expect(A.hasHeads(await contentDoc(bob, fork), junkHeads)).toBe(false)
  })

  it("with the fork's threshold above one, the update waits for a co-signer", async () => {
    const { alice, bob, design, fork, fromAlice } = await upstreamAndFork()
    const dave = await person('dave')
    await bob.commons.addMaintainer(fork, dave.me.id)
    await bob.commons.setThreshold(fork, 2)
    await alice.commons.addBomRow(design, { name: 'heddle', quantity: 1 })
    await fromAlice()
    const before = await bob.commons.design(fork)
    const done = await bob.commons.update(fork)
    expect(done).toMatchObject({ merged: true, approval: { signers: [bob.me.id], needed: 2, approved: false } })
    expect((await bob.commons.design(fork)).state.canonicalHeads).toEqual(before.state.canonicalHeads)
    await expect(bob.commons.update(fork)).rejects.toThrow(/already signed this update; it needs 1 more/)
    // dave co-signs (design approve): the update is canonical
    await exchange(bob.repo, dave.repo, await designDocs(bob, fork))
    await exchange(alice.repo, dave.repo, await designDocs(alice, design))
    const signed = await dave.commons.approve(fork)
    expect(signed).toEqual([expect.objectContaining({ reason: 'update', heads: done.heads })])
    const after = await dave.commons.design(fork)
    expect(after.content.bom.map((r) => r.name)).toContain('heddle')
    expect(after.state.canonicalHeads).toEqual(done.heads)
  })

  it('refuses what makes no sense, and lets anyone preview', async () => {
    const { alice, bob, design, fork, fromAlice } = await upstreamAndFork()
    // not a fork, and no --from
    await expect(alice.commons.update(design)).rejects.toBeInstanceOf(InvalidInputError)
    // unrelated designs
    const other = await alice.commons.createDesign({ title: 'Kiln' })
    await exchange(alice.repo, bob.repo, await designDocs(alice, other))
    const unrelated = bob.commons.update(fork, { from: other, dryRun: true })
    await expect(unrelated).rejects.toBeInstanceOf(InvalidInputError)
    await expect(bob.commons.update(fork, { from: other })).rejects.toThrow(/shares no content history/)
    await expect(bob.commons.update(fork, { from: fork })).rejects.toThrow(/cannot update from itself/)
    // a person who does not maintain the fork may preview, not merge
    await alice.commons.addBomRow(design, { name: 'heddle', quantity: 1 })
    await exchange(bob.repo, alice.repo, await designDocs(bob, fork))
    expect((await alice.commons.update(fork, { dryRun: true })).diff.bom.added.map((r) => r.name)).toEqual(['heddle'])
    await expect(alice.commons.update(fork)).rejects.toBeInstanceOf(NotPermittedError)
    await fromAlice()
    expect((await bob.commons.update(fork)).merged).toBe(true)
  })

  it('the upstream can take a fork\'s canonical content directly (update --from the fork)', async () => {
    const { alice, bob, design, fork } = await upstreamAndFork()
    await bob.commons.addBomRow(fork, { name: 'sisal cord', quantity: 3 })
    await exchange(bob.repo, alice.repo, await designDocs(bob, fork))
    const done = await alice.commons.update(design, { from: fork })
    expect(done.merged).toBe(true)
    const d = await alice.commons.design(design)
    expect(d.content.bom.map((r) => r.name)).toEqual(['frame', 'peg', 'sisal cord'])
    // the fork's own name is in its genesis, not its content: the upstream keeps its title
    expect(d.content.title).toBe('Loom')
  })
})

describe('proposals between related designs', () => {
  it('a sibling proposes to a sibling, and its maintainer accepts', async () => {
    const { alice, bob: nairobi, design, fork: nairobiFork } = await upstreamAndFork()
    const lyon = await person('lyon')
    await exchange(alice.repo, lyon.repo, await designDocs(alice, design))
    const lyonFork = await lyon.commons.fork(design, { title: 'Loom, Lyon' })
    await lyon.commons.addBomRow(lyonFork, { name: 'hinge', quantity: 2 })
    await exchange(nairobi.repo, lyon.repo, await designDocs(nairobi, nairobiFork))
    const { proposal } = await lyon.commons.propose({ from: lyonFork, to: nairobiFork, title: 'A folding hinge' })
    await exchange(lyon.repo, nairobi.repo, [...(await designDocs(lyon, lyonFork)), ...(await designDocs(lyon, nairobiFork)), proposal])
    expect((await nairobi.commons.diff(proposal)).bom.added.map((r) => r.name)).toEqual(['hinge'])
    expect((await nairobi.commons.review(proposal, { verdict: 'accept' })).status).toBe('accepted')
    expect((await nairobi.commons.design(nairobiFork)).content.bom.map((r) => r.name)).toEqual(['frame', 'peg', 'hinge'])
  })

  it("the upstream proposes its fix to a fork ('here is our fix'), and the fork accepts", async () => {
    const { alice, bob, design, fork } = await upstreamAndFork()
    await exchange(bob.repo, alice.repo, await designDocs(bob, fork))
    await alice.commons.addStep(design, { title: 'Square the frame' })
    const { proposal } = await alice.commons.propose({ from: design, to: fork, title: 'Our fix' })
    await exchange(alice.repo, bob.repo, [...(await designDocs(alice, design)), ...(await designDocs(alice, fork)), proposal])
    await bob.commons.review(proposal, { verdict: 'accept' })
    expect((await bob.commons.design(fork)).content.steps.map((s) => s.title)).toEqual(['Square the frame'])
    expect((await bob.commons.compare(fork)).behind).toBe(0)
  })
})

describe('ahead / behind and lineage', () => {
  it('counts signed changes across a three-level tree, and shows rejected changes a fork still carries', async () => {
    const { alice, bob, design, fork, fromAlice } = await upstreamAndFork()
    const carol = await person('carol')
    await exchange(alice.repo, carol.repo, await designDocs(alice, design))
    await exchange(bob.repo, carol.repo, await designDocs(bob, fork))
    const grand = await carol.commons.fork(fork, { title: 'Loom, Kisumu' })
    await carol.commons.addBomRow(grand, { name: 'glitter', quantity: 1 })
    await carol.commons.addBomRow(grand, { name: 'tassel', quantity: 4 })
    await bob.commons.addBomRow(fork, { name: 'sisal cord', quantity: 3 })
    await alice.commons.addStep(design, { title: 'Oil the frame' })
    await fromAlice()
    await fromAlice(carol)
    await exchange(bob.repo, carol.repo, await designDocs(bob, fork))
    expect(await carol.commons.compare(grand)).toMatchObject({ ahead: 2, behind: 1, rejected: [] })
    expect(await carol.commons.compare(fork)).toMatchObject({ ahead: 1, behind: 1 })
    expect(await carol.commons.compare(grand, design)).toMatchObject({ ahead: 2, behind: 1 })

    // carol proposes her glitter to bob, who rejects it: her fork still carries it
    const { proposal } = await carol.commons.propose({ from: grand, to: fork, title: 'Glitter' })
    await exchange(carol.repo, bob.repo, [...(await designDocs(carol, grand)), ...(await designDocs(carol, fork)), proposal])
    await bob.commons.review(proposal, { verdict: 'reject' })
    await bob.commons.update(fork)
    // the upstream's inbox as bob holds it points to his fork
    await exchange(bob.repo, carol.repo, [...(await designDocs(bob, fork)), ...(await designDocs(bob, design)), proposal])

    const tree = await carol.commons.lineage(grand)
    const urls = { design: (await carol.commons.design(design)).url, fork: (await carol.commons.design(fork)).url, grand: (await carol.commons.design(grand)).url }
    expect(tree).toMatchObject({ design: urls.design, title: 'Loom', upstream: null, ahead: null, behind: null, current: false })
    expect(tree.forks).toHaveLength(1)
    const [nairobi] = tree.forks
    expect(nairobi).toMatchObject({ design: urls.fork, upstream: urls.design, ahead: 1, behind: 0, rejected: [] })
    expect(nairobi!.forks).toEqual([
      expect.objectContaining({ design: urls.grand, upstream: urls.fork, ahead: 2, behind: 2, current: true, rejected: [expect.objectContaining({ title: 'Glitter', revision: 1 })] }),
    ])
    // every design of the tree answers with the same tree
    expect(await carol.commons.lineage(design)).toEqual({ ...tree, current: true, forks: [{ ...nairobi!, forks: [{ ...nairobi!.forks[0]!, current: false }] }] })
  })

  it('a fork pointer whose fork does not name that upstream is not shown', async () => {
    const { bob, design, fork } = await upstreamAndFork()
    const other = await bob.commons.createDesign({ title: 'Not a fork' })
    // bob points the upstream's inbox at a design that is not its fork
    const d = await bob.commons.design(design)
    const pointer = await signRecord(bob.me, { design: d.id, payload: { kind: 'fork-pointer', fork: (await bob.commons.design(other)).id } })
    const inbox = await bob.repo.find<{ entries: Uint8Array[] }>(d.inboxId as DocumentId)
    inbox.change((doc) => void doc.entries.push(pointer.bytes))
    const tree = await bob.commons.lineage(design)
    expect(tree.forks.map((f) => f.design)).toEqual([(await bob.commons.design(fork)).url])
  })
})

describe('places', () => {
  it("a design's place is its own: signed like any field, and a merge never moves it", async () => {
    const { alice, bob: nairobi, design, fork } = await upstreamAndFork()
    await alice.commons.editDesign(design, { place: 'Berlin', placeCode: 'de' })
    expect((await alice.commons.design(design)).content).toMatchObject({ place: 'Berlin', placeCode: 'DE' })
    await nairobi.commons.editDesign(fork, { place: 'Nairobi, Kibera workshop', placeCode: 'KE-30' })
    expect((await nairobi.commons.log(fork)).at(-1)?.summary).toBe('edited place, place code')
    await exchange(alice.repo, nairobi.repo, await designDocs(alice, design))
    await nairobi.commons.update(fork)
    expect((await nairobi.commons.design(fork)).content).toMatchObject({ place: 'Nairobi, Kibera workshop', placeCode: 'KE-30' })
    // and back upstream: alice takes the fork's content, and stays in Berlin
    await exchange(nairobi.repo, alice.repo, await designDocs(nairobi, fork))
    await alice.commons.update(design, { from: fork })
    expect((await alice.commons.design(design)).content).toMatchObject({ place: 'Berlin', placeCode: 'DE' })
    // cleared with ''
    await alice.commons.editDesign(design, { place: '', placeCode: '' })
    expect((await alice.commons.design(design)).content).toMatchObject({ place: '', placeCode: null })
  })

  it('an OKH-LOSH export says the place is left out (OKH-LOSH has no field for it)', async () => {
    const { alice, design } = await upstreamAndFork()
    await alice.commons.editDesign(design, { place: 'Berlin', placeCode: 'DE' })
    const d = await alice.commons.design(design)
    const { text, warnings } = exportOkh({ content: d.content, url: d.url, forkedFrom: null })
    expect(warnings).toContainEqual({ path: 'place', problem: expect.stringMatching(/no field for where a design is adapted for: "Berlin, DE"/) })
    expect(text).not.toMatch(/Berlin/)
  })

  it('refuses place codes that are not ISO 3166', async () => {
    const { alice, design } = await upstreamAndFork()
    for (const bad of ['Kenya', 'XX', 'K', 'KE-', 'KE-ABCD', 'ZZ']) {
      await expect(alice.commons.editDesign(design, { placeCode: bad })).rejects.toBeInstanceOf(InvalidInputError)
    }
    await expect(alice.commons.editDesign(design, { place: 'two\nlines' })).rejects.toBeInstanceOf(InvalidInputError)
  })
})
