/**
 * Why a session ended, as reported: libp2p signals the end of a stream's readable side first also
 * when the stream is aborted (its connection aborted, say by the connection monitor after a ping
 * timed out), so a session read that as "peer closed the stream" and a connection cut under a
 * bulk sync looked like the other side hanging up. Real nodes over loopback TCP.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { dial, startPeer, waitFor, waitForSession, type TestPeer } from './helpers.js'

let peers: TestPeer[] = []
afterEach(async () => {
  await Promise.all(peers.map(p => p.stop()))
  peers = []
})

async function connected(): Promise<[TestPeer, TestPeer]> {
  const a = await startPeer()
  const b = await startPeer()
  peers = [a, b]
  await dial(a.node, b.node)
  await waitForSession(a, b)
  return [a, b]
}

describe('a session whose connection is aborted', () => {
  it('reports the abort, not the peer closing the stream', async () => {
    const [a, b] = await connected()
    for (const conn of a.node.getConnections(b.node.peerId)) conn.abort(new Error('cut by the test'))
    await waitFor(() => a.closed.length > 0 && b.closed.length > 0, 10_000, 'both sessions to end')
    expect(a.closed[0]!.reason).toContain('cut by the test')
    expect(a.closed[0]!.reason).not.toContain('peer closed the stream')
    // The other side only sees its connection go: not a clean close by the peer either.
    expect(b.closed[0]!.reason).not.toBe('peer closed the stream')
    expect(a.closed[0]!.error).toBeUndefined()
    expect(b.closed[0]!.error).toBeUndefined()
  }, 30_000)

  it('still reports a peer that closes its session cleanly as such', async () => {
    const [a, b] = await connected()
    b.adapter.disconnect()
    await waitFor(() => a.closed.length > 0, 10_000, 'the session to end')
    expect(a.closed[0]!.reason).toBe('peer closed the stream')
  }, 30_000)
})
