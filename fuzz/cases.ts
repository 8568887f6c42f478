/**
 * What the fuzzer sends: one case is one connection or stream on one protocol, carrying a few
 * frames (messages, requests, raw chunks). Generated from a seed alone, so a case that found
 * something can be sent again by its seed. Half of every protocol's cases start well-formed
 * (a real join, a real request) and then go wrong, so the parsers past the first check are
 * reached too.
 */
import * as A from '@automerge/automerge'
import { cbor } from '@automerge/automerge-repo'
import * as dagCbor from '@ipld/dag-cbor'
import { encodeFrame } from '@cosmolocal/net'
import { hugePrefix, junkString, junkValue, mutateBytes, Rng } from './random.ts'

export const PROTOCOLS = ['sync', 'blob', 'catalogue', 'hub', 'ws', 'ws-raw', 'http', 'control'] as const
export type Protocol = (typeof PROTOCOLS)[number]

/** What a case may aim at: ids the hub really holds make well-formed-looking messages reach further. */
export interface Target {
  hubId: string
  /** The attacker key's peer id (a sync join must name it to get past the handshake). */
  attackerId: string
  docs: string[]
  blobs: Array<{ hash: string; root: string; size: number }>
}

export interface Case {
  protocol: Protocol
  /** Frames, in order: bytes on a stream or socket, or (ws) one WebSocket message each; strings go as text messages. */
  frames: Array<Uint8Array | string>
  /** Close the writing side after the last frame (a libp2p stream, a socket). */
  end: boolean
}

/** Encodes with automerge-repo's CBOR; values it cannot encode become random bytes. */
function encode(rng: Rng, value: unknown): Uint8Array {
  try {
    return cbor.encode(value)
  } catch {
    return rng.bytes(rng.size(64))
  }
}

function encodeDag(rng: Rng, value: unknown): Uint8Array {
  try {
    return dagCbor.encode(value)
  } catch {
    return encode(rng, value)
  }
}

const emptySync = (): Uint8Array => A.generateSyncMessage(A.init(), A.initSyncState())[1]!

/** A real sync message (for a fresh document with one change), to be damaged or sent as is. */
function syncData(rng: Rng): Uint8Array {
  if (rng.bool(0.3)) return emptySync()
  const doc = A.from<Record<string, unknown>>({ k: junkString(rng).slice(0, 200) })
  const msg = A.generateSyncMessage(doc, A.initSyncState())[1]!
  return rng.bool(0.5) ? mutateBytes(rng, msg) : msg
}

function docId(rng: Rng, t: Target): unknown {
  return rng.bool(0.6) && t.docs.length > 0 ? rng.pick(t.docs) : rng.bool(0.5) ? junkString(rng) : junkValue(rng)
}

/** A message of one of automerge-repo's types, with some fields right and some wrong. */
function repoMessage(rng: Rng, t: Target, me: string): Record<string, unknown> {
  const type = rng.pick(['sync', 'request', 'ephemeral', 'doc-unavailable', 'remote-subscription-change', 'remote-heads-changed', 'join', 'peer', 'error', junkString(rng)])
  const m: Record<string, unknown> = { type, senderId: rng.bool(0.85) ? me : junkValue(rng), targetId: rng.bool(0.85) ? t.hubId : junkValue(rng), documentId: docId(rng, t) }
  if (type === 'sync' || type === 'request' || type === 'ephemeral') m.data = rng.bool(0.7) ? syncData(rng) : junkValue(rng)
  if (type === 'ephemeral') Object.assign(m, { count: junkValue(rng), sessionId: junkValue(rng), data: rng.bool(0.5) ? encode(rng, junkValue(rng)) : rng.bytes(rng.size(100)) })
  if (type === 'remote-subscription-change') Object.assign(m, { add: junkValue(rng), remove: junkValue(rng) })
  if (type === 'remote-heads-changed') m.newHeads = junkValue(rng)
  // and now and then a field of any shape at all
  if (rng.bool(0.3)) m[rng.pick(['type', 'senderId', 'targetId', 'documentId', 'data', 'peerMetadata'])] = junkValue(rng)
  return m
}

function join(rng: Rng, me: string): Record<string, unknown> {
  const j: Record<string, unknown> = { type: 'join', senderId: me, peerMetadata: {}, supportedProtocolVersions: ['1'] }
  if (rng.bool(0.3)) j.peerMetadata = rng.bool(0.5) ? junkValue(rng) : { storageId: junkValue(rng), isEphemeral: junkValue(rng) }
  if (rng.bool(0.2)) j.supportedProtocolVersions = junkValue(rng)
  if (rng.bool(0.1)) j.senderId = junkValue(rng)
  return j
}

/** Frames for a varint-framed libp2p protocol: junk, wrong shapes, huge prefixes, truncation. */
function framed(rng: Rng, bodies: () => Uint8Array[]): Array<Uint8Array> {
  switch (rng.int(6)) {
    case 0:
      return [rng.bytes(rng.size(8192))]
    case 1:
      return [hugePrefix(rng), rng.bytes(rng.size(256))]
    case 2: {
      const body = encode(rng, junkValue(rng))
      return [encodeFrame(body).subarray(0, 1 + rng.int(body.length))] // truncated
    }
    case 3:
      return Array.from({ length: 1 + rng.size(6) }, () => encodeFrame(encode(rng, junkValue(rng))))
    default:
      return bodies().map((b) => (rng.bool(0.1) ? mutateBytes(rng, encodeFrame(b)) : encodeFrame(b)))
  }
}

function syncCase(rng: Rng, t: Target): Case['frames'] {
  return framed(rng, () => [encode(rng, join(rng, t.attackerId)), ...Array.from({ length: rng.size(8) }, () => encode(rng, repoMessage(rng, t, t.attackerId)))])
}

function blobCase(rng: Rng, t: Target): Case['frames'] {
  const blob = t.blobs.length > 0 && rng.bool(0.6) ? rng.pick(t.blobs) : null
  const hash = blob !== null ? blob.hash : rng.bool(0.5) ? rng.bytes(32).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '') : junkValue(rng)
  const request = (): Record<string, unknown> => {
    switch (rng.int(4)) {
      case 0:
        return { t: 'get', hash }
      case 1:
        return { t: 'want', chunks: rng.bool(0.5) ? Array.from({ length: rng.size(12) }, () => rng.pick([0, 1, -1, 2 ** 32, 1.5, rng.int(4)])) : junkValue(rng) }
      case 2:
        return { t: 'have', hashes: rng.bool(0.5) ? Array.from({ length: rng.size(2000) }, () => hash) : junkValue(rng) }
      default:
        return { t: junkValue(rng), hash: junkValue(rng) }
    }
  }
  return framed(rng, () => [encode(rng, { t: 'get', hash }), ...Array.from({ length: rng.size(6) }, () => encode(rng, request()))])
}

function catalogueCase(rng: Rng, t: Target): Case['frames'] {
  const bodies = (): Uint8Array[] => {
    const shapes = [
      { v: 1, want: 'catalogue' },
      { v: 1, want: 'heads', documents: rng.bool(0.5) ? Array.from({ length: rng.size(5000) }, () => docId(rng, t)) : junkValue(rng) },
      { v: junkValue(rng), want: junkValue(rng) },
      junkValue(rng),
    ]
    return [encodeDag(rng, rng.pick(shapes))]
  }
  return framed(rng, bodies)
}

function hubCase(rng: Rng, t: Target): Case['frames'] {
  return framed(rng, () => [encodeDag(rng, rng.bool(0.5) ? { v: 1, hub: t.attackerId } : junkValue(rng))])
}

function wsCase(rng: Rng, t: Target): Case['frames'] {
  const me = `peer-${rng.next().toString(36)}`
  const out: Array<Uint8Array | string> = []
  if (rng.bool(0.7)) out.push(encode(rng, join(rng, rng.bool(0.1) ? t.hubId : me)))
  for (let i = rng.size(8); i >= 0; i--) {
    const k = rng.int(10)
    if (k === 0) out.push(Uint8Array.from([0xf6]))
    else if (k === 1) out.push(rng.bytes(rng.size(2048)))
    else if (k === 2) out.push(encode(rng, junkValue(rng)))
    else if (k === 3) out.push(junkString(rng).slice(0, 1000))
    else out.push(encode(rng, repoMessage(rng, t, me)))
  }
  return out
}

/** Raw WebSocket frames after a real upgrade: bad opcodes, reserved bits, lengths, masks, fragments. */
function wsRawCase(rng: Rng): Case['frames'] {
  return Array.from({ length: 1 + rng.size(4) }, () => {
    const fin = rng.bool(0.8) ? 0x80 : 0
    const rsv = rng.bool(0.3) ? rng.int(8) << 4 : 0
    const opcode = rng.pick([0x0, 0x1, 0x2, 0x8, 0x9, 0xa, 0x3, 0xb, 0xf])
    const payload = rng.bytes(rng.size(300))
    const masked = rng.bool(0.9)
    const lengthBytes =
      rng.bool(0.15) ? [127, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] : payload.length < 126 ? [payload.length] : [126, payload.length >> 8, payload.length & 0xff]
    const mask = rng.bytes(4)
    const body = masked ? payload.map((b, i) => b ^ mask[i % 4]!) : payload
    return Uint8Array.from([fin | rsv | opcode, (masked ? 0x80 : 0) | lengthBytes[0]!, ...lengthBytes.slice(1), ...(masked ? mask : []), ...body])
  })
}

function httpCase(rng: Rng): Case['frames'] {
  const paths = ['/', '/api/hub', '/api/catalogue', '//', '/%', '/%2e%2e/%2e%2e/etc/passwd', '/../../../../etc/passwd', '/automerge', '/index.html', `/${junkString(rng).slice(0, 500)}`]
  if (rng.bool(0.2)) return [rng.bytes(rng.size(4096))]
  const method = rng.pick(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'CONNECT', junkString(rng).slice(0, 20)])
  const headers = Array.from({ length: rng.size(10) }, () => `${rng.pick(['Host', 'Upgrade', 'Connection', 'Content-Length', 'Transfer-Encoding', junkString(rng).slice(0, 20)])}: ${rng.pick(['websocket', 'Upgrade', 'chunked', '-1', '99999999999', junkString(rng).slice(0, 20000)])}`)
  const head = `${method} ${rng.pick(paths)} ${rng.pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/9', ''])}\r\n${headers.join('\r\n')}\r\n\r\n`
  const bytes = new TextEncoder().encode(head)
  return rng.bool(0.3) ? [mutateBytes(rng, bytes)] : [bytes, rng.bytes(rng.size(200))]
}

function controlCase(rng: Rng): Case['frames'] {
  const shapes = [null, 42, '"x"', { argv: junkValue(rng) }, { argv: Array.from({ length: rng.size(4) }, () => `x${junkString(rng).slice(0, 30)}`) }, junkValue(rng)]
  let line: string
  try {
    line = rng.bool(0.2) ? Buffer.from(rng.bytes(rng.size(1024))).toString('latin1') : (JSON.stringify(rng.pick(shapes)) ?? 'undefined')
  } catch {
    line = '{"argv": 1n}' // a BigInt: JSON cannot say it, and neither can this line
  }
  return [new TextEncoder().encode(`${line}\n`)]
}

const WEIGHTS: Array<[Protocol, number]> = [
  ['sync', 30],
  ['ws', 25],
  ['blob', 10],
  ['catalogue', 10],
  ['hub', 5],
  ['ws-raw', 8],
  ['http', 10],
  ['control', 2],
]

export function generateCase(seed: number, t: Target, only?: Protocol): Case {
  const rng = new Rng(seed)
  // Rolled even when `only` decides: a seed then yields the same bytes with or without it.
  let roll = rng.int(WEIGHTS.reduce((s, [, w]) => s + w, 0))
  let rolled: Protocol = 'sync'
  for (const [p, w] of WEIGHTS) if (roll >= 0 && (roll -= w) < 0) rolled = p
  const p = only ?? rolled
  const frames =
    p === 'sync' ? syncCase(rng, t)
    : p === 'blob' ? blobCase(rng, t)
    : p === 'catalogue' ? catalogueCase(rng, t)
    : p === 'hub' ? hubCase(rng, t)
    : p === 'ws' ? wsCase(rng, t)
    : p === 'ws-raw' ? wsRawCase(rng)
    : p === 'http' ? httpCase(rng)
    : controlCase(rng)
  return { protocol: p, frames, end: rng.bool(0.5) }
}
