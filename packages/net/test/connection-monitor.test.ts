/**
 * libp2p's connection monitor and a busy peer: a peer whose event loop is blocked for longer than
 * libp2p's default ping timeout (as one verifying a bulk fetch can be) keeps its connection, on
 * real nodes over loopback TCP, the busy one in its own process (fixtures/busy-peer.mjs, which runs
 * the built package: `tsc -b` first, as `npm test` does).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import type { CosmoNode } from '../src/index.js'
import { startNode } from './helpers.js'

/** Longer than libp2p's 5 s minimum ping timeout plus its 10 s ping interval: a ping is sure to wait over 5 s. */
const BLOCK_MS = 16_000

let child: ChildProcess | undefined
let node: CosmoNode | undefined
afterEach(async () => {
  child?.send({ stop: true })
  child = undefined
  await node?.stop()
})

function next<T>(from: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    from.once('message', (m) => resolve(m as T))
    from.once('exit', (code) => reject(new Error(`the busy peer exited (${code})`)))
  })
}

describe('the connection monitor', () => {
  it('keeps the connection to a peer whose event loop is busy longer than libp2p’s default ping timeout', async () => {
    child = fork(fileURLToPath(new URL('./fixtures/busy-peer.mjs', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const { addr } = await next<{ addr: string }>(child)
    node = await startNode()
    const conn = await node.dial(multiaddr(addr))
    const closed: string[] = []
    node.addEventListener('connection:close', (evt) => closed.push(evt.detail.id))
    child.send({ block: BLOCK_MS })
    await next<{ unblocked: boolean }>(child)
    // The busy peer answers the pings that waited, and the same connection carries on.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(closed).toEqual([])
    expect(conn.status).toBe('open')
    expect(node.getConnections(conn.remotePeer).map((c) => c.id)).toContain(conn.id)
  }, 60_000)
})
