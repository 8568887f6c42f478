/**
 * Asks the hub which heads it has stored for given documents: the catalogue protocol's `heads`
 * request (packages/hub/src/protocols.ts), one DAG-CBOR frame each way. The hub flushes those
 * documents to disk before answering, so the answer is what it has acknowledged. A browser cannot
 * import the hub package (it is Node code), so the request is spoken here; a test checks the
 * protocol id against the hub's.
 */
import * as dagCbor from '@ipld/dag-cbor'
import { encodeFrame, FrameDecoder, type CosmoNode } from '@cosmolocal/net/browser'

export const CATALOGUE_PROTOCOL = '/cosmolocal/catalogue/1.0.0'
/** Most documents asked about in one request (the hub allows 50,000). */
export const MAX_HEADS_PER_REQUEST = 5_000
const MAX_ANSWER_BYTES = 4 * 1024 * 1024
const TIMEOUT_MS = 10_000

/** Document id → the heads the hub stored, or null when the hub does not hold it. */
export type AckedHeads = Map<string, string[] | null>

const HASH = /^[0-9a-f]{64}$/

/** Parses the hub's answer; anything malformed is an error (nothing in it is trusted beyond a hint). */
export function parseHeadsAnswer(raw: unknown, asked: readonly string[]): AckedHeads {
  const answer = raw as { v?: unknown; heads?: unknown; error?: unknown }
  if (typeof answer !== 'object' || answer === null || answer.v !== 1) throw new Error('the hub sent a malformed heads answer')
  if (typeof answer.error === 'string') throw new Error(`the hub refused the heads request: ${answer.error}`)
  if (!Array.isArray(answer.heads)) throw new Error('the hub sent a malformed heads answer')
  const wanted = new Set(asked)
  const out: AckedHeads = new Map()
  for (const e of answer.heads as { id?: unknown; heads?: unknown }[]) {
    if (typeof e?.id !== 'string' || !wanted.has(e.id)) continue
    if (e.heads === null) out.set(e.id, null)
    else if (Array.isArray(e.heads) && e.heads.every((h) => typeof h === 'string' && HASH.test(h))) out.set(e.id, e.heads as string[])
  }
  return out
}

export async function fetchAckedHeads(node: CosmoNode, hubId: string, documents: readonly string[]): Promise<AckedHeads> {
  const asked = documents.slice(0, MAX_HEADS_PER_REQUEST)
  const signal = AbortSignal.timeout(TIMEOUT_MS)
  const connection = node.getConnections().find((c) => c.remotePeer.toString() === hubId && c.status === 'open')
  if (connection === undefined) throw new Error('not connected to the hub')
  const stream = await connection.newStream(CATALOGUE_PROTOCOL, { signal })
  try {
    if (!stream.send(encodeFrame(dagCbor.encode({ v: 1, want: 'heads', documents: asked })))) await stream.onDrain()
    await stream.close()
    const decoder = new FrameDecoder(MAX_ANSWER_BYTES)
    let frame: Uint8Array | undefined
    for await (const chunk of stream) {
      for (const f of decoder.push(chunk instanceof Uint8Array ? chunk : chunk.subarray())) frame ??= f
    }
    if (frame === undefined) throw new Error('the hub closed the heads request without answering')
    return parseHeadsAnswer(dagCbor.decode(frame), asked)
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
