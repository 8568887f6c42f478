/**
 * The hub on durable storage: a damaged chunk found at start is set aside, logged, and the
 * document comes back from a peer that holds it.
 */
import * as A from '@automerge/automerge'
import type { DocumentId } from '@automerge/automerge-repo'
import { readQuarantine } from '@cosmolocal/storage'
import { multiaddr } from '@multiformats/multiaddr'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { eventually, netPerson, Scratch, testHub } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

function headsOf(hub: { repo: import('@automerge/automerge-repo').Repo }, id: DocumentId): string | null {
  const h = hub.repo.handles[id]
  return h?.isReady() ? A.getHeads(h.doc()).join(',') : null
}

describe('a hub with a damaged chunk', () => {
  it('sets it aside, logs it, and gets the document again from the hub it peers with', async () => {
    const dirA = await scratch.dir()
    const a = await testHub(dirA)
    const b = await testHub(await scratch.dir())
    const alice = await netPerson('alice')
    let design: DocumentId
    try {
      design = (await alice.commons.createDesign({ title: 'Kiln' })).replace('automerge:', '') as DocumentId
      await alice.node.dial(multiaddr(a.hub.multiaddrs()[0]!))
      await a.hub.peerWith(b.hub.multiaddrs()[0]!)
      await eventually(async () => {
        if ((await b.hub.catalogue())[0]?.title !== 'Kiln') throw new Error('not yet')
      }, 'the design to reach the second hub')
      await eventually(async () => {
        if (headsOf(a.hub, design) !== headsOf(b.hub, design)) throw new Error('not yet')
      }, 'both hubs to agree')
    } finally {
      await alice.stop()
      await a.hub.stop()
    }
    try {
      // Every chunk of the design's governance document is torn (what a killed plain write leaves).
      const docDir = join(dirA, 'repo', design.slice(0, 2), design.slice(2))
      for (const type of ['snapshot', 'incremental']) {
        for (const f of await readdir(join(docDir, type)).catch(() => [])) await writeFile(join(docDir, type, f), Uint8Array.of(0x85, 0x6f))
      }
      const lines: string[] = []
      const again = await testHub(dirA, { peers: [b.hub.multiaddrs()[0]!], log: (l) => lines.push(l) }, a.key)
      try {
        // Found by the check of the store against the index, in the background after start.
        await again.hub.index.checked()
        expect(lines.some((l) => l.includes(`damaged chunk of ${design}`) && l.includes('fetching the document again'))).toBe(true)
        await eventually(async () => {
          if (headsOf(again.hub, design) !== headsOf(b.hub, design)) throw new Error('not yet')
        }, 'the design to come back from the peer')
        expect((await again.hub.catalogue()).map((e) => e.title)).toEqual(['Kiln'])
        const records = await readQuarantine(again.hub.storage.quarantineDirectory)
        expect(records.length).toBeGreaterThan(0)
        expect(records.every((r) => r.documentId === design && r.problem === 'truncated')).toBe(true)
      } finally {
        await again.hub.stop()
      }
      // What came back is on disk: a restart without peers has it.
      const alone = await testHub(dirA, {}, a.key)
      try {
        expect((await alone.hub.catalogue()).map((e) => e.title)).toEqual(['Kiln'])
      } finally {
        await alone.hub.stop()
      }
    } finally {
      await b.hub.stop()
    }
  })
})
