/**
 * Seeds a fresh hub with N real designs: a seeding peer creates them with core's `Commons`
 * (createDesign + a few addBomRow each: governance, content and inbox documents, every edit
 * signed), then syncs them to the hub over libp2p, as a person publishing would. The designs are
 * made once and reused for every hub; each hub is sent only the first N.
 */
import type { DocumentId, PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { Commons, createIdentity, type DesignId } from '@cosmolocal/core'
import type { CosmoNode } from '@cosmolocal/net'
import { multiaddr } from '@multiformats/multiaddr'
import { headsKey } from './heads.ts'
import { spawnHub, type HubHandle } from './hub-handle.ts'
import { dialHub, libp2pPeer, type ClientPeer } from './peers.ts'
import { progress, until } from './progress.ts'

const BOM = [
  { name: 'frame', quantity: 4, material: 'birch plywood' },
  { name: 'M4 bolt', quantity: 16, unit: 'pcs', material: 'steel' },
  { name: 'belt', quantity: 1.5, unit: 'm', notes: 'GT2, 6 mm' },
]

/**
 * Designs are offered to the hub this many at a time. Offering thousands of documents at once
 * makes the hub hold every one of them half-synced while it works through the queue; on a busy
 * machine some then wait more than automerge-repo's 60 s handle timeout, and the rejection in
 * `DocSynchronizer.beginSync` is unhandled, which ends the hub's process (see README.md).
 */
const SEED_BATCH = 100

export interface Designs {
  /** Each design's documents, in creation order: [governance, content, inbox]. */
  readonly designs: readonly { design: DesignId; documents: readonly DocumentId[] }[]
  /** Documents the seeding peer offers (announces) to the hub it is connected to. */
  readonly offered: Set<DocumentId>
  readonly seeder: ClientPeer & { node: CosmoNode }
  stop(): Promise<void>
}

export async function makeDesigns(count: number): Promise<Designs> {
  const me = await createIdentity('seeder')
  const offered = new Set<DocumentId>()
  const seeder = await libp2pPeer(me, {
    shareConfig: { announce: async (_peer, doc) => doc !== undefined && offered.has(doc), access: async () => true },
  })
  const commons = new Commons(seeder.repo, me)
  const designs: { design: DesignId; documents: DocumentId[] }[] = []
  for (let i = 0; i < count; i++) {
    const design = await commons.createDesign({
      title: `Bench design ${i}`,
      summary: 'A design made by the sync benchmark',
      tags: ['bench', `batch-${i % 10}`],
      licenses: { hardware: 'CERN-OHL-S-2.0' },
    })
    for (const row of BOM) await commons.addBomRow(design, row)
    const d = await commons.design(design)
    designs.push({ design, documents: [d.id, d.contentId, d.inboxId] })
    if ((i + 1) % 250 === 0) progress(`  created ${i + 1}/${count} designs`)
  }
  return { designs, offered, seeder, stop: () => seeder.stop() }
}

export interface SeededHub {
  readonly hub: HubHandle
  readonly designs: number
  /** Every document the hub holds, with its heads there (what a fresh peer must end up with). */
  readonly documents: ReadonlyMap<DocumentId, string>
}

/** Starts a hub process on loopback with its own store and sends it the first `n` designs. */
export async function seedHub(source: Designs, n: number): Promise<SeededHub> {
  const hub = await spawnHub()
  try {
    const documents = new Map<DocumentId, string>()
    source.offered.clear()
    const t0 = performance.now()
    await dialHub(source.seeder, hub)
    for (let from = 0; from < n; from += SEED_BATCH) {
      const batch = new Map<DocumentId, string>()
      for (const d of source.designs.slice(from, Math.min(n, from + SEED_BATCH))) {
        for (const id of d.documents) batch.set(id, headsKey(source.seeder.repo.handles[id]!.heads()))
      }
      for (const [id, heads] of batch) {
        documents.set(id, heads)
        source.offered.add(id)
      }
      source.seeder.repo.shareConfigChanged()
      await hub.awaitDocuments(batch)
    }
    progress(`  hub holds ${n} designs (${documents.size} documents, on disk) after ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    await source.seeder.node.hangUp(multiaddr(hub.tcp))
    await until(() => !source.seeder.repo.peers.includes(hub.id as RepoPeerId), 'the seeder to leave the hub', 15_000, 10)
    return { hub, designs: n, documents }
  } catch (err) {
    await hub.stop()
    throw err
  }
}
