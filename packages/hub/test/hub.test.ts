import { Repo, type PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'
import { multiaddr } from '@multiformats/multiaddr'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readServeInfo } from '../src/index.js'
import { Commons, createIdentity } from '@cosmolocal/core'
import { createNodePeer, encodeVarint, Libp2pNetworkAdapter, MAX_FRAME_BYTES, SYNC_PROTOCOL } from '@cosmolocal/net'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
import { connect, eventually, netPerson, Scratch, testHub } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

describe('the hub', () => {
  it('writes serve.json when ready and removes it when stopped', async () => {
    const dir = await scratch.dir()
    const { hub } = await testHub(dir)
    const info = await readServeInfo(dir)
    expect(info).toMatchObject({ id: hub.id, http: hub.http, automergeWs: hub.automergeWs })
    expect(info!.multiaddrs.some((m) => m.includes('/tcp/') && !m.includes('/ws'))).toBe(true)
    expect(info!.multiaddrs.some((m) => m.endsWith('/ws') || m.includes('/ws/'))).toBe(true)
    await hub.stop()
    expect(await readServeInfo(dir)).toBeNull()
  })

  it('says when the work it began in the background at start is done: a crash\'s temporary files swept, the index checked', async () => {
    const dir = await scratch.dir()
    // Temporary files a writer that is gone left deep in the store (pid beyond Linux's pid_max),
    // in enough directories that sweeping them outlasts the start itself.
    const leftovers: string[] = []
    for (let i = 0; i < 500; i++) {
      const chunks = join(dir, 'repo', `a${i % 10}`, `cdefgh${i}`, 'incremental')
      await mkdir(chunks, { recursive: true })
      leftovers.push(join(chunks, '.chunk.tmp-4194304-deadbeef'))
    }
    await Promise.all(leftovers.map((f) => writeFile(f, 'half a chunk')))
    const { hub } = await testHub(dir)
    try {
      await hub.backgroundStart()
      expect(leftovers.filter((f) => existsSync(f))).toEqual([])
      expect(hub.index.complete).toBe(true)
    } finally {
      await hub.stop()
    }
  })

  it('a libp2p peer pushes a design to the hub and another peer pulls it, verified', async () => {
    const { hub } = await testHub(await scratch.dir())
    const alice = await netPerson('alice')
    const bob = await netPerson('bob')
    try {
      const design = await alice.commons.createDesign({ title: 'Loom' })
      await alice.commons.addBomRow(design, { name: 'frame', quantity: 4 })
      await alice.node.dial(multiaddr(hub.multiaddrs()[0]!))
      const d = await alice.commons.design(design)
      // the hub gets alice's documents (she announces them), and lists the design once verified
      await eventually(async () => {
        const entries = await hub.catalogue()
        if (entries[0]?.heads.join() !== d.state.canonicalHeads.join()) throw new Error('not yet')
      }, 'the hub to list the design')
      await connect(bob, hub.multiaddrs()[0]!)
      for (const id of [d.id, d.contentId, d.inboxId]) await bob.repo.find(id)
      const seen = await bob.commons.design(design)
      expect(seen.content.bom.map((r) => r.name)).toEqual(['frame'])
      expect(seen.state.maintainers).toEqual([alice.me.id])
    } finally {
      await alice.stop()
      await bob.stop()
      await hub.stop()
    }
  })

  it('a stock automerge-repo Repo with only the stock WebSocket client adapter finds a design through the hub', async () => {
    const { hub } = await testHub(await scratch.dir())
    const alice = await netPerson('alice')
    const stock = new Repo({ network: [new WebSocketClientAdapter(hub.automergeWs)] })
    try {
      const design = await alice.commons.createDesign({ title: 'Press' })
      const d = await alice.commons.design(design)
      await alice.node.dial(multiaddr(hub.multiaddrs()[0]!))
      await eventually(async () => {
        if ((await hub.catalogue()).length !== 1) throw new Error('not yet')
      }, 'the hub to hold the design')
      // the stock client adapter joins asynchronously; until then find() has nobody to ask
      const content = await eventually(() => stock.find<{ title: { val: string } }>(d.contentId), 'the stock client to find the content')
      expect(String(content.doc().title)).toBe('Press')
      const gov = await stock.find<{ schema: string }>(d.url)
      expect(gov.doc().schema).toBe('cosmolocal/governance@1')
    } finally {
      await stock.shutdown()
      await alice.stop()
      await hub.stop()
    }
  })

  it('serves its catalogue over HTTP, and a page listing it when no web app is built', async () => {
    const { hub } = await testHub(await scratch.dir())
    const alice = await netPerson('alice')
    try {
      await alice.commons.createDesign({ title: 'Spinning <wheel>' })
      await alice.node.dial(multiaddr(hub.multiaddrs()[0]!))
      await eventually(async () => {
        if ((await hub.catalogue()).length !== 1) throw new Error('not yet')
      }, 'the design to arrive')
      const api = (await (await fetch(new URL('/api/catalogue', hub.http))).json()) as { title: string }[]
      expect(api.map((e) => e.title)).toEqual(['Spinning <wheel>'])
      const page = await (await fetch(hub.http)).text()
      expect(page).toContain('Spinning &#60;wheel&#62;')
      expect((await fetch(new URL('/nope', hub.http))).status).toBe(404)
      // odd request targets get an answer, not a server error, and do not take the hub down
      const target = new URL(hub.http)
      const status = (path: string, headers: Record<string, string> = {}) =>
        new Promise<number | 'closed'>((resolve) => {
          const req = request({ host: target.hostname, port: target.port, path, headers }, (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          })
          req.on('error', () => resolve('closed'))
          req.end()
        })
      expect(await status('//')).toBe(404)
      expect(await status('/%')).toBe(404)
      expect(await status('//', { connection: 'upgrade', upgrade: 'websocket' })).toBe('closed')
      expect((await fetch(new URL('/api/catalogue', hub.http))).status).toBe(200)
    } finally {
      await alice.stop()
      await hub.stop()
    }
  })

  it('keeps everything it acknowledged across a restart', async () => {
    const dir = await scratch.dir()
    const first = await testHub(dir)
    const alice = await netPerson('alice')
    let design: string
    try {
      design = await alice.commons.createDesign({ title: 'Kiln' })
      await alice.commons.addBomRow(design, { name: 'firebrick', quantity: 120 })
      await alice.node.dial(multiaddr(first.hub.multiaddrs()[0]!))
      await eventually(async () => {
        if ((await first.hub.catalogue())[0]?.title !== 'Kiln') throw new Error('not yet')
      }, 'the design to arrive')
    } finally {
      await alice.stop()
      await first.hub.stop()
    }
    const again = await testHub(dir, {}, first.key)
    try {
      const entries = await again.hub.catalogue()
      expect(entries.map((e) => e.title)).toEqual(['Kiln'])
      expect(entries[0]!.design).toBe(design!.replace('automerge:', ''))
    } finally {
      await again.hub.stop()
    }
    expect(await readServeInfo(dir)).toBeNull()
  })

  it('two peered hubs exchange their designs both ways', async () => {
    const a = await testHub(await scratch.dir())
    const b = await testHub(await scratch.dir())
    const alice = await netPerson('alice')
    const bob = await netPerson('bob')
    try {
      await alice.commons.createDesign({ title: 'From A' })
      await alice.node.dial(multiaddr(a.hub.multiaddrs()[0]!))
      await bob.commons.createDesign({ title: 'From B' })
      await bob.node.dial(multiaddr(b.hub.multiaddrs()[0]!))
      await eventually(async () => {
        if ((await a.hub.catalogue()).length !== 1 || (await b.hub.catalogue()).length !== 1) throw new Error('not yet')
      }, 'each hub to hold its design')
      await a.hub.peerWith(b.hub.multiaddrs()[0]!)
      for (const h of [a.hub, b.hub]) {
        await eventually(async () => {
          const titles = (await h.catalogue()).map((e) => e.title).sort()
          if (titles.join() !== 'From A,From B') throw new Error(titles.join())
        }, 'both catalogues to hold both designs')
      }
      // a design created after peering travels too
      await alice.commons.createDesign({ title: 'Later' })
      await eventually(async () => {
        if (!(await b.hub.catalogue()).some((e) => e.title === 'Later')) throw new Error('not yet')
      }, 'the new design to reach the other hub')
    } finally {
      await alice.stop()
      await bob.stop()
      await a.hub.stop()
      await b.hub.stop()
    }
  })

  it('garbage, truncated and oversized frames disconnect only their sender', async () => {
    const { hub } = await testHub(await scratch.dir(), { log: () => {} })
    const alice = await netPerson('alice')
    const attackers = await Promise.all([1, 2, 3].map(async () => createNodePeer({ privateKey: (await createIdentity('x')).privateKey, listen: [] })))
    try {
      const design = await alice.commons.createDesign({ title: 'Loom' })
      await connect(alice, hub.multiaddrs()[0]!)
      const payloads = [
        crypto.getRandomValues(new Uint8Array(4096)), // garbage
        new Uint8Array([...encodeVarint(1000), 1, 2, 3]), // truncated: a prefix promising more than comes
        encodeVarint(MAX_FRAME_BYTES + 1), // oversized
      ]
      const closed = await Promise.all(
        attackers.map(async (node, i) => {
          const stream = await node.dialProtocol(multiaddr(hub.multiaddrs()[0]!), SYNC_PROTOCOL)
          const ended = new Promise<string>((resolve) => stream.addEventListener('close', () => resolve('closed')))
          stream.send(payloads[i]!)
          if (i === 1) await stream.close().catch(() => {})
          return await Promise.race([ended, new Promise<string>((r) => setTimeout(() => r('still open'), 25_000))])
        }),
      )
      expect(closed).toEqual(['closed', 'closed', 'closed'])
      // alice's session is untouched: her next edit still reaches the hub
      await alice.commons.addBomRow(design, { name: 'after the attack', quantity: 1 })
      await eventually(async () => {
        const e = (await hub.catalogue()).find((x) => x.title === 'Loom')
        const d = await alice.commons.design(design)
        if (e?.heads.join() !== d.state.canonicalHeads.join()) throw new Error('not yet')
      }, "alice's edit to reach the hub")
      expect(alice.repo.peers).toContain(hub.id)
    } finally {
      await Promise.all(attackers.map((n) => n.stop()))
      await alice.stop()
      await hub.stop()
    }
  })

  it('a peer following a design gets maintainers\' edits through the hub live, and those made while it was away on reconnecting', async () => {
    const scratch2 = await scratch.dir()
    const { hub } = await testHub(await scratch.dir())
    const alice = await netPerson('alice')
    const bobKey = await createIdentity('bob')
    // bob keeps his copy on disk, as a browser keeps it in IndexedDB, and offers everything to the hub
    const startBob = async () => {
      const node = await createNodePeer({ privateKey: bobKey.privateKey, listen: [] })
      const repo = new Repo({
        peerId: node.peerId.toString() as RepoPeerId,
        storage: new NodeFSStorageAdapter(join(scratch2, 'bob')),
        network: [new Libp2pNetworkAdapter(node)],
        sharePolicy: async () => true,
      })
      await node.dial(multiaddr(hub.multiaddrs()[0]!))
      await eventually(async () => {
        if (repo.peers.length === 0) throw new Error('no session yet')
      }, 'a session with the hub')
      return { node, repo, commons: new Commons(repo, bobKey) }
    }
    const names = async (b: Awaited<ReturnType<typeof startBob>>, design: string) => (await b.commons.design(design)).content.bom.map((r) => r.name)
    let bob = await startBob()
    try {
      const design = await alice.commons.createDesign({ title: 'Loom' })
      await connect(alice, hub.multiaddrs()[0]!)
      const d = await alice.commons.design(design)
      for (const id of [d.id, d.contentId, d.inboxId]) await eventually(() => bob.repo.find(id), 'bob to open the design')
      await alice.commons.addBomRow(design, { name: 'live row', quantity: 1 })
      await eventually(async () => {
        if ((await names(bob, design)).join() !== 'live row') throw new Error('not yet')
      }, "alice's edit to reach bob live")
      await bob.repo.shutdown()
      await bob.node.stop()
      await alice.commons.addBomRow(design, { name: 'while bob was away', quantity: 1 })
      bob = await startBob()
      for (const id of [d.id, d.contentId, d.inboxId]) await bob.repo.find(id)
      await eventually(async () => {
        if ((await names(bob, design)).join() !== 'live row,while bob was away') throw new Error('not yet')
      }, 'the edit made while bob was away')
    } finally {
      await bob.repo.shutdown().catch(() => undefined)
      await bob.node.stop()
      await alice.stop()
      await hub.stop()
    }
  })

  it('a follower whose connection died with an update in flight gets that update after reconnecting', async () => {
    const { hub } = await testHub(await scratch.dir())
    const alice = await netPerson('alice')
    const bob = await netPerson('bob')
    try {
      const design = await alice.commons.createDesign({ title: 'Loom' })
      await connect(alice, hub.multiaddrs()[0]!)
      await connect(bob, hub.multiaddrs()[0]!)
      const d = await alice.commons.design(design)
      for (const id of [d.id, d.contentId, d.inboxId]) await eventually(() => bob.repo.find(id), 'bob to open the design')
      const bobId = bob.node.peerId.toString()
      // The moment the hub sends bob the content update, bob's connection dies: the update is lost
      // in flight (as when a browser tab reloads while a message is on its way).
      let cut = false
      hub.repo.synchronizer.on('message', (m) => {
        if (cut || m.type !== 'sync' || m.targetId !== bobId || m.documentId !== d.contentId) return
        cut = true
        for (const c of bob.node.getConnections()) c.abort(new Error('connection lost'))
      })
      await alice.commons.addBomRow(design, { name: 'sent while bob dropped', quantity: 1 })
      await eventually(async () => {
        if (!cut) throw new Error('not sent yet')
      }, 'the hub to send the update')
      await eventually(async () => {
        if (hub.repo.peers.includes(bobId as RepoPeerId)) throw new Error('still connected')
      }, 'the hub to notice bob left')
      await connect(bob, hub.multiaddrs()[0]!)
      await eventually(async () => {
        const names = (await bob.commons.design(design)).content.bom.map((r) => r.name)
        if (names.join() !== 'sent while bob dropped') throw new Error(`bob has [${names.join()}]`)
      }, 'the lost update to reach bob')
    } finally {
      await alice.stop()
      await bob.stop()
      await hub.stop()
    }
  })
})
