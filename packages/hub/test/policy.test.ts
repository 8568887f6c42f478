/**
 * A hub defending the commons it hosts, with real libp2p peers on loopback: a denied key's writes
 * are neither stored nor relayed, and a peer over its write budget is cut off while everyone else
 * keeps syncing.
 */
import * as A from '@automerge/automerge'
import type { DocumentId } from '@automerge/automerge-repo'
import { multiaddr } from '@multiformats/multiaddr'
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import type { Hub } from '../src/index.js'
import { connect, eventually, netPerson, Scratch, testHub, type NetPerson } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

/** A hub whose log lines are kept, to find why it closed a session. */
async function loggedHub(init: Parameters<typeof testHub>[1] = {}): Promise<{ hub: Hub; logs: string[] }> {
  const logs: string[] = []
  const { hub } = await testHub(await scratch.dir(), { log: (l) => logs.push(l), ...init })
  return { hub, logs }
}

const addr = (hub: Hub) => hub.multiaddrs()[0]!

/** Waits until the hub logged closing `who`'s session because its gate refused it. */
async function refused(logs: string[], who: NetPerson, code: string): Promise<string> {
  return await eventually(async () => {
    const line = logs.find((l) => l.includes(who.node.peerId.toString()) && l.includes('PeerRefusedError') && l.includes(code))
    if (line === undefined) throw new Error('not yet')
    return line
  }, `the hub to refuse ${who.me.name}`)
}

async function hubHeads(hub: Hub, doc: DocumentId): Promise<string[] | null> {
  const h = hub.repo.handles[doc]
  return h?.isReady() ? [...A.getHeads(h.doc() as A.Doc<unknown>)] : null
}

describe('a hub with a denied key', () => {
  it("a denied key's writes are not relayed by the hub: alice is denied, her design never reaches bob through it, carol's does", async () => {
    const { hub, logs } = await loggedHub()
    const [alice, bob, carol] = await Promise.all([netPerson('alice'), netPerson('bob'), netPerson('carol')])
    try {
      await hub.policy.deny(alice.me.id, 'spam')
      const denied = await alice.commons.createDesign({ title: 'From a denied key' })
      const allowed = await carol.commons.createDesign({ title: 'From carol' })
      const d = await alice.commons.design(denied)
      await alice.node.dial(multiaddr(addr(hub)))
      await connect(carol, addr(hub))
      await refused(logs, alice, 'denied')
      await connect(bob, addr(hub))
      // carol's design reaches bob through the hub: the path works
      await eventually(async () => {
        if (!(await hub.catalogue()).some((e) => e.title === 'From carol')) throw new Error('not yet')
      }, "carol's design to reach the hub")
      expect((await bob.commons.design(allowed)).content.title).toBe('From carol')
      // alice's never got in, so nothing of it can be relayed
      const held = await hub.documents()
      for (const doc of [d.id, d.contentId, d.inboxId]) expect(held).not.toContain(doc)
      expect(alice.repo.peers).not.toContain(hub.id)
      await expect(bob.repo.find(d.id)).rejects.toThrow(/unavailable/)
    } finally {
      await Promise.all([alice, bob, carol].map((p) => p.stop()))
      await hub.stop()
    }
  })

  it('denying a key while it syncs closes its session at once: its next change stops at the hub while others still reach bob', async () => {
    const { hub, logs } = await loggedHub()
    const [alice, bob, carol] = await Promise.all([netPerson('alice'), netPerson('bob'), netPerson('carol')])
    try {
      const design = await alice.commons.createDesign({ title: 'Loom' })
      const d = await alice.commons.design(design)
      await connect(alice, addr(hub))
      await eventually(async () => {
        if ((await hubHeads(hub, d.contentId))?.join() !== A.getHeads(alice.repo.handles[d.contentId]!.doc() as A.Doc<unknown>).join()) throw new Error('not yet')
      }, 'the design to reach the hub')
      const before = await hubHeads(hub, d.contentId)

      await hub.policy.deny(alice.me.id)
      await refused(logs, alice, 'denied')
      await eventually(async () => {
        if (alice.repo.peers.includes(hub.id as never)) throw new Error('still a peer')
      }, "alice's session to end")
      await alice.commons.addBomRow(design, { name: 'after the denial', quantity: 1 })

      // carol, not denied, still gets a design to bob through the hub after alice's edit
      await connect(carol, addr(hub))
      await connect(bob, addr(hub))
      const later = await carol.commons.createDesign({ title: 'Later' })
      await eventually(async () => {
        if (!(await hub.catalogue()).some((e) => e.title === 'Later')) throw new Error('not yet')
      }, "carol's design to reach the hub")
      expect((await bob.commons.design(later)).content.title).toBe('Later')
      expect(await hubHeads(hub, d.contentId)).toEqual(before)
      expect((await bob.commons.design(design)).content.bom).toEqual([])
    } finally {
      await Promise.all([alice, bob, carol].map((p) => p.stop()))
      await hub.stop()
    }
  })

  it('a key allowed again syncs again at once, and /api/hub lists the keys denied', async () => {
    const dir = await scratch.dir()
    const logs: string[] = []
    const { hub } = await testHub(dir, { log: (l) => logs.push(l) })
    const alice = await netPerson('alice')
    try {
      await hub.policy.deny(alice.me.id, 'looked like spam')
      const api = async () => ((await (await fetch(new URL('/api/hub', hub.http))).json()) as { denied: { id: string; note: string | null }[] }).denied
      expect(await api()).toEqual([expect.objectContaining({ id: alice.me.id, note: 'looked like spam' })])
      await alice.node.dial(multiaddr(addr(hub)))
      await refused(logs, alice, 'denied')
      expect(await hub.policy.allow(alice.me.id)).toBe(true)
      expect(await api()).toEqual([])
      // no redial: the hub opens a session with the connected key it admits again
      await eventually(async () => {
        if (!alice.repo.peers.includes(hub.id as never)) throw new Error('no session')
      }, 'a session with alice again')
      const design = await alice.commons.createDesign({ title: 'Welcome back' })
      await eventually(async () => {
        if (!(await hub.catalogue()).some((e) => e.design === design.replace('automerge:', ''))) throw new Error('not yet')
      }, "alice's design to reach the hub")
    } finally {
      await alice.stop()
      await hub.stop()
    }
  })

  it('the deny list survives a restart of the hub', async () => {
    const dir = await scratch.dir()
    const first = await testHub(dir)
    const alice = await netPerson('alice')
    try {
      await first.hub.policy.deny(alice.me.id)
    } finally {
      await first.hub.stop()
    }
    const again = await testHub(dir, {}, first.key)
    try {
      expect(again.hub.policy.denied().map((e) => e.id)).toEqual([alice.me.id])
    } finally {
      await alice.stop()
      await again.hub.stop()
    }
  })

  it('a hub refuses to peer with a denied hub', async () => {
    const a = await testHub(await scratch.dir())
    const b = await testHub(await scratch.dir())
    try {
      await a.hub.policy.deny(b.key.id)
      await expect(b.hub.peerWith(addr(a.hub))).rejects.toThrow(/denied/)
      expect(a.hub.hubPeers()).toEqual([])
    } finally {
      await a.hub.stop()
      await b.hub.stop()
    }
  })
})

describe('per-peer write budgets', () => {
  it('a peer flooding new documents is cut off and refused for a while; another peer keeps syncing', async () => {
    const { hub, logs } = await loggedHub({ limits: { newDocumentsPerWindow: 30, windowMs: 60_000, cutoffMs: 60_000 } })
    const [mallory, bob] = await Promise.all([netPerson('mallory'), netPerson('bob')])
    try {
      await connect(bob, addr(hub))
      const flood = Array.from({ length: 120 }, (_, i) => mallory.repo.create({ junk: i }).documentId)
      await mallory.node.dial(multiaddr(addr(hub)))
      const line = await refused(logs, mallory, 'new documents')
      expect(line).toMatch(/more than 30 new documents/)
      const held = new Set(await hub.documents())
      expect(flood.filter((id) => held.has(id)).length).toBeLessThanOrEqual(30)
      // redialling does not help while the cut-off lasts
      await mallory.node.hangUp(hub.node.peerId)
      await mallory.node.dial(multiaddr(addr(hub)))
      await eventually(async () => {
        if (logs.filter((l) => l.includes(mallory.node.peerId.toString()) && l.includes('try again in')).length < 2) throw new Error('not yet')
      }, 'the hub to refuse mallory again')
      // bob's budget is his own
      const design = await bob.commons.createDesign({ title: 'Still syncing' })
      await bob.commons.addBomRow(design, { name: 'after the flood', quantity: 2 })
      const d = await bob.commons.design(design)
      await eventually(async () => {
        const e = (await hub.catalogue()).find((x) => x.title === 'Still syncing')
        if (e?.heads.join() !== d.state.canonicalHeads.join()) throw new Error('not yet')
      }, "bob's design to reach the hub")
      expect(bob.repo.peers).toContain(hub.id)
    } finally {
      await Promise.all([mallory, bob].map((p) => p.stop()))
      await hub.stop()
    }
  })

  it('a peer sending more bytes than its budget is cut off; another peer keeps syncing', async () => {
    const { hub, logs } = await loggedHub({ limits: { bytesPerWindow: 1024 * 1024 } })
    const [mallory, bob] = await Promise.all([netPerson('mallory'), netPerson('bob')])
    try {
      await connect(bob, addr(hub))
      // random text does not compress: the sync message carrying it is over a megabyte
      const junk = randomBytes(1536 * 1024).toString('base64')
      const big = mallory.repo.create({ junk })
      await mallory.node.dial(multiaddr(addr(hub)))
      expect(await refused(logs, mallory, 'bytes')).toMatch(/more than 1048576 bytes/)
      expect(await hubHeads(hub, big.documentId)).toBeNull()
      const design = await bob.commons.createDesign({ title: 'Unbothered' })
      await eventually(async () => {
        if (!(await hub.catalogue()).some((e) => e.design === design.replace('automerge:', ''))) throw new Error('not yet')
      }, "bob's design to reach the hub")
    } finally {
      await Promise.all([mallory, bob].map((p) => p.stop()))
      await hub.stop()
    }
  })
})
