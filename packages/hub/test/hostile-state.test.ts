/**
 * A keyless writer's damage to a design's current state, synced through a real hub: the hub keeps
 * listing the design (what it is comes from signed history), a late joiner pulled from the hub
 * verifies it, and its maintainer's next edit works and reaches everyone.
 */
import * as A from '@automerge/automerge'
import type { DocumentId } from '@automerge/automerge-repo'
import { afterAll, describe, expect, it } from 'vitest'
import { connectTo, fetchHeads } from '../src/index.js'
import { connect, eventually, netPerson, Scratch, testHub } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

const wipes: [string, (doc: Record<string, unknown>) => void][] = [
  ['every top-level field deleted', (d) => { for (const k of Object.keys(d)) delete d[k] }],
  ['schema retyped and records emptied', (d) => { d.schema = 'something/else@9'; d.records = []; d.entries = [] }],
]

describe('a wiped governance document synced through a hub', () => {
  for (const [what, wipe] of wipes) {
    it(`${what}: the hub still lists the design, a late joiner verifies it, and its maintainer edits on`, { timeout: 120_000 }, async () => {
      const { hub } = await testHub(await scratch.dir())
      const addr = hub.multiaddrs()[0]!
      const [alice, mallory, carol] = [await netPerson('alice'), await netPerson('mallory'), await netPerson('carol')]
      try {
        const design = await alice.commons.createDesign({ title: 'Loom' })
        await alice.commons.addBomRow(design, { name: 'frame', quantity: 4 })
        const before = await alice.commons.design(design)
        await connect(alice, addr)
        const listed = async (heads: readonly string[]) => {
          const entry = (await hub.catalogue()).find((e) => e.design === before.id)
          if (entry === undefined || entry.heads.join() !== heads.join()) throw new Error('not listed at those heads')
          return entry
        }
        await eventually(() => listed(before.state.canonicalHeads), 'the hub to list the design')

        // Mallory, holding no key of the design, rewrites its documents' state and syncs it.
        const remote = await connectTo(mallory.node, mallory.repo, addr)
        for (const id of [before.id, before.contentId, before.inboxId]) {
          const h = await mallory.repo.find<Record<string, unknown>>(id as DocumentId)
          h.change(wipe)
        }
        const wiped = [...A.getHeads((await mallory.repo.find(before.id as DocumentId)).doc())].sort().join(',')
        await eventually(async () => {
          const got = (await fetchHeads(mallory.node, remote, [before.id as DocumentId])).get(before.id as DocumentId)
          if (got !== wiped) throw new Error(`not yet: ${got} vs ${wiped}`)
        }, "mallory's wipe to reach the hub (on its disk)")

        // The hub lists the design as it was, and a late joiner verifies it from the hub.
        expect((await listed(before.state.canonicalHeads)).title).toBe('Loom')
        await connect(carol, addr)
        for (const id of [before.id, before.contentId, before.inboxId]) await carol.repo.find(id as DocumentId)
        const seen = await carol.commons.design(design)
        expect(seen.content.bom.map((r) => r.name)).toEqual(['frame'])
        expect(seen.state.maintainers).toEqual([alice.me.id])

        // Alice's next edit (after the wipe reached her) works, and the hub lists it.
        await eventually(async () => {
          if (!A.hasHeads((await alice.repo.find(before.id as DocumentId)).doc(), A.getHeads((await mallory.repo.find(before.id as DocumentId)).doc()))) {
            throw new Error('not yet')
          }
        }, 'the wipe to reach alice')
        await alice.commons.addBomRow(design, { name: 'bolt', quantity: 8 })
        const after = await alice.commons.design(design)
        expect(after.content.bom.map((r) => r.name)).toEqual(['frame', 'bolt'])
        await eventually(() => listed(after.state.canonicalHeads), "the hub to list alice's edit")
        expect((await carol.commons.design(design)).state.maintainers).toEqual([alice.me.id])
      } finally {
        for (const p of [alice, mallory, carol]) await p.stop()
        await hub.stop()
      }
    })
  }
})

