/**
 * Blob exchange over libp2p (`/cosmolocal/blob/1.0.0`): serving the blobs a policy allows, and
 * fetching a blob from untrusted peers, verified chunk by chunk, resumable, with progress. Runs in
 * Node and browsers; the store decides where bytes live. See docs/protocol.md.
 */
import {
  BLOB_CHUNK_BYTES,
  chunkCount,
  chunkLength,
  BlobIntegrityError,
  type BlobHash,
  type BlobInfo,
  type BlobStore,
  type PartialBlob,
} from '@cosmolocal/core'
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import { BLOB_PROTOCOL, encodeBlobMessage, encodeChunkMessage, parseBlobRequest, parseBlobResponse, type BlobRequest, type BlobResponse } from './blob-messages.js'
import { BlobProtocolError, BlobUnavailableError, TruncatedFrameError } from './errors.js'
import { encodeFrame, encodeVarint, FrameDecoder } from './frame.js'
import { BLOB_IDLE_TIMEOUT_MS, HAVE_TIMEOUT_MS, MAX_BLOB_FRAME_BYTES, MAX_BLOB_STREAMS, MAX_CHUNKS_IN_FLIGHT } from './limits.js'
import { SendBufferPool } from './send-buffers.js'

// ---- framing on a stream -----------------------------------------------------------------------

async function sendMessage(stream: Stream, message: BlobRequest | BlobResponse): Promise<void> {
  if (stream.writableNeedsDrain) await stream.onDrain()
  if (!stream.send(encodeFrame(encodeBlobMessage(message)))) await stream.onDrain()
}

/** One `chunk` frame, handed to the stream in pieces so that the chunk's bytes are never copied here. */
async function sendChunk(stream: Stream, index: number, data: Uint8Array): Promise<void> {
  const [head, body] = encodeChunkMessage(index, data)
  const prefix = encodeVarint(head.byteLength + body.byteLength)
  const start = new Uint8Array(prefix.byteLength + head.byteLength)
  start.set(prefix, 0)
  start.set(head, prefix.byteLength)
  if (stream.writableNeedsDrain) await stream.onDrain()
  // The stream queues what it cannot send yet, so the body follows its head even when the first
  // send asks us to wait; waiting once, after both, keeps the frame whole.
  stream.send(start)
  if (!stream.send(body)) await stream.onDrain()
}

/**
 * The stream's frames, one at a time, each valid until the next is asked for (a frame that spans
 * stream chunks is joined into one buffer reused for all of them: every reader here parses a frame,
 * and writes a chunk, before it asks for the next). A stream on which nothing arrives for
 * BLOB_IDLE_TIMEOUT_MS is aborted, so a peer that went quiet cannot hold a download (or a serving
 * slot) forever. A caller that stops reading before the stream ends calls `return()`, which clears
 * that timer.
 */
async function* frames(stream: Stream): AsyncGenerator<Uint8Array> {
  const decoder = new FrameDecoder(MAX_BLOB_FRAME_BYTES, { reuseBuffer: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => stream.abort(new BlobProtocolError(`nothing arrived for ${BLOB_IDLE_TIMEOUT_MS} ms`)), BLOB_IDLE_TIMEOUT_MS)
  }
  arm()
  try {
    for await (const chunk of stream) {
      arm()
      // A list's pieces are appended as they are: `subarray()` would copy them into one buffer, and
      // the decoder joins a frame's pieces once anyway.
      if (chunk instanceof Uint8Array) decoder.append(chunk)
      else for (const piece of chunk) decoder.append(piece)
      for (let f = decoder.next(); f !== undefined; f = decoder.next()) yield f
    }
    if (decoder.hasPartialFrame) throw new TruncatedFrameError('blob stream ended inside a frame')
  } finally {
    clearTimeout(timer)
  }
}

// ---- serving ------------------------------------------------------------------------------------

/** One chunk served: what a server (and a test) can observe. */
export interface ChunkServedEvent {
  peer: string
  hash: BlobHash
  index: number
}

export interface BlobServiceInit {
  store: BlobStore
  /**
   * Whether this node may hand out `hash`. A node serves only blobs referenced by designs it shares
   * (see docs/protocol.md), never any hash it happens to hold: it is not an open file host.
   */
  mayServe(hash: BlobHash): Promise<boolean>
  onChunkServed?(event: ChunkServedEvent): void
  log?(line: string): void
}

/** The serving side of the blob protocol on one node. */
export class BlobService {
  readonly #node: Libp2p
  readonly #init: BlobServiceInit
  #started = false

  constructor(node: Libp2p, init: BlobServiceInit) {
    this.#node = node
    this.#init = init
  }

  async start(): Promise<void> {
    if (this.#started) return
    this.#started = true
    await this.#node.handle(BLOB_PROTOCOL, (stream, connection) => void this.#serve(stream, connection), {
      maxInboundStreams: MAX_BLOB_STREAMS,
    })
  }

  async stop(): Promise<void> {
    if (!this.#started) return
    this.#started = false
    await this.#node.unhandle(BLOB_PROTOCOL)
  }

  async #servable(hash: BlobHash): Promise<BlobInfo | null> {
    if (!(await this.#init.mayServe(hash))) return null
    return await this.#init.store.info(hash)
  }

  async #serve(stream: Stream, connection: Connection): Promise<void> {
    const peer = connection.remotePeer.toString()
    const input = frames(stream)
    try {
      const first = await input.next()
      if (first.done === true) return
      const req = parseBlobRequest(first.value)
      if (req.t === 'have') {
        const have: BlobHash[] = []
        for (const h of req.hashes) if ((await this.#servable(h)) !== null) have.push(h)
        await sendMessage(stream, { t: 'have', hashes: have })
        await stream.close()
        return
      }
      if (req.t !== 'get') throw new BlobProtocolError('a blob stream starts with get or have')
      const info = await this.#servable(req.hash)
      if (info === null) {
        await sendMessage(stream, { t: 'error', code: 'not-found', message: `no blob ${req.hash} here` })
        await stream.close()
        return
      }
      const { store } = this.#init
      await sendMessage(stream, { t: 'list', hash: info.hash, size: info.size, root: info.root, chunkList: await store.chunkList(info.hash) })
      // Each chunk at most once per stream: together with the per-want bound, a peer cannot make us
      // read more than the blob once for one request.
      const sent = new Set<number>()
      const count = chunkCount(info.size)
      const chunks = await store.openChunks(info.hash)
      // Chunks are read into buffers that come back once Noise has encrypted them (send-buffers.ts):
      // about a window's worth for the whole blob instead of a new one per chunk.
      const buffers = new SendBufferPool(BLOB_CHUNK_BYTES, MAX_CHUNKS_IN_FLIGHT)
      const lend = (length: number) => buffers.lend(length)
      try {
        for await (const frame of input) {
          const want = parseBlobRequest(frame)
          if (want.t !== 'want') throw new BlobProtocolError('only want may follow get')
          for (const index of want.chunks) {
            if (index >= count || sent.has(index)) throw new BlobProtocolError(`chunk ${index} is outside the blob or was already sent`)
            sent.add(index)
            await sendChunk(stream, index, await chunks.readChunk(index, lend))
            this.#init.onChunkServed?.({ peer, hash: info.hash, index })
          }
        }
      } finally {
        buffers.clear()
        await chunks.close()
      }
      await stream.close()
    } catch (err) {
      this.#init.log?.(`blob stream from ${peer}: ${(err as Error).message}`)
      stream.abort(err as Error)
    } finally {
      await input.return(undefined)
    }
  }
}

// ---- fetching ------------------------------------------------------------------------------------

export interface BlobProgress {
  hash: BlobHash
  /** Bytes held so far, including chunks kept from an earlier attempt. */
  receivedBytes: number
  totalBytes: number
  chunks: number
  totalChunks: number
  /** Chunks that were already on disk when this fetch began. */
  resumedChunks: number
  /** The peer currently sending, if any. */
  peer: string | null
}

export interface FetchBlobOptions {
  /** Peers to try first, in order (for example the one that sent the design). */
  peers?: readonly PeerId[]
  /** Also ask every connected peer whether it has the blob, and try those that do (default true). */
  askConnected?: boolean
  signal?: AbortSignal
  onProgress?(p: BlobProgress): void
}

export interface FetchAttempt {
  peer: string
  chunks: number
  error: string | null
}

export interface FetchBlobResult {
  info: BlobInfo
  /** Chunk indices fetched over the network by this call. */
  fetched: number[]
  /** Chunks that were already kept from an earlier attempt. */
  resumed: number
  attempts: FetchAttempt[]
}

const inFlight = new WeakMap<BlobStore, Map<BlobHash, Promise<FetchBlobResult>>>()

/**
 * Fetches a blob into `store` unless it is there already. Trusts no peer: the chunk list is checked
 * against `info.root`, each chunk against the list as it arrives, the whole against `info.hash`. A
 * peer that sends a bad chunk is dropped and the next one asked; chunks already verified are kept
 * (in the store's partial state, which survives a dropped connection or a restart), so only
 * missing chunks are ever fetched. Throws BlobUnavailableError when no peer completes it.
 */
export async function fetchBlob(node: Libp2p, store: BlobStore, info: BlobInfo, options: FetchBlobOptions = {}): Promise<FetchBlobResult> {
  let mine = inFlight.get(store)
  if (mine === undefined) inFlight.set(store, (mine = new Map()))
  const running = mine.get(info.hash)
  if (running !== undefined) return await running
  const job = fetchOnce(node, store, info, options).finally(() => mine.delete(info.hash))
  mine.set(info.hash, job)
  return await job
}

async function fetchOnce(node: Libp2p, store: BlobStore, info: BlobInfo, options: FetchBlobOptions): Promise<FetchBlobResult> {
  if (await store.has(info.hash)) return { info, fetched: [], resumed: chunkCount(info.size), attempts: [] }
  const partial = await store.partial(info)
  if (info.size === 0) await partial.setChunkList(new Uint8Array())
  const total = chunkCount(info.size)
  const resumed = partial.received().size
  const fetched: number[] = []
  const attempts: FetchAttempt[] = []
  let receivedBytes = [...partial.received()].reduce((n, i) => n + chunkLength(info.size, i), 0)
  const progress = (peer: string | null) =>
    options.onProgress?.({
      hash: info.hash,
      receivedBytes,
      totalBytes: info.size,
      chunks: resumed + fetched.length,
      totalChunks: total,
      resumedChunks: resumed,
      peer,
    })
  progress(null)

  const tried = new Set<string>()
  const tryPeer = async (peer: PeerId) => {
    const id = peer.toString()
    if (tried.has(id) || partial.received().size === total) return
    tried.add(id)
    const attempt: FetchAttempt = { peer: id, chunks: 0, error: null }
    attempts.push(attempt)
    try {
      await fetchFrom(node, peer, info, partial, options.signal, (index) => {
        fetched.push(index)
        attempt.chunks++
        receivedBytes += chunkLength(info.size, index)
        progress(id)
      })
    } catch (err) {
      attempt.error = (err as Error).message
    }
  }

  try {
    for (const peer of options.peers ?? []) await tryPeer(peer)
    if (partial.received().size < total && options.askConnected !== false) {
      const others = connectedPeers(node).filter((p) => !tried.has(p.toString()))
      const holders = await whoHas(node, others, [info.hash], options.signal)
      for (const peer of holders.get(info.hash) ?? []) await tryPeer(peer)
    }
    options.signal?.throwIfAborted()
    if (partial.received().size < total) {
      const why = attempts.length === 0 ? 'no connected peer has it' : attempts.map((a) => `${a.peer}: ${a.error ?? 'incomplete'}`).join('; ')
      throw new BlobUnavailableError(`could not fetch blob ${info.hash} (${partial.received().size}/${total} chunks): ${why}`, {
        hash: info.hash,
        attempts,
      })
    }
    const done = await partial.complete()
    return { info: done, fetched, resumed, attempts }
  } finally {
    await partial.close()
  }
}

/** One peer's part of a download: the chunks of `partial` still missing, through a sliding window. */
async function fetchFrom(
  node: Libp2p,
  peer: PeerId,
  info: BlobInfo,
  partial: PartialBlob,
  signal: AbortSignal | undefined,
  onChunk: (index: number) => void,
): Promise<void> {
  const stream = await node.dialProtocol(peer, BLOB_PROTOCOL, { signal: signal ?? AbortSignal.timeout(HAVE_TIMEOUT_MS) })
  const onAbort = () => stream.abort(new Error('download cancelled'))
  signal?.addEventListener('abort', onAbort)
  const input = frames(stream)
  try {
    await sendMessage(stream, { t: 'get', hash: info.hash })
    const first = await input.next()
    if (first.done === true) throw new BlobProtocolError('peer closed the stream without answering')
    const answer = parseBlobResponse(first.value)
    if (answer.t === 'error') throw new BlobUnavailableError(`peer does not serve it (${answer.code})`, { hash: info.hash })
    if (answer.t !== 'list') throw new BlobProtocolError('expected the chunk list first')
    if (answer.hash !== info.hash || answer.size !== info.size || answer.root !== info.root) {
      throw new BlobIntegrityError(`peer describes ${info.hash} differently (size ${answer.size}, root ${answer.root})`, { hash: info.hash })
    }
    if (partial.chunkList() === null) await partial.setChunkList(answer.chunkList)
    const have = partial.received()
    const missing = Array.from({ length: chunkCount(info.size) }, (_, i) => i).filter((i) => !have.has(i))
    const outstanding: number[] = []
    let next = 0
    const ask = async (n: number) => {
      const batch = missing.slice(next, next + n)
      next += batch.length
      if (batch.length === 0) return
      outstanding.push(...batch)
      await sendMessage(stream, { t: 'want', chunks: batch })
    }
    await ask(MAX_CHUNKS_IN_FLIGHT)
    while (outstanding.length > 0) {
      const item = await input.next()
      if (item.done === true) throw new BlobProtocolError(`peer closed the stream with ${outstanding.length} chunks outstanding`)
      const msg = parseBlobResponse(item.value)
      if (msg.t !== 'chunk' || msg.index !== outstanding[0]) throw new BlobProtocolError('peer sent something other than the next chunk asked for')
      outstanding.shift()
      // Ask for the next one before writing this one: the window stays full while the disk works.
      await ask(1)
      await partial.putChunk(msg.index, msg.data)
      onChunk(msg.index)
    }
    await stream.close()
  } catch (err) {
    stream.abort(err as Error)
    throw err
  } finally {
    signal?.removeEventListener('abort', onAbort)
    await input.return(undefined)
  }
}

/** Peers with a connection that may carry data (relay circuits only carry signalling). */
export function connectedPeers(node: Libp2p): PeerId[] {
  const seen = new Map<string, PeerId>()
  for (const c of node.getConnections()) if (c.limits === undefined && c.status === 'open') seen.set(c.remotePeer.toString(), c.remotePeer)
  return [...seen.values()]
}

/** Asks `peers` (in parallel) which of `hashes` they would serve. Peers that fail to answer count as having none. */
export async function whoHas(node: Libp2p, peers: readonly PeerId[], hashes: readonly BlobHash[], signal?: AbortSignal): Promise<Map<BlobHash, PeerId[]>> {
  const out = new Map<BlobHash, PeerId[]>()
  if (hashes.length === 0) return out
  const answers = await Promise.all(
    peers.map(async (peer) => {
      const timeout = AbortSignal.timeout(HAVE_TIMEOUT_MS)
      const s = signal === undefined ? timeout : AbortSignal.any([signal, timeout])
      let stream: Stream | undefined
      try {
        stream = await node.dialProtocol(peer, BLOB_PROTOCOL, { signal: s })
        await sendMessage(stream, { t: 'have', hashes: [...hashes] })
        const onAbort = () => stream?.abort(new Error('have query timed out'))
        s.addEventListener('abort', onAbort)
        const input = frames(stream)
        const first = await input.next()
        await input.return(undefined)
        s.removeEventListener('abort', onAbort)
        await stream.close()
        if (first.done === true) return [peer, []] as const
        const answer = parseBlobResponse(first.value)
        return [peer, answer.t === 'have' ? answer.hashes.filter((h) => hashes.includes(h)) : []] as const
      } catch {
        stream?.abort(new Error('have query failed'))
        return [peer, []] as const
      }
    }),
  )
  for (const [peer, has] of answers) {
    for (const h of has) {
      const list = out.get(h) ?? []
      list.push(peer)
      out.set(h, list)
    }
  }
  return out
}
