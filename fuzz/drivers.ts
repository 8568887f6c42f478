/**
 * Sending one case to the hub, over the real transport of its protocol: a libp2p stream from an
 * attacker node, a WebSocket, a raw TCP socket, the control socket. A case ends when the hub
 * closes, or after a short wait; either way it never outlives CASE_TIMEOUT_MS.
 */
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { BLOB_PROTOCOL, SYNC_PROTOCOL, type CosmoNode } from '@cosmolocal/net'
import { CATALOGUE_PROTOCOL, HUB_PROTOCOL } from '@cosmolocal/hub'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { WebSocket } from 'ws'
import type { Case } from './cases.ts'

/** The longest one case may take, from opening to giving up. */
export const CASE_TIMEOUT_MS = 3_000
/** How long a case waits for the hub to answer or close after its last frame. */
const LINGER_MS = 150

export interface Endpoints {
  tcp: Multiaddr
  automergeWs: string
  http: { host: string; port: number }
  control: string
}

/** What a case observed that is wrong in itself (beyond the hub staying up), e.g. a file served from outside its root. */
export type Finding = string | null

const PROTOCOL_IDS = { sync: SYNC_PROTOCOL, blob: BLOB_PROTOCOL, catalogue: CATALOGUE_PROTOCOL, hub: HUB_PROTOCOL } as const

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function sendCase(c: Case, node: CosmoNode, to: Endpoints): Promise<Finding> {
  const signal = AbortSignal.timeout(CASE_TIMEOUT_MS)
  switch (c.protocol) {
    case 'sync':
    case 'blob':
    case 'catalogue':
    case 'hub':
      return await overLibp2p(c, node, to.tcp, PROTOCOL_IDS[c.protocol], signal)
    case 'ws':
      return await overWebSocket(c, to.automergeWs, signal)
    case 'ws-raw':
      return await overSocket(c, to.http, signal, upgradeRequest(to.http))
    case 'http':
      return await overSocket(c, to.http, signal, null)
    case 'control':
      return await overSocket(c, to.control, signal, null)
  }
}

async function overLibp2p(c: Case, node: CosmoNode, addr: Multiaddr, protocol: string, signal: AbortSignal): Promise<Finding> {
  let stream
  try {
    stream = await node.dialProtocol(addr, protocol, { signal })
  } catch {
    return null // refused or cut off: nothing was sent
  }
  let closed = false
  stream.addEventListener('close', () => (closed = true))
  try {
    for (const frame of c.frames) {
      if (closed || signal.aborted) break
      if (!stream.send(frame as Uint8Array)) await stream.onDrain({ signal })
    }
    if (c.end && !closed) await stream.close({ signal })
    const until = Date.now() + LINGER_MS
    while (!closed && Date.now() < until && !signal.aborted) await sleep(10)
  } catch {
    // the hub reset the stream: what it should do
  } finally {
    if (!closed) stream.abort(new Error('case over'))
  }
  return null
}

async function overWebSocket(c: Case, url: string, signal: AbortSignal): Promise<Finding> {
  const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 })
  ws.on('error', () => {})
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()))
  const opened = await Promise.race([new Promise<boolean>((r) => ws.once('open', () => r(true))), closed.then(() => false), sleep(CASE_TIMEOUT_MS).then(() => false)])
  if (opened) {
    for (const frame of c.frames) {
      if (ws.readyState !== WebSocket.OPEN || signal.aborted) break
      ws.send(frame, { binary: typeof frame !== 'string' })
      await sleep(0)
    }
    await Promise.race([closed, sleep(LINGER_MS)])
  }
  ws.terminate()
  return null
}

function upgradeRequest(http: Endpoints['http']): Uint8Array {
  return new TextEncoder().encode(
    `GET /automerge HTTP/1.1\r\nHost: ${http.host}:${http.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  )
}

/** Raw bytes on a TCP or Unix socket; with `preamble`, sent first and answered before the case's frames. */
async function overSocket(c: Case, to: Endpoints['http'] | string, signal: AbortSignal, preamble: Uint8Array | null): Promise<Finding> {
  const socket = typeof to === 'string' ? connect(to) : connect(to.port, to.host)
  let answer = ''
  let closed = false
  socket.on('data', (d: Buffer) => {
    if (answer.length < 65_536) answer += d.toString('latin1')
  })
  socket.on('error', () => {})
  socket.on('close', () => (closed = true))
  const ready = await Promise.race([new Promise<boolean>((r) => socket.once('connect', () => r(true))), new Promise<boolean>((r) => socket.once('close', () => r(false)))])
  if (ready) {
    if (preamble !== null) {
      socket.write(preamble)
      const until = Date.now() + 1_000
      while (!answer.includes('\r\n\r\n') && !closed && Date.now() < until) await sleep(5)
    }
    for (const frame of c.frames) {
      if (closed || signal.aborted) break
      socket.write(frame)
    }
    if (c.end && !closed) socket.end()
    const until = Date.now() + LINGER_MS
    while (!closed && Date.now() < until) await sleep(10)
  }
  socket.destroy()
  // An answer holding /etc/passwd would be a file served from outside the web root.
  return /root:.*:0:0:/.test(answer) ? `served a file from outside its web root: ${JSON.stringify(answer.slice(0, 200))}` : null
}

export { multiaddr }
