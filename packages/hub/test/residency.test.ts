/**
 * A hub unloading idle documents under a peer that stays connected: the peer's session survives
 * every unload, its later changes to an unloaded document reach the hub and are stored, and what
 * it asks for again is loaded again on demand.
 */
import * as A from '@automerge/automerge'
import { Repo, type DocumentId } from '@automerge/automerge-repo'
import { Commons } from '@cosmolocal/core'
import type { Libp2pNetworkAdapter } from '@cosmolocal/net'
import { AtomicFsStorageAdapter } from '@cosmolocal/storage'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { connectTo, fetchHeads, type Hub } from '../src/index.js'
import { eventually, netPerson, Scratch, testHub, type NetPerson } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

const loaded = (hub: Hub) => Object.keys(hub.repo.handles).length
const headsOf = async (p: NetPerson, id: DocumentId) => [...A.getHeads((await p.repo.find(id)).doc())].sort().join(',')
const adapterOf = (p: NetPerson) => p.repo.networkSubsystem.adapters[0] as Libp2pNetworkAdapter

describe('a hub unloading idle documents while a peer stays connected', () => {
  it('keeps the session, stores the peer\'s later changes to an unloaded document, and loads it again on demand', async () => {
    const dir = await scratch.dir()
    const lines: string[] = []
    const { hub } = await testHub(dir, { idleMs: 300, log: (l) => lines.push(l) })
    const writer = await netPerson('writer')
    let design = ''
    let content = '' as DocumentId
    const drops: string[] = []
    writer.repo.networkSubsystem.on('peer-disconnected', ({ peerId }) => drops.push(`${peerId}: ${adapterOf(writer).lastSessionEnd(peerId)?.reason}`))
    try {
      const remote = await connectTo(writer.node, writer.repo, hub.multiaddrs()[0]!)
      design = await writer.commons.createDesign({ title: 'Hinge' })
      await writer.commons.addBomRow(design, { name: 'pin', quantity: 1 })
      content = (await writer.commons.design(design)).contentId as DocumentId
      const acknowledged = async (what: string) => {
        const mine = await headsOf(writer, content)
        await eventually(async () => {
          if ((await fetchHeads(writer.node, remote, [content])).get(content) !== mine) throw new Error('not yet')
        }, what)
      }
      await acknowledged('the hub to store the first row')
      for (const round of [1, 2, 3]) {
        const before = hub.residency.unloaded
        await eventually(async () => {
          if (loaded(hub) > 0 || hub.residency.unloaded === before) throw new Error(`${loaded(hub)} still loaded`)
        }, 'the idle documents to unload')
        // A change to a document the hub let go of: it loads it again and stores the change.
        await writer.commons.addBomRow(design, { name: `after unload ${round}`, quantity: round })
        await acknowledged(`the hub to store row ${round} after unloading`)
        expect(drops).toEqual([])
        expect(writer.repo.peers).toContain(hub.id)
      }
    } catch (err) {
      await hub.stop()
      throw err
    } finally {
      await writer.stop()
    }
    // Another peer, on the same hub, asks for the design after it was unloaded again: loaded on demand.
    await eventually(async () => {
      if (loaded(hub) > 0) throw new Error(`${loaded(hub)} still loaded`)
    }, 'the idle documents to unload')
    const reader = await netPerson('reader')
    try {
      await connectTo(reader.node, reader.repo, hub.multiaddrs()[0]!)
      expect((await new Commons(reader.repo, null).design(design)).content.bom.map((r) => r.name)).toEqual(['pin', 'after unload 1', 'after unload 2', 'after unload 3'])
    } finally {
      await reader.stop()
      await hub.stop()
    }
    expect(lines.filter((l) => l.includes('sync session') && !l.includes('peer closed the stream'))).toEqual([])
    // On disk, every acknowledged row.
    const storage = new AtomicFsStorageAdapter(join(dir, 'repo'))
    const repo = new Repo({ storage, network: [] })
    try {
      expect((await new Commons(repo, null).design(design)).content.bom.map((r) => r.name)).toEqual(['pin', 'after unload 1', 'after unload 2', 'after unload 3'])
    } finally {
      await repo.shutdown()
    }
  }, 90_000)
})
