/**
 * The stock automerge-repo WebSocket endpoint (`/automerge`): the server side of the stock
 * WebSocket protocol (join / peer / error, then automerge-repo messages, one CBOR map per binary
 * message), so that any automerge-repo app with the stock client adapter can read what the hub
 * holds. Our own adapter rather than the stock server's, because the stock server trusts what it
 * is sent: one message holding CBOR `null` throws inside its event handler and ends the process,
 * and it believes the peer id a client claims.
 *
 * A client here is not authenticated: its peer id is whatever its join says. So:
 *
 * - **Every message is parsed before anything acts on it** (net's sync-protocol parsers: a CBOR
 *   map of the right shape, valid ids, decodable sync data). Anything else closes that client's
 *   connection with a logged reason; no other client or peer notices.
 * - **The Repo never sees a claimed id.** Each connection is a peer of its own, `ws-N`, so a
 *   client cannot pose as a libp2p peer (whose id is authenticated) or as another client, take over
 *   their sync, or end it by disconnecting.
 * - **Read-only.** Changes in a client's sync messages are dropped before the Repo sees them, and
 *   so are its ephemeral and remote-heads messages; a message about a document the hub does not
 *   hold is answered `doc-unavailable` without creating anything. Writes reach a hub only over
 *   authenticated libp2p sessions, where a key can be denied and budgeted (policy.ts); a write
 *   nobody can be held to could not be defended.
 * - **Metered per connection**, with the same budget as a libp2p peer (bytes per window); over it,
 *   the connection is closed. A client that stops reading (more than MAX_WS_SEND_BUFFER_BYTES
 *   waiting), never joins (WS_JOIN_TIMEOUT_MS), or stops answering pings is dropped.
 */
import { Automerge, cbor, NetworkAdapter, type DocumentId, type Message, type PeerId, type PeerMetadata } from '@automerge/automerge-repo/slim'
import { decodeMessage, parseJoin, parseRepoMessage, PROTOCOL_V1, SUPPORTED_PROTOCOL_VERSIONS } from '@cosmolocal/net'
import type { IncomingMessage } from 'node:http'
import type { RawData, WebSocket, WebSocketServer } from 'ws'
import { WebSocketProtocolError } from './errors.js'
import { MAX_WS_PEER_ID_LENGTH, MAX_WS_SEND_BUFFER_BYTES, WS_JOIN_TIMEOUT_MS, WS_KEEPALIVE_MS } from './limits.js'
import type { HubPolicy } from './policy.js'

export interface WebSocketEndpointInit {
  /** A `noServer` WebSocket server whose `connection` events the HTTP server emits. */
  readonly server: WebSocketServer
  /** Meters each connection (`chargeBytes`, `forget`). */
  readonly policy: Pick<HubPolicy, 'chargeBytes' | 'forget'>
  /** Whether the hub holds (has loaded and ready) a document: only those are served here. */
  readonly holds: (documentId: DocumentId) => boolean | Promise<boolean>
  readonly log: (line: string) => void
}

interface Client {
  readonly socket: WebSocket
  /** The Repo's peer id for this connection, and its budget key. */
  readonly key: PeerId
  readonly address: string
  /** The peer id its join claimed; null until it joined. */
  claimed: string | null
  alive: boolean
  closed: boolean
  /** Messages are handled one at a time, in order. */
  queue: Promise<void>
  joinTimer: ReturnType<typeof setTimeout>
  droppedWrites: boolean
}

/** WebSocket close codes (RFC 6455 §7.4.1). */
const UNSUPPORTED_DATA = 1003
const INVALID_PAYLOAD = 1007
const POLICY_VIOLATION = 1008
const INTERNAL_ERROR = 1011

export class HubWebSocketEndpoint extends NetworkAdapter {
  readonly #init: WebSocketEndpointInit
  readonly #clients = new Map<string, Client>()
  #count = 0
  #keepalive: ReturnType<typeof setInterval> | undefined
  readonly #onConnection = (socket: WebSocket, req: IncomingMessage) => this.#accept(socket, req)
  /** Resolved by the Repo's `connect()`, which tells us who we are: joins wait for it. */
  #connected = Promise.withResolvers<void>()

  /**
   * Listens from the start: the HTTP server may hand us a client before the Repo has called
   * `connect()` (it first reads its storage id), and that client's join must still be answered.
   */
  constructor(init: WebSocketEndpointInit) {
    super()
    this.#init = init
    this.#listen()
  }

  #listen(): void {
    if (this.#keepalive !== undefined) return
    this.#init.server.on('connection', this.#onConnection)
    this.#keepalive = setInterval(() => this.#ping(), WS_KEEPALIVE_MS)
    this.#keepalive.unref()
  }

  /** Ready from the start: the HTTP server is listening before the Repo asks (a Repo waits for every adapter). */
  isReady(): boolean {
    return true
  }

  whenReady(): Promise<void> {
    return Promise.resolve()
  }

  connect(peerId: PeerId, peerMetadata?: PeerMetadata): void {
    this.peerId = peerId
    this.peerMetadata = peerMetadata ?? {}
    this.#listen()
    this.#connected.resolve()
  }

  disconnect(): void {
    clearInterval(this.#keepalive)
    this.#keepalive = undefined
    this.#init.server.off('connection', this.#onConnection)
    this.#connected = Promise.withResolvers<void>()
    for (const client of [...this.#clients.values()]) this.#drop(client, 1001, 'hub stopping', false)
  }

  send(message: Message): void {
    const client = this.#clients.get(message.targetId)
    if (client === undefined || client.closed || client.claimed === null) return
    if (client.socket.bufferedAmount > MAX_WS_SEND_BUFFER_BYTES) {
      this.#drop(client, POLICY_VIOLATION, `not reading: more than ${MAX_WS_SEND_BUFFER_BYTES} bytes waiting for it`)
      return
    }
    this.#write(client, { ...message, targetId: client.claimed })
  }

  #accept(socket: WebSocket, req: IncomingMessage): void {
    const key = `ws-${++this.#count}` as PeerId
    const client: Client = {
      socket,
      key,
      address: `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`,
      claimed: null,
      alive: true,
      closed: false,
      queue: Promise.resolve(),
      joinTimer: setTimeout(() => this.#drop(client, POLICY_VIOLATION, `no join within ${WS_JOIN_TIMEOUT_MS} ms`), WS_JOIN_TIMEOUT_MS),
      droppedWrites: false,
    }
    this.#clients.set(key, client)
    // ws emits `error` on frames it cannot parse (a reserved bit, an oversized message); unheard, that would end the process.
    socket.on('error', (err) => this.#drop(client, INTERNAL_ERROR, `WebSocket error: ${err.message}`, false))
    socket.on('pong', () => (client.alive = true))
    socket.on('close', () => this.#closed(client))
    socket.on('message', (data, isBinary) => this.#receive(client, data, isBinary))
  }

  #receive(client: Client, data: RawData, isBinary: boolean): void {
    if (client.closed) return
    if (!isBinary) {
      this.#drop(client, UNSUPPORTED_DATA, 'text message (the protocol sends CBOR in binary messages)')
      return
    }
    const bytes = toBytes(data)
    const refused = this.#init.policy.chargeBytes(client.key, bytes.byteLength)
    if (refused !== null) {
      this.#drop(client, POLICY_VIOLATION, refused.message)
      return
    }
    client.queue = client.queue
      .then(() => this.#handle(client, bytes))
      .catch((err: unknown) => this.#drop(client, INVALID_PAYLOAD, err instanceof Error ? `${err.name}: ${err.message}` : String(err)))
  }

  async #handle(client: Client, bytes: Uint8Array): Promise<void> {
    await this.#connected.promise
    if (client.closed) return
    const fields = decodeMessage(bytes)
    if (client.claimed === null) {
      this.#join(client, fields)
      return
    }
    if (fields.type === 'join') throw new WebSocketProtocolError('a second join')
    if (fields.senderId !== client.claimed) throw new WebSocketProtocolError(`message claims sender ${String(fields.senderId)}, not ${client.claimed}`)
    const message = parseRepoMessage(fields)
    if (message.targetId !== this.peerId) throw new WebSocketProtocolError(`message addressed to ${message.targetId}, not to this hub`)
    // Read-only: nothing but sync, requests and doc-unavailable is acted on.
    if (message.type !== 'sync' && message.type !== 'request' && message.type !== 'doc-unavailable') return
    // parseRepoMessage checked both: a valid document id, and (sync, request) decodable sync data.
    const documentId = (message as { documentId: DocumentId }).documentId
    if (!(await this.#init.holds(documentId))) {
      if (message.type !== 'doc-unavailable') this.#write(client, { type: 'doc-unavailable', senderId: this.peerId, targetId: client.claimed, documentId })
      return
    }
    if (client.closed) return
    // Only the fields the Repo reads, under the Repo's id for this connection.
    const to = { senderId: client.key, targetId: this.peerId!, documentId }
    if (message.type === 'doc-unavailable') {
      this.#emitSafely(() => this.emit('message', { type: 'doc-unavailable', ...to }))
      return
    }
    let data = (message as { data: Uint8Array }).data
    const decoded = Automerge.decodeSyncMessage(data)
    if (decoded.changes.length > 0) {
      if (!client.droppedWrites) this.#init.log(`stock WebSocket client ${client.address} (${client.claimed}) sent changes; this endpoint is read-only, they are dropped`)
      client.droppedWrites = true
      data = Automerge.encodeSyncMessage({ ...decoded, changes: [] })
    }
    this.#emitSafely(() => this.emit('message', { type: message.type, ...to, data } as Message))
  }

  #join(client: Client, fields: Record<string, unknown>): void {
    if (fields.type !== 'join') throw new WebSocketProtocolError(`expected a join, got ${String(fields.type)}`)
    const join = parseJoin(fields)
    if (join.senderId.length === 0 || join.senderId.length > MAX_WS_PEER_ID_LENGTH) throw new WebSocketProtocolError('join claims no usable peer id')
    const offered = join.supportedProtocolVersions
    if (offered !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.some((v) => offered.includes(v))) {
      this.#write(client, { type: 'error', senderId: this.peerId, message: 'unsupported protocol version', targetId: join.senderId })
      this.#drop(client, POLICY_VIOLATION, `offered protocol versions [${offered.join(', ')}], none of which this hub speaks`)
      return
    }
    clearTimeout(client.joinTimer)
    client.claimed = join.senderId
    this.#write(client, { type: 'peer', senderId: this.peerId, peerMetadata: this.peerMetadata, selectedProtocolVersion: PROTOCOL_V1, targetId: join.senderId })
    // Ephemeral: the Repo keeps no sync state for it on disk (a storage id is only a claim here).
    this.#emitSafely(() => this.emit('peer-candidate', { peerId: client.key, peerMetadata: { isEphemeral: true } }))
  }

  #write(client: Client, message: object): void {
    if (client.closed) return
    try {
      client.socket.send(cbor.encode(message))
    } catch (err) {
      this.#drop(client, INTERNAL_ERROR, `send failed: ${(err as Error).message}`, false)
    }
  }

  #ping(): void {
    for (const client of [...this.#clients.values()]) {
      if (!client.alive) {
        this.#drop(client, POLICY_VIOLATION, `no answer to a ping in ${WS_KEEPALIVE_MS} ms`, false)
        continue
      }
      client.alive = false
      try {
        client.socket.ping()
      } catch {
        this.#drop(client, INTERNAL_ERROR, 'ping failed', false)
      }
    }
  }

  /** Ends one client's connection, logging why; `graceful` sends a close frame with the reason first. */
  #drop(client: Client, code: number, reason: string, graceful = true): void {
    if (client.closed) return
    this.#init.log(`stock WebSocket client ${client.address}${client.claimed === null ? '' : ` (${client.claimed})`} dropped: ${reason}`)
    try {
      if (graceful) {
        client.socket.close(code, closeReason(reason))
        // A client that does not complete the closing handshake is not waited for.
        setTimeout(() => client.socket.terminate(), 1_000).unref()
      } else client.socket.terminate()
    } catch {
      client.socket.terminate()
    }
    this.#closed(client)
  }

  #closed(client: Client): void {
    if (client.closed) return
    client.closed = true
    clearTimeout(client.joinTimer)
    this.#clients.delete(client.key)
    this.#init.policy.forget(client.key)
    if (client.claimed !== null) this.#emitSafely(() => this.emit('peer-disconnected', { peerId: client.key }))
  }

  /** The Repo's listeners run inside our socket callbacks; their failures are not the client's fault. */
  #emitSafely(emit: () => void): void {
    try {
      emit()
    } catch (err) {
      this.#init.log(`stock WebSocket endpoint: a Repo listener threw: ${(err as Error).message}`)
    }
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}

/** A close frame's reason is at most 123 bytes of UTF-8. */
function closeReason(reason: string): string {
  let out = reason
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1)
  return out
}
