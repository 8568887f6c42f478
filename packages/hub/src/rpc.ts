/**
 * One request, one response, over a libp2p stream: each side sends a single length-prefixed
 * (unsigned varint) DAG-CBOR frame. Used by the catalogue and hub-peering protocols. The framing
 * is `@libp2p/utils`' `lpStream`, as libp2p's own one-message protocols (fetch, identify) use it:
 * it checks the length prefix against the bound before buffering anything.
 */
import * as dagCbor from '@ipld/dag-cbor'
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'
import { CatalogueProtocolError, PeerUnreachableError } from './errors.js'

/** libp2p's errors for a frame that breaks the length rules (by their stable names). */
const BAD_LENGTH = new Set(['InvalidDataLengthError', 'InvalidDataLengthLengthError', 'InvalidMessageLengthError', 'StreamBufferError'])

/** Reads one frame of at most `maxBytes` from the stream. */
export async function readOne(stream: Stream, maxBytes: number, signal: AbortSignal): Promise<unknown> {
  // The buffer holds at most one frame and its prefix.
  const lp = lpStream(stream, { maxDataLength: maxBytes, maxBufferSize: maxBytes + 16 })
  let frame: Uint8Array
  try {
    frame = (await lp.read({ signal })).subarray()
    // Hand the stream back: whatever the peer sends after its one frame is not buffered here.
    lp.unwrap()
  } catch (err) {
    if (signal.aborted) throw new PeerUnreachableError('peer did not answer in time')
    const name = (err as Error).name
    if (name === 'UnexpectedEOFError') throw new CatalogueProtocolError('peer closed the stream without a complete answer')
    if (BAD_LENGTH.has(name)) throw new CatalogueProtocolError(`peer sent a frame over ${maxBytes} bytes`)
    throw err
  }
  try {
    return dagCbor.decode(frame)
  } catch (err) {
    throw new CatalogueProtocolError(`peer sent an undecodable frame: ${(err as Error).message}`)
  }
}

/** Writes one frame and closes the writing end. */
export async function writeOne(stream: Stream, value: unknown): Promise<void> {
  await writeEncoded(stream, dagCbor.encode(value))
}

/** Writes one frame already encoded in DAG-CBOR (a cached catalogue page) and closes the writing end. */
export async function writeEncoded(stream: Stream, bytes: Uint8Array): Promise<void> {
  const lp = lpStream(stream)
  await lp.write(bytes)
  lp.unwrap()
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
