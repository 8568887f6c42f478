/**
 * One sync session: one libp2p stream with one peer, from handshake to close. The remote peer's id
 * is the one the libp2p connection authenticated; every message must agree with it.
 */
import type { Message, PeerId, PeerMetadata } from '@automerge/automerge-repo/slim'
import type { Connection, Logger, Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'
import {
  FrameTooLargeError,
  HandshakeTimeoutError,
  PeerIdMismatchError,
  PeerRefusedError,
  ProtocolViolationError,
  RemoteRefusedError,
  TruncatedFrameError,
  UnsupportedProtocolVersionError,
  isSessionError,
  type SessionError,
} from './errors.js'
import { encodeFrame, FrameDecoder } from './frame.js'
import type { Refusal } from './gate.js'
import { CLOSE_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS, MAX_FRAME_BYTES, MAX_HANDSHAKE_FRAME_BYTES } from './limits.js'
import { decodeMessage, encodeMessage, parseError, parseJoin, parsePeer, parseRepoMessage } from './messages.js'
import {
  HANDSHAKE_TYPES,
  PROTOCOL_V1,
  SUPPORTED_PROTOCOL_VERSIONS,
  selectProtocolVersion,
  type ErrorMessage,
  type JoinMessage,
  type PeerMessage,
} from './protocol.js'
import { FrameSender } from './sender.js'

/** `opener` opened the stream and sends the join; `listener` accepted it and answers with peer. */
export type SessionRole = 'opener' | 'listener'
export type SessionState = 'handshaking' | 'open' | 'closed'

/** Who we are, as told to the adapter by the Repo's `connect()`. */
export interface LocalPresence {
  readonly peerId: PeerId
  readonly peerMetadata: PeerMetadata
}

export interface SessionCloseInfo {
  readonly reason: string
  /** Set when the session closed because of something the peer did (or failed to do). */
  readonly error?: SessionError
  /** True if the handshake had completed, i.e. the Repo was told about this peer. */
  readonly wasOpen: boolean
}

export interface SessionHooks {
  /** Asked when a listener receives the join: a refusal answers it with an `error` message. */
  admit(session: Session): Refusal | null
  /** Asked for every message after the handshake, before `message`: a refusal ends the session. */
  inbound(session: Session, message: Message, frameBytes: number): Refusal | null
  opened(session: Session, peerMetadata: PeerMetadata): void
  message(session: Session, message: Message): void
  closed(session: Session, info: SessionCloseInfo): void
}

export interface SessionInit {
  readonly role: SessionRole
  readonly remotePeerId: string
  /** Resolves once the adapter is connected; a listener waits for it before answering a join. */
  readonly local: Promise<LocalPresence>
  readonly log: Logger
  readonly hooks: SessionHooks
}

export class Session {
  readonly role: SessionRole
  readonly remotePeerId: string
  readonly #local: Promise<LocalPresence>
  readonly #log: Logger
  readonly #hooks: SessionHooks
  readonly #decoder = new FrameDecoder(MAX_HANDSHAKE_FRAME_BYTES)
  readonly #abort = new AbortController()
  readonly #settled = Promise.withResolvers<void>()
  readonly #timer: ReturnType<typeof setTimeout>
  #state: SessionState = 'handshaking'
  #stream: Stream | undefined
  #connection: Connection | undefined
  #sender: FrameSender | undefined
  #localPeerId: PeerId | undefined
  #joinSent = false
  #joinReceived = false

  constructor(init: SessionInit) {
    this.role = init.role
    this.remotePeerId = init.remotePeerId
    this.#local = init.local
    this.#log = init.log
    this.#hooks = init.hooks
    // Counted from creation, so it also bounds the time an opener spends negotiating the stream.
    this.#timer = setTimeout(() => {
      this.#fail(new HandshakeTimeoutError(`no handshake within ${HANDSHAKE_TIMEOUT_MS} ms`))
    }, HANDSHAKE_TIMEOUT_MS)
  }

  get state(): SessionState {
    return this.#state
  }

  get stream(): Stream | undefined {
    return this.#stream
  }

  get connection(): Connection | undefined {
    return this.#connection
  }

  /** Aborted when the session closes, so a stream still being negotiated is given up. */
  get signal(): AbortSignal {
    return this.#abort.signal
  }

  /** Resolves when the handshake completes or the session closes, whichever comes first. */
  get settled(): Promise<void> {
    return this.#settled.promise
  }

  /** Binds the session to its stream. An opener's session exists before its stream does. */
  attach(stream: Stream, connection: Connection): void {
    if (this.#state === 'closed') {
      stream.abort(new Error('sync session closed before its stream opened'))
      return
    }
    this.#stream = stream
    this.#connection = connection
    this.#sender = new FrameSender(stream, err => this.close(`send failed: ${err.message}`))
    stream.addEventListener('message', (evt: StreamMessageEvent) => {
      this.#onData(evt.data instanceof Uint8Array ? evt.data : evt.data.subarray())
    })
    // 'end' rather than 'remoteCloseWrite': it comes after every buffered byte was delivered, so a
    // partial frame at that point really is truncated.
    stream.addEventListener('end', () => this.#onEnd())
    stream.addEventListener('close', (evt: StreamCloseEvent) => {
      const how = evt.error === undefined ? 'stream closed' : `stream ${evt.local === true ? 'aborted' : 'reset'}: ${evt.error.name}: ${evt.error.message}`
      this.close(connection.status === 'open' ? how : `${how} (connection ${connection.status})`)
    })
    if (stream.readableEnded) queueMicrotask(() => this.#onEnd())
    if (stream.status !== 'open') queueMicrotask(() => this.close(`stream already ${stream.status}`))
    if (this.role === 'opener') void this.#local.then(local => this.#sendJoin(local))
  }

  /** Sends a repo message; false if the session is not open (the message is dropped). */
  send(message: Message): boolean {
    if (this.#state !== 'open') return false
    const body = encodeMessage(message)
    if (body.byteLength > MAX_FRAME_BYTES) {
      // The peer would close the session on it; dropping keeps every other document syncing.
      const err = new FrameTooLargeError(`outgoing ${message.type} message of ${body.byteLength} bytes not sent`)
      this.#log.error('%s to %s: %s', err.name, this.remotePeerId, err.message)
      return false
    }
    try {
      this.#sender?.enqueue(encodeFrame(body))
    } catch (err) {
      this.#fail(err)
      return false
    }
    return true
  }

  /**
   * Ends the session. Without an error (or with `flush`) the stream is closed gracefully and
   * queued data still goes out; with an error it is reset, since nothing more from or to this
   * peer on it is wanted.
   */
  close(reason: string, error?: SessionError, options: { flush?: boolean } = {}): void {
    if (this.#state === 'closed') return
    const wasOpen = this.#state === 'open'
    this.#state = 'closed'
    clearTimeout(this.#timer)
    this.#abort.abort(error ?? new Error(reason))
    if (options.flush !== true) this.#sender?.stop()
    const stream = this.#stream
    if (stream !== undefined) {
      if (error !== undefined && options.flush !== true) stream.abort(error)
      else {
        // Frames still in our queue (behind the peer's backpressure) go out first: closing the
        // stream before would drop them, a refusal's error message with them, and the peer would
        // see only a clean end ("peer closed the stream") instead of why.
        const signal = AbortSignal.timeout(CLOSE_TIMEOUT_MS)
        const drained = this.#sender?.drained() ?? Promise.resolve()
        void raceAbort(drained, signal)
          .then(() => stream.close({ signal }))
          .catch((err: Error) => stream.abort(err))
      }
    }
    this.#settled.resolve()
    this.#hooks.closed(this, { reason, wasOpen, ...(error === undefined ? {} : { error }) })
  }

  /** A method, not a field read, because closing happens inside calls the compiler cannot see through. */
  #isClosed(): boolean {
    return this.#state === 'closed'
  }

  /**
   * The stream's readable end is over. libp2p says so first also when the stream is aborted or
   * reset, or its connection went away (a ping that timed out, a socket error): the stream is then
   * no longer open, and its 'close' event, right after, carries why. Only an end on an open stream is
   * the peer closing it (and only then is a partial frame the peer's doing).
   */
  #onEnd(): void {
    const status = this.#stream?.status
    if (status !== 'open' && status !== 'closing') return
    if (this.#decoder.hasPartialFrame) this.#fail(new TruncatedFrameError('stream ended inside a frame'))
    else this.close('peer closed the stream')
  }

  #onData(bytes: Uint8Array): void {
    if (this.#state === 'closed') return
    this.#decoder.append(bytes)
    for (;;) {
      if (this.#isClosed()) return
      try {
        const frame = this.#decoder.next()
        if (frame === undefined) return
        const fields = decodeMessage(frame)
        if (this.#state === 'handshaking') this.#onHandshake(fields)
        else this.#onMessage(fields, frame.byteLength)
      } catch (err) {
        this.#fail(err)
      }
    }
  }

  #onHandshake(fields: Record<string, unknown>): void {
    if (this.role === 'listener') this.#onJoin(fields)
    else this.#onPeer(fields)
  }

  #onJoin(fields: Record<string, unknown>): void {
    if (this.#joinReceived) throw new ProtocolViolationError('message sent before the handshake completed')
    if (fields.type !== 'join') throw new ProtocolViolationError(`expected a join, got ${String(fields.type)}`)
    const join = parseJoin(fields)
    this.#checkSender(join.senderId, 'join')
    this.#joinReceived = true
    const version = selectProtocolVersion(join.supportedProtocolVersions)
    void this.#local.then(local => {
      if (this.#state === 'closed') return
      this.#localPeerId = local.peerId
      const refused = this.#hooks.admit(this)
      if (refused !== null) {
        this.refuse(refused)
        return
      }
      if (version === undefined) {
        const refusal: ErrorMessage = {
          type: 'error',
          senderId: local.peerId,
          message: 'unsupported protocol version',
          targetId: join.senderId,
        }
        this.#writeHandshake(refusal)
        const err = new UnsupportedProtocolVersionError(
          `peer offered protocol versions [${String(join.supportedProtocolVersions)}], none of which we speak`,
        )
        // Flushed, not reset: the refusal should reach the peer, which may simply be newer than us.
        this.close(`${err.name}: ${err.message}`, err, { flush: true })
        return
      }
      const answer: PeerMessage = {
        type: 'peer',
        senderId: local.peerId,
        peerMetadata: local.peerMetadata,
        selectedProtocolVersion: version,
        targetId: join.senderId,
      }
      this.#writeHandshake(answer)
      this.#open(join.peerMetadata)
    })
  }

  #onPeer(fields: Record<string, unknown>): void {
    if (!this.#joinSent) throw new ProtocolViolationError('listener spoke before our join')
    if (fields.type === 'error') {
      const refusal = parseError(fields)
      throw new RemoteRefusedError(`peer refused the session: ${refusal.message}`, { remoteMessage: refusal.message })
    }
    if (fields.type !== 'peer') throw new ProtocolViolationError(`expected a peer message, got ${String(fields.type)}`)
    const peer = parsePeer(fields)
    this.#checkSender(peer.senderId, 'peer message')
    if (peer.targetId !== this.#localPeerId) {
      throw new ProtocolViolationError(`peer message addressed to ${peer.targetId}, not to us`)
    }
    if (peer.selectedProtocolVersion !== PROTOCOL_V1) {
      throw new UnsupportedProtocolVersionError(`peer selected protocol version ${peer.selectedProtocolVersion}`)
    }
    this.#open(peer.peerMetadata)
  }

  #onMessage(fields: Record<string, unknown>, frameBytes: number): void {
    if (HANDSHAKE_TYPES.has(fields.type as string)) {
      if (fields.type === 'error') {
        const reported = parseError(fields).message
        throw new RemoteRefusedError(`peer reported an error: ${reported}`, { remoteMessage: reported })
      }
      throw new ProtocolViolationError(`${String(fields.type)} message after the handshake`)
    }
    const message = parseRepoMessage(fields)
    if (message.targetId !== this.#localPeerId) {
      throw new ProtocolViolationError(`${message.type} message addressed to ${message.targetId}, not to us`)
    }
    // automerge-repo forwards ephemeral messages with their author's senderId intact (its dedup
    // key is senderId + sessionId), so for them senderId names the claimed origin, not the
    // connection. Every other message must come from the authenticated peer itself.
    if (message.type !== 'ephemeral') this.#checkSender(message.senderId, `${message.type} message`)
    const refused = this.#hooks.inbound(this, message, frameBytes)
    if (refused !== null) {
      this.refuse(refused)
      return
    }
    this.#hooks.message(this, message)
  }

  /**
   * Ends the session because the gate refused the peer: tells it why (an `error` message, which it
   * reports as RemoteRefusedError), stops reading, and closes the stream once that is flushed.
   */
  refuse(refusal: Refusal): void {
    if (this.#state === 'closed') return
    const local = this.#localPeerId
    if (local !== undefined) {
      this.#writeHandshake({ type: 'error', senderId: local, message: refusal.message, targetId: this.remotePeerId as PeerId })
    }
    const err = new PeerRefusedError(refusal.message, { peerId: this.remotePeerId, code: refusal.code })
    this.close(`${err.name}: ${err.message}`, err, { flush: true })
  }

  #checkSender(senderId: string, what: string): void {
    if (senderId !== this.remotePeerId) {
      throw new PeerIdMismatchError(`${what} claims sender ${senderId} on a connection authenticated as ${this.remotePeerId}`, {
        claimed: senderId,
        authenticated: this.remotePeerId,
      })
    }
  }

  #sendJoin(local: LocalPresence): void {
    if (this.#state === 'closed') return
    this.#localPeerId = local.peerId
    const join: JoinMessage = {
      type: 'join',
      senderId: local.peerId,
      peerMetadata: local.peerMetadata,
      supportedProtocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    }
    this.#writeHandshake(join)
    this.#joinSent = true
  }

  #writeHandshake(message: JoinMessage | PeerMessage | ErrorMessage): void {
    try {
      this.#sender?.enqueue(encodeFrame(encodeMessage(message)))
    } catch (err) {
      this.#fail(err)
    }
  }

  #open(peerMetadata: PeerMetadata): void {
    if (this.#state !== 'handshaking') return
    this.#state = 'open'
    clearTimeout(this.#timer)
    this.#decoder.setMaxFrameBytes(MAX_FRAME_BYTES)
    this.#settled.resolve()
    this.#hooks.opened(this, peerMetadata)
  }

  #fail(err: unknown): void {
    const error = isSessionError(err) ? err : new ProtocolViolationError(`unexpected failure: ${String(err)}`)
    this.close(`${error.name}: ${error.message}`, error)
  }
}

/** `promise`, or a rejection with the signal's reason once it aborts. */
function raceAbort(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error)
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(err instanceof Error ? err : new Error(String(err)))
      },
    )
  })
}
