/**
 * A peer that speaks the sync protocol by hand: raw bytes on a libp2p stream, no adapter. Used to
 * play a broken or hostile peer against a real adapter.
 */
import { cbor } from '@automerge/automerge-repo'
import type { Stream } from '@libp2p/interface'
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES, SYNC_PROTOCOL, type CosmoNode } from '../src/index.js'
import { waitFor } from './helpers.js'

export class RawStream {
  readonly stream: Stream
  readonly received: Array<Record<string, unknown>> = []
  readonly closed: Promise<void>
  readonly #decoder = new FrameDecoder(MAX_FRAME_BYTES)

  constructor(stream: Stream) {
    this.stream = stream
    stream.addEventListener('message', evt => {
      const bytes = evt.data instanceof Uint8Array ? evt.data : evt.data.subarray()
      for (const frame of this.#decoder.push(bytes)) this.received.push(cbor.decode(frame))
    })
    this.closed = new Promise(resolve => stream.addEventListener('close', () => resolve(), { once: true }))
  }

  static async open(from: CosmoNode, to: CosmoNode): Promise<RawStream> {
    return new RawStream(await from.dialProtocol(to.peerId, SYNC_PROTOCOL))
  }

  sendBytes(bytes: Uint8Array): void {
    this.stream.send(bytes)
  }

  sendMessage(message: unknown): void {
    this.stream.send(encodeFrame(cbor.encode(message)))
  }

  async nextOfType(type: string, timeoutMs = 5_000): Promise<Record<string, unknown>> {
    await waitFor(() => this.received.some(m => m.type === type), timeoutMs, `a ${type} message`)
    return this.received.find(m => m.type === type) as Record<string, unknown>
  }

  get isClosed(): boolean {
    return this.stream.status !== 'open'
  }
}

export function join(senderId: string, versions: string[] | undefined = ['1']): Record<string, unknown> {
  return { type: 'join', senderId, peerMetadata: {}, ...(versions === undefined ? {} : { supportedProtocolVersions: versions }) }
}
