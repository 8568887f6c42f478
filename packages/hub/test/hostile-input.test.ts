/**
 * Hostile bytes against a real hub: malformed messages on the stock WebSocket endpoint, a client
 * posing as someone else there, writes over it, and a peer naming a path as its storage id. Each
 * must close at most the offending connection, with a logged reason, and leave the hub serving.
 */
import * as A from '@automerge/automerge'
import { cbor, Repo, type DocumentId } from '@automerge/automerge-repo'
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket'
import { createIdentity } from '@cosmolocal/core'
import { createNodePeer, encodeFrame, FrameDecoder, MAX_FRAME_BYTES, SYNC_PROTOCOL, type CosmoNode } from '@cosmolocal/net'
import { multiaddr } from '@multiformats/multiaddr'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { connect as tcpConnect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { HUB_PROTOCOL, request, type Hub } from '../src/index.js'
import { connect, eventually, netPerson, Scratch, testHub, type NetPerson } from './helpers.js'

const scratch = new Scratch()
let dir: string
let hub: Hub
let alice: NetPerson
let contentId: DocumentId
const logs: string[] = []

beforeAll(async () => {
  dir = await scratch.dir()
  ;({ hub } = await testHub(dir, { log: (l) => logs.push(l) }))
  alice = await netPerson('alice')
  const design = await alice.commons.createDesign({ title: 'Loom' })
  contentId = (await alice.commons.design(design)).contentId
  await connect(alice, hub.multiaddrs()[0]!)
  await eventually(async () => {
    if ((await hub.catalogue()).length !== 1) throw new Error('not yet')
  }, 'the design to reach the hub')
})

afterAll(async () => {
  await alice.stop()
  await hub.stop()
  await scratch.cleanup()
})

/** A stock automerge-repo Repo (stock WebSocket client adapter) still reads a design through the hub. */
async function stockReaderStillReads(): Promise<void> {
  const stock = new Repo({ network: [new WebSocketClientAdapter(hub.automergeWs)] })
  try {
    const content = await eventually(() => stock.find<{ title: unknown }>(contentId), 'a stock client to read the design')
    expect(String(content.doc().title)).toBe('Loom')
  } finally {
    await stock.shutdown()
  }
  expect(alice.repo.peers).toContain(hub.id)
}

interface Client {
  ws: WebSocket
  received: Array<Record<string, unknown>>
  closed: Promise<{ code: number; reason: string }>
}

async function wsClient(): Promise<Client> {
  const ws = new WebSocket(hub.automergeWs)
  const received: Array<Record<string, unknown>> = []
  ws.on('message', (data) => received.push(cbor.decode(data as Buffer)))
  ws.on('error', () => {})
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, received, closed }
}

/** A client that has joined as `claimed`, and the hub's answer. */
async function joined(claimed = `peer-${randomBytes(4).toString('hex')}`): Promise<Client & { claimed: string }> {
  const c = await wsClient()
  c.ws.send(cbor.encode({ type: 'join', senderId: claimed, peerMetadata: {}, supportedProtocolVersions: ['1'] }))
  await eventually(async () => {
    if (!c.received.some((m) => m.type === 'peer')) throw new Error('no answer')
  }, 'the hub to answer the join')
  return { ...c, claimed }
}

/** Waits for the hub to close `c` and to log why; returns the log line. */
async function droppedWith(c: Client, reason: RegExp): Promise<string> {
  await Promise.race([c.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the hub did not close the connection')), 10_000))])
  return await eventually(async () => {
    const line = logs.find((l) => l.includes('stock WebSocket client') && reason.test(l))
    if (line === undefined) throw new Error(`no log line matching ${reason}`)
    logs.splice(logs.indexOf(line), 1)
    return line
  }, 'the hub to log why it dropped the client')
}

/** Sends one raw WebSocket frame (its first byte given: FIN, RSV and opcode bits) after a real upgrade. */
function rawFrame(firstByte: number, payload: Uint8Array): Promise<void> {
  const url = new URL(hub.automergeWs)
  return new Promise((resolve) => {
    const socket = tcpConnect(Number(url.port), url.hostname)
    socket.on('error', () => resolve())
    socket.on('close', () => resolve())
    let upgraded = false
    socket.on('data', (chunk) => {
      if (upgraded || !chunk.toString('latin1').startsWith('HTTP/1.1 101')) return
      upgraded = true
      const mask = randomBytes(4)
      const masked = payload.map((b, i) => b ^ mask[i % 4]!)
      socket.write(Buffer.from([firstByte, 0x80 | payload.length, ...mask, ...masked]))
    })
    socket.write(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    )
  })
}

describe('the stock WebSocket endpoint under hostile input', () => {
  it('a stock WebSocket message holding CBOR null closes only that connection, with a reason, and the hub keeps serving', async () => {
    const c = await wsClient()
    c.ws.send(Uint8Array.from([0xf6]))
    expect(await droppedWith(c, /MalformedFrameError/)).toMatch(/not hold a CBOR map/)
    await stockReaderStillReads()
  })

  const beforeJoin: Array<[string, Uint8Array]> = [
    ['a CBOR array', cbor.encode([1, 2, 3])],
    ['a CBOR string', cbor.encode('join')],
    ['bytes that are not CBOR', Uint8Array.from([0xff, 0xfe, 0x00])],
    ['a map without a type', cbor.encode({ senderId: 'x' })],
    ['a join whose versions are not a list', cbor.encode({ type: 'join', senderId: 'x', peerMetadata: {}, supportedProtocolVersions: 5 })],
    ['a join whose sender is not a string', cbor.encode({ type: 'join', senderId: { toString: 1 }, peerMetadata: {} })],
    ['a join whose metadata is not a map', cbor.encode({ type: 'join', senderId: 'x', peerMetadata: 'x' })],
    ['a join whose storage id is a path', cbor.encode({ type: 'join', senderId: 'x', peerMetadata: { storageId: '../../../x' } })],
    ['a sync message before any join', cbor.encode({ type: 'sync', senderId: 'x', targetId: 'y', documentId: 'z', data: new Uint8Array(1) })],
  ]
  it.each(beforeJoin)('malformed stock WebSocket message before the join: %s', async (_what, bytes) => {
    const c = await wsClient()
    c.ws.send(bytes)
    await droppedWith(c, /(MalformedFrameError|WebSocketProtocolError)/)
    await stockReaderStillReads()
  })

  const afterJoin: Array<[string, (me: string) => Record<string, unknown>]> = [
    ['a sync message naming no document', (me) => ({ type: 'sync', senderId: me, targetId: hub.id, documentId: 'nope', data: new Uint8Array([0x42]) })],
    ['a sync message whose data is not a sync message', (me) => ({ type: 'sync', senderId: me, targetId: hub.id, documentId: contentId, data: Uint8Array.from([1, 2, 3]) })],
    ['a sync message whose data is text', (me) => ({ type: 'sync', senderId: me, targetId: hub.id, documentId: contentId, data: 'text' })],
    ['a doc-unavailable whose data is null (automerge-repo logs data.byteLength of any message with data)', (me) => ({ type: 'doc-unavailable', senderId: me, targetId: hub.id, documentId: contentId, data: null })],
    ['a second join', (me) => ({ type: 'join', senderId: me, peerMetadata: {} })],
    ['a message claiming another sender', () => ({ type: 'request', senderId: 'someone-else', targetId: hub.id, documentId: contentId, data: A.encodeSyncMessage({ heads: [], need: [], have: [], changes: [] }) })],
    ['a message addressed to someone else', (me) => ({ type: 'doc-unavailable', senderId: me, targetId: alice.me.id, documentId: contentId })],
  ]
  it.each(afterJoin)('malformed stock WebSocket message after the join: %s', async (_what, make) => {
    const c = await joined()
    c.ws.send(cbor.encode(make(c.claimed)))
    await droppedWith(c, /(MalformedFrameError|WebSocketProtocolError)/)
    await stockReaderStillReads()
  })

  it("a claimed peer id holding a newline cannot forge a line in the hub's log", async () => {
    const forged = 'peer-x\nhub: sync session with 12D3KooWforged closed: \u001b[2Jall is well\u202e'
    const c = await joined(forged)
    c.ws.send(Uint8Array.from([0xf6]))
    const line = await droppedWith(c, /MalformedFrameError/)
    expect(line).toContain('peer-x\\u{a}hub: sync session')
    expect(line).toContain('\\u{1b}[2J')
    expect(line).toContain('\\u{202e}')
    expect(logs.every((l) => !/[\n\r\u001b\u202e]/.test(l))).toBe(true)
  })

  it('a text message on the stock WebSocket endpoint', async () => {
    const c = await wsClient()
    c.ws.send('{"type":"join"}')
    await droppedWith(c, /text message/)
    await stockReaderStillReads()
  })

  it('a WebSocket frame with a reserved bit set (ws reports it as an error event)', async () => {
    await rawFrame(0xc2, cbor.encode({ type: 'join', senderId: 'x' }))
    await eventually(async () => {
      if (!logs.some((l) => /WebSocket error: .*RSV1/.test(l))) throw new Error('not logged')
    }, 'the hub to log the bad frame')
    await stockReaderStillReads()
  })

  it('a WebSocket message larger than MAX_WS_MESSAGE_BYTES', async () => {
    const c = await wsClient()
    c.ws.send(new Uint8Array(33 * 1024 * 1024))
    await c.closed
    await eventually(async () => {
      if (!logs.some((l) => /WebSocket error: .*Max payload/.test(l))) throw new Error('not logged')
    }, 'the hub to log the oversized message')
    await stockReaderStillReads()
  })

  it("a stock WebSocket client claiming a libp2p peer's id can neither take over nor end that peer's sync", async () => {
    const impostor = await joined(alice.me.id)
    impostor.ws.close()
    await impostor.closed
    // alice's session is hers: her edit still reaches the hub after the impostor left
    const handle = alice.repo.handles[contentId]!
    handle.change((d: { note?: string }) => {
      d.note = 'after the impostor'
    })
    const want = A.getHeads(handle.doc() as A.Doc<unknown>).join()
    await eventually(async () => {
      if (A.getHeads(hub.repo.handles[contentId]!.doc() as A.Doc<unknown>).join() !== want) throw new Error('not yet')
    }, "alice's edit to reach the hub", 10_000)
    expect(hub.repo.peers).toContain(alice.me.id)
    // an impostor reads like anyone else, under an id of its own: what it asks is answered to it
    const reader = await joined(alice.me.id)
    reader.ws.send(cbor.encode({ type: 'request', senderId: alice.me.id, targetId: hub.id, documentId: contentId, data: A.generateSyncMessage(A.init(), A.initSyncState())[1]! }))
    await eventually(async () => {
      if (!reader.received.some((m) => m.type === 'sync' && m.documentId === contentId)) throw new Error('no answer')
    }, 'the hub to answer the impostor as a reader', 10_000)
    reader.ws.close()
  })

  it("a stock WebSocket client's writes are neither stored nor relayed", async () => {
    const bob = await netPerson('bob')
    const stock = new Repo({ network: [new WebSocketClientAdapter(hub.automergeWs)] })
    try {
      await connect(bob, hub.multiaddrs()[0]!)
      const bobsCopy = await bob.repo.find<{ note?: string }>(contentId)
      const content = await eventually(() => stock.find<{ junk?: string }>(contentId), 'the stock client to read the design')
      content.change((d) => {
        d.junk = 'written over the stock WebSocket'
      })
      const created = stock.create({ junk: 'a new document' })
      await eventually(async () => {
        if (!logs.some((l) => l.includes('read-only'))) throw new Error('not yet')
      }, 'the hub to drop the stock client\'s changes')
      // a later change by alice travels through the hub to bob; the stock client's never does
      alice.repo.handles[contentId]!.change((d: { note?: string }) => {
        d.note = 'later, by alice'
      })
      await eventually(async () => {
        if (bobsCopy.doc().note !== 'later, by alice') throw new Error('not yet')
      }, "alice's change to reach bob")
      expect((hub.repo.handles[contentId]!.doc() as { junk?: string }).junk).toBeUndefined()
      expect((bobsCopy.doc() as { junk?: string }).junk).toBeUndefined()
      expect(hub.repo.handles[created.documentId]?.isReady() === true).toBe(false)
    } finally {
      await stock.shutdown()
      await bob.stop()
    }
  })
})

describe('a libp2p peer naming a path as its storage id', () => {
  it('cannot make the hub write sync state outside its store', async () => {
    const node: CosmoNode = await createNodePeer({ privateKey: (await createIdentity('x')).privateKey, listen: [] })
    try {
      const escape = `escaped-${randomBytes(4).toString('hex')}`
      const stream = await node.dialProtocol(multiaddr(hub.multiaddrs()[0]!), SYNC_PROTOCOL)
      const decoder = new FrameDecoder(MAX_FRAME_BYTES)
      const received: Array<Record<string, unknown>> = []
      stream.addEventListener('message', (e) => {
        for (const f of decoder.push(e.data instanceof Uint8Array ? e.data : e.data.subarray())) received.push(cbor.decode(f))
      })
      const me = node.peerId.toString()
      const send = (m: object) => stream.send(encodeFrame(cbor.encode(m)))
      send({ type: 'join', senderId: me, peerMetadata: { storageId: `../../../../${escape}`, isEphemeral: false }, supportedProtocolVersions: ['1'] })
      await new Promise((r) => setTimeout(r, 300))
      if (received.some((m) => m.type === 'peer')) {
        // today's hub would accept it: ask for a document, so it saves sync state under that id
        send({ type: 'request', senderId: me, targetId: hub.id, documentId: contentId, data: A.generateSyncMessage(A.init(), A.initSyncState())[1]! })
        await new Promise((r) => setTimeout(r, 1_000))
      }
      expect((await readdir(dir)).filter((f) => f.startsWith('escaped-'))).toEqual([])
      expect(existsSync(join(dir, escape))).toBe(false)
      expect(received.some((m) => m.type === 'peer')).toBe(false)
      await eventually(async () => {
        if (!logs.some((l) => l.includes(me) && l.includes('storageId'))) throw new Error('not logged')
      }, 'the hub to log why it refused the session')
    } finally {
      await node.stop()
    }
  })
})

describe('hub peering under hostile input', () => {
  it('a hub-peering request that is not one (or names another hub) does not make its sender a peered hub', async () => {
    const node: CosmoNode = await createNodePeer({ privateKey: (await createIdentity('x')).privateKey, listen: [] })
    try {
      const to = multiaddr(hub.multiaddrs()[0]!)
      for (const body of [null, 'hub', { v: 1 }, { v: 2, hub: node.peerId.toString() }, { v: 1, hub: hub.id }]) {
        const answer = (await request(node, to, HUB_PROTOCOL, body, { maxBytes: 64 * 1024, timeoutMs: 5_000 })) as { error?: string }
        expect(answer.error).toMatch(/malformed/)
      }
      expect(hub.hubPeers()).toEqual([])
    } finally {
      await node.stop()
    }
  })
})
