/**
 * Broken and hostile peers against a real adapter. Each bad peer writes raw bytes on a sync
 * stream; the adapter must close that peer's session (and only it) with a named reason, while a
 * well-behaved peer connected to the same node keeps syncing.
 */
import { cbor, type DocHandle } from '@automerge/automerge-repo'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  encodeVarint,
  encodeFrame,
  MAX_FRAME_BYTES,
  MAX_HANDSHAKE_FRAME_BYTES,
  SYNC_PROTOCOL,
  type CosmoNode,
  type SessionClosedEvent,
} from '../src/index.js'
import { dial, startNode, startPeer, waitFor, waitForSession, type TestPeer } from './helpers.js'
import { join, RawStream } from './raw-peer.js'

interface Doc {
  count: number
}

let hub: TestPeer
let good: TestPeer
let bad: CosmoNode
let goodHandle: DocHandle<Doc>
let hubHandle: DocHandle<Doc>

beforeAll(async () => {
  ;[hub, good, bad] = await Promise.all([startPeer(), startPeer(), startNode()])
  await dial(good.node, hub.node)
  await waitForSession(good, hub)
  goodHandle = good.repo.create<Doc>({ count: 0 })
  hubHandle = await hub.repo.find<Doc>(goodHandle.url)
  await dial(bad, hub.node)
})

afterAll(async () => {
  await Promise.all([hub.stop(), good.stop(), bad.stop()])
})

/** Waits for the hub to report the bad peer's session closed with `errorName`. */
async function refusal(errorName: string): Promise<SessionClosedEvent> {
  const badId = bad.peerId.toString()
  let found: SessionClosedEvent | undefined
  await waitFor(
    () => {
      found = hub.closed.find(e => e.peerId === badId && e.error?.name === errorName)
      return found !== undefined
    },
    5_000,
    `the hub to close the bad peer's session with ${errorName}`,
  )
  hub.closed.splice(0)
  return found as SessionClosedEvent
}

/** The good peer's session is the one it had, and an edit still reaches the hub. */
async function goodPeerStillSyncs(): Promise<void> {
  const next = goodHandle.doc().count + 1
  goodHandle.change(d => {
    d.count = next
  })
  await waitFor(() => hubHandle.doc().count === next, 5_000, 'the good peer to keep syncing')
  expect(hub.closed.filter(e => e.peerId === good.id)).toEqual([])
  // Only the session was closed: the bad peer's libp2p connection is untouched.
  expect(bad.getConnections(hub.node.peerId).some(c => c.status === 'open')).toBe(true)
}

async function joined(): Promise<RawStream> {
  const raw = await RawStream.open(bad, hub.node)
  raw.sendMessage(join(bad.peerId.toString()))
  const peer = await raw.nextOfType('peer')
  expect(peer).toMatchObject({ senderId: hub.id, targetId: bad.peerId.toString(), selectedProtocolVersion: '1' })
  return raw
}

describe('a peer that sends bad frames is disconnected', () => {
  it('garbage bytes (not CBOR)', async () => {
    const raw = await RawStream.open(bad, hub.node)
    raw.sendBytes(Uint8Array.from([5, 0xff, 0xfe, 0x13, 0x37, 0x00]))
    const event = await refusal('MalformedFrameError')
    expect(event.reason).toMatch(/not CBOR/)
    await raw.closed
    await goodPeerStillSyncs()
  })

  it('a frame that is CBOR but not a message', async () => {
    const raw = await RawStream.open(bad, hub.node)
    raw.sendBytes(encodeFrame(cbor.encode([1, 2, 3])))
    await refusal('MalformedFrameError')
    await raw.closed
    await goodPeerStillSyncs()
  })

  it('a length prefix longer than five bytes', async () => {
    const raw = await RawStream.open(bad, hub.node)
    raw.sendBytes(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))
    await refusal('MalformedFrameError')
    await raw.closed
    await goodPeerStillSyncs()
  })

  it('a truncated frame (stream closed mid-frame)', async () => {
    const raw = await RawStream.open(bad, hub.node)
    raw.sendBytes(Uint8Array.from([...encodeVarint(100), ...new Uint8Array(10)]))
    await raw.stream.close()
    await refusal('TruncatedFrameError')
    await goodPeerStillSyncs()
  })

  it('an oversized frame during the handshake', async () => {
    const raw = await RawStream.open(bad, hub.node)
    raw.sendBytes(encodeVarint(MAX_HANDSHAKE_FRAME_BYTES + 1))
    const event = await refusal('FrameTooLargeError')
    expect(event.error?.context).toMatchObject({ length: MAX_HANDSHAKE_FRAME_BYTES + 1, limit: MAX_HANDSHAKE_FRAME_BYTES })
    await raw.closed
    await goodPeerStillSyncs()
  })

  it('an oversized frame after the handshake, announced before any of it is sent', async () => {
    const raw = await joined()
    raw.sendBytes(encodeVarint(MAX_FRAME_BYTES + 1))
    const event = await refusal('FrameTooLargeError')
    expect(event.wasOpen).toBe(true)
    await raw.closed
    await goodPeerStillSyncs()
  })

  it('a message addressed to someone else', async () => {
    const raw = await joined()
    raw.sendMessage({ type: 'doc-unavailable', senderId: bad.peerId.toString(), targetId: good.id, documentId: goodHandle.documentId })
    await refusal('ProtocolViolationError')
    await raw.closed
    await goodPeerStillSyncs()
  })

  it('a second join after the handshake', async () => {
    const raw = await joined()
    raw.sendMessage(join(bad.peerId.toString()))
    await refusal('ProtocolViolationError')
    await goodPeerStillSyncs()
  })

  it('a sync message with the wrong field types', async () => {
    const raw = await joined()
    raw.sendMessage({ type: 'sync', senderId: bad.peerId.toString(), targetId: hub.id, documentId: goodHandle.documentId, data: 'nope' })
    await refusal('MalformedFrameError')
    await goodPeerStillSyncs()
  })

  // automerge-repo decodes these inside its own handlers, where a throw is printed to stdout (or
  // lost in a queue with honest peers' messages behind it): they are refused before it sees them.
  it('a sync message whose data is not an Automerge sync message', async () => {
    const raw = await joined()
    raw.sendMessage({ type: 'sync', senderId: bad.peerId.toString(), targetId: hub.id, documentId: goodHandle.documentId, data: Uint8Array.from([0x42, 1, 2, 3]) })
    expect((await refusal('MalformedFrameError')).reason).toMatch(/not an Automerge sync message/)
    await goodPeerStillSyncs()
  })

  it('a request naming something that is not a document id', async () => {
    const raw = await joined()
    raw.sendMessage({ type: 'request', senderId: bad.peerId.toString(), targetId: hub.id, documentId: 'not-a-document', data: new Uint8Array([0x42]) })
    expect((await refusal('MalformedFrameError')).reason).toMatch(/valid documentId/)
    await goodPeerStillSyncs()
  })

  it('a document id of a megabyte (base58 decoding is quadratic in its length)', async () => {
    const raw = await joined()
    raw.sendMessage({ type: 'doc-unavailable', senderId: bad.peerId.toString(), targetId: hub.id, documentId: '1'.repeat(1 << 20) })
    await refusal('MalformedFrameError')
    await goodPeerStillSyncs()
  })

  it('a doc-unavailable message whose data is null (automerge-repo reads data.byteLength of any message that has data)', async () => {
    const raw = await joined()
    raw.sendMessage({ type: 'doc-unavailable', senderId: bad.peerId.toString(), targetId: hub.id, documentId: goodHandle.documentId, data: null })
    expect((await refusal('MalformedFrameError')).reason).toMatch(/no data bytes/)
    await goodPeerStillSyncs()
  })

  it('an ephemeral message whose data is not CBOR', async () => {
    const raw = await joined()
    raw.sendMessage({ type: 'ephemeral', senderId: bad.peerId.toString(), targetId: hub.id, documentId: goodHandle.documentId, count: 1, sessionId: 's', data: Uint8Array.from([0xff, 0xff]) })
    expect((await refusal('MalformedFrameError')).reason).toMatch(/not CBOR/)
    await goodPeerStillSyncs()
  })

  it('a join whose storage id is a path (automerge-repo stores sync state under it)', async () => {
    const raw = await RawStream.open(bad, hub.node)
    raw.sendMessage({ ...join(bad.peerId.toString()), peerMetadata: { storageId: '../../../../outside', isEphemeral: false } })
    expect((await refusal('MalformedFrameError')).reason).toMatch(/storageId/)
    await goodPeerStillSyncs()
  })
})

describe('a peer that claims another peer\'s id is refused', () => {
  it('in its join', async () => {
    const candidates: string[] = []
    const onCandidate = ({ peerId }: { peerId: string }) => candidates.push(peerId)
    hub.adapter.on('peer-candidate', onCandidate)
    const goodSessionBefore = hub.adapter.getSessions().find(s => s.peerId === good.id)

    const raw = await RawStream.open(bad, hub.node)
    raw.sendMessage(join(good.id))
    const event = await refusal('PeerIdMismatchError')
    expect(event.error?.context).toEqual({ claimed: good.id, authenticated: bad.peerId.toString() })
    await raw.closed
    hub.adapter.off('peer-candidate', onCandidate)

    expect(candidates).toEqual([])
    expect(raw.received).toEqual([])
    expect(hub.adapter.getSessions().find(s => s.peerId === good.id)).toEqual(goodSessionBefore)
    await goodPeerStillSyncs()
  })

  it('in a message after the handshake', async () => {
    const raw = await joined()
    raw.sendMessage({ type: 'doc-unavailable', senderId: good.id, targetId: hub.id, documentId: goodHandle.documentId })
    await refusal('PeerIdMismatchError')
    await goodPeerStillSyncs()
  })

  it('in its answer to our join', async () => {
    // A peer that accepts sync streams and answers as someone else: the hub opens to it on connect.
    const liar = await startNode()
    try {
      await liar.handle(SYNC_PROTOCOL, stream => {
        const raw = new RawStream(stream)
        void raw.nextOfType('join').then(theirJoin => {
          raw.sendMessage({ type: 'peer', senderId: good.id, peerMetadata: {}, selectedProtocolVersion: '1', targetId: theirJoin.senderId })
        })
      })
      await dial(liar, hub.node)
      const liarId = liar.peerId.toString()
      await waitFor(() => hub.closed.some(e => e.peerId === liarId), 5_000, 'the hub to refuse the liar')
      const event = hub.closed.find(e => e.peerId === liarId)
      expect(event).toMatchObject({ role: 'opener', wasOpen: false, error: { name: 'PeerIdMismatchError' } })
      hub.closed.splice(0)
      await goodPeerStillSyncs()
    } finally {
      await liar.stop()
    }
  })
})

describe('handshake versions', () => {
  it('accepts a join without a version list, as the stock server does', async () => {
    const raw = await RawStream.open(bad, hub.node)
    raw.sendMessage(join(bad.peerId.toString(), undefined))
    expect(await raw.nextOfType('peer')).toMatchObject({ selectedProtocolVersion: '1' })
    await raw.stream.close()
    await waitFor(() => hub.closed.some(e => e.peerId === bad.peerId.toString()), 5_000, 'the session to end')
    hub.closed.splice(0)
  })

  it('applies the full frame limit from the frame right after peer, even in the same chunk', async () => {
    // A listener that answers our join and immediately sends a frame larger than the handshake
    // limit, both in one write: the second prefix must be read under the post-handshake limit.
    const eager = await startNode()
    try {
      await eager.handle(SYNC_PROTOCOL, stream => {
        const raw = new RawStream(stream)
        void raw.nextOfType('join').then(theirJoin => {
          const me = eager.peerId.toString()
          const answer = { type: 'peer', senderId: me, peerMetadata: {}, selectedProtocolVersion: '1', targetId: theirJoin.senderId }
          const big = { type: 'x-padding', senderId: me, targetId: theirJoin.senderId, data: new Uint8Array(2 * MAX_HANDSHAKE_FRAME_BYTES) }
          raw.sendBytes(Uint8Array.from([...encodeFrame(cbor.encode(answer)), ...encodeFrame(cbor.encode(big))]))
        })
      })
      await dial(eager, hub.node)
      const eagerId = eager.peerId.toString()
      await waitFor(() => hub.adapter.getSessions().some(s => s.peerId === eagerId && s.state === 'open'), 5_000, 'the session to open')
      await new Promise(resolve => setTimeout(resolve, 200))
      expect(hub.closed.filter(e => e.peerId === eagerId)).toEqual([])
      expect(hub.adapter.getSessions().some(s => s.peerId === eagerId && s.state === 'open')).toBe(true)
    } finally {
      await eager.stop()
      await waitFor(() => hub.closed.some(e => e.peerId === eager.peerId.toString()), 5_000, 'the session to end')
      hub.closed.splice(0)
    }
  })

  it('answers an offer of unknown versions with an error message, then closes', async () => {
    const raw = await RawStream.open(bad, hub.node)
    raw.sendMessage(join(bad.peerId.toString(), ['2']))
    expect(await raw.nextOfType('error')).toMatchObject({ message: 'unsupported protocol version', targetId: bad.peerId.toString() })
    await refusal('UnsupportedProtocolVersionError')
    await goodPeerStillSyncs()
  })
})
