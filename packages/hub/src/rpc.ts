/**
 * One request, one response, over a libp2p stream: each side sends a single length-prefixed
 * DAG-CBOR frame and closes its writing end. Used by the catalogue protocol.
 */
import * as dagCbor from '@ipld/dag-cbor'
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { encodeFrame, FrameDecoder } from '@cosmolocal/net'
import { CatalogueProtocolError, PeerUnreachableError } from './errors.js'

/** Reads exactly one frame from the stream (then expects the remote to close). */
export async function readOne(stream: Stream, maxBytes: number, signal: AbortSignal): Promise<unknown> {
  const decoder = new FrameDecoder(maxBytes)
  let frame: Uint8Array | undefined
  // A peer that sends nothing would otherwise hold the stream (and its slot) for as long as the connection lasts.
  const onAbort = () => stream.abort(new PeerUnreachableError('peer did not answer in time'))
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    for await (const chunk of stream) {
      if (signal.aborted) throw new PeerUnreachableError('peer did not answer in time')
      for (const f of decoder.push(chunk instanceof Uint8Array ? chunk : chunk.subarray())) {
        if (frame !== undefined) throw new CatalogueProtocolError('peer sent more than one frame')
        frame = f
      }
    }
  } catch (err) {
    if (signal.aborted) throw new PeerUnreachableError('peer did not answer in time')
    throw err
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
  if (frame === undefined) throw new CatalogueProtocolError('peer closed the stream without answering')
  try {
    return dagCbor.decode(frame)
  } catch (err) {
    throw new CatalogueProtocolError(`peer sent an undecodable frame: ${(err as Error).message}`)
  }
}

export async function writeOne(stream: Stream, value: unknown): Promise<void> {
  const frame = encodeFrame(dagCbor.encode(value))
  if (!stream.send(frame)) await stream.onDrain()
  await stream.close()
}

/** Sends `request` on a new stream for `protocol` and returns the parsed answer. */
export async function request(
  node: Libp2p,
  peer: PeerId | Multiaddr | Multiaddr[] | Connection,
  protocol: string,
  body: unknown,
  options: { maxBytes: number; timeoutMs: number },
): Promise<unknown> {
  const signal = AbortSignal.timeout(options.timeoutMs)
  let stream: Stream
  try {
    stream =
      'newStream' in peer ? await peer.newStream(protocol, { signal }) : await node.dialProtocol(peer, protocol, { signal })
  } catch (err) {
    throw new PeerUnreachableError(`cannot reach ${String('remotePeer' in peer ? peer.remotePeer : peer)}: ${(err as Error).message}`)
  }
  try {
    await writeOne(stream, body)
    return await readOne(stream, options.maxBytes, signal)
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
