/**
 * An automerge-repo NetworkAdapter over libp2p streams: one session (one stream) per connected
 * peer on SYNC_PROTOCOL, opened automatically with every peer that speaks it.
 *
 * Session rules (docs/protocol.md):
 * - the remote's repo peer id is the libp2p-authenticated peer id of the connection;
 * - at most one session per peer: if both peers open at once, the stream opened by the peer whose
 *   id sorts lower wins; otherwise a newer stream from a peer replaces its older session (the
 *   peer restarted or reconnected before we noticed the old one die);
 * - sessions only run on unlimited connections (never over a relay's limited circuit);
 * - a session closed for a protocol error is not reopened on the same connection;
 * - a gate (optional, see gate.ts) may refuse a peer's session, or end it over one of its messages.
 */
import { NetworkAdapter, type Message, type PeerId, type PeerMetadata } from '@automerge/automerge-repo/slim'
import type { Connection, Libp2p, Logger, PeerId as Libp2pPeerId, Stream } from '@libp2p/interface'
import { LocalPeerIdError, type SessionError } from './errors.js'
import type { Refusal, SessionGate } from './gate.js'
import { MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, MAX_REMEMBERED_SESSION_ENDS, READY_TIMEOUT_MS } from './limits.js'
import { SYNC_PROTOCOL } from './protocol.js'
import { onNodeQueue } from './registration.js'
import { Session, type LocalPresence, type SessionCloseInfo, type SessionRole, type SessionState } from './session.js'

/** A session's end, as reported to `onSessionClosed`. */
export interface SessionClosedEvent {
  readonly peerId: string
  readonly role: SessionRole
  /** True if the Repo had been told about the peer (and so was told it left). */
  readonly wasOpen: boolean
  readonly reason: string
  /** Present when the peer broke the protocol or a limit; `error.name` is stable. */
  readonly error?: SessionError
  /** When it ended (ms since the epoch). */
  readonly at: number
}

/** A live session, as listed by `getSessions()`. */
export interface SessionInfo {
  readonly peerId: string
  readonly role: SessionRole
  readonly state: SessionState
  readonly connectionId?: string
  readonly remoteAddr?: string
  /** True if the connection carrying the session is limited (a relay circuit). Never true in practice. */
  readonly limited: boolean
  readonly streamId?: string
}

export interface Libp2pNetworkAdapterOptions {
  /** Called for every session that ends, with the reason; violations carry a named error. */
  readonly onSessionClosed?: (event: SessionClosedEvent) => void
  /** Who may sync, and what each peer may send (a hub's policy). Without one, everyone, anything well-formed. */
  readonly gate?: SessionGate
}

type AdapterState = 'idle' | 'connected' | 'disconnected'

/** The peer id a Repo using this adapter must be created with: the node's own libp2p peer id. */
export function repoPeerId(node: Libp2p): PeerId {
  return node.peerId.toString() as PeerId
}

export class Libp2pNetworkAdapter extends NetworkAdapter {
  readonly #node: Libp2p
  readonly #log: Logger
  readonly #options: Libp2pNetworkAdapterOptions
  readonly #sessions = new Map<string, Session>()
  /** The last session end per peer, oldest first, so a caller can say why a peer is not syncing. */
  readonly #ends = new Map<string, SessionClosedEvent>()
  readonly #ready = Promise.withResolvers<void>()
  #isReady = false
  #state: AdapterState = 'idle'
  #presence: PromiseWithResolvers<LocalPresence> = Promise.withResolvers<LocalPresence>()
  #registered: Promise<void>
  #topologyId: string | undefined

  /**
   * Registers the sync protocol on `node` right away, so peers can open sessions to us while the
   * Repo is still starting (their joins are answered once `connect()` tells us who we are).
   */
  constructor(node: Libp2p, options: Libp2pNetworkAdapterOptions = {}) {
    super()
    this.#node = node
    this.#options = options
    this.#log = node.logger.forComponent('cosmolocal:net:sync')
    this.#registered = this.#register()
  }

  /**
   * Ready means: `connect()` was called, the node is started (so listening on its addresses), the
   * protocol is registered, and the handshakes with peers already connected at that moment have
   * completed or failed, waiting at most READY_TIMEOUT_MS. The Repo waits for readiness before
   * asking peers for a document it lacks, so this keeps `find()` right after start-up from giving
   * up before known peers were asked. Once ready, always ready (as the stock adapters).
   */
  isReady(): boolean {
    return this.#isReady
  }

  whenReady(): Promise<void> {
    return this.#ready.promise
  }

  connect(peerId: PeerId, peerMetadata?: PeerMetadata): void {
    const own = repoPeerId(this.#node)
    if (peerId !== own) {
      const err = new LocalPeerIdError(`the Repo's peerId must be the libp2p peer id ${own}, not ${peerId}`, {
        peerId,
        libp2pPeerId: own,
      })
      this.#log.error('%s', err.message)
      // The Repo calls connect() in a promise and only debug-logs a throw; left unready, its every
      // find() would hang. Ready with no sessions, it fails fast as an offline Repo would.
      this.#becomeReady()
      throw err
    }
    this.peerId = peerId
    this.peerMetadata = peerMetadata ?? {}
    if (this.#state === 'disconnected') {
      this.#presence = Promise.withResolvers<LocalPresence>()
      this.#registered = this.#register()
    }
    this.#state = 'connected'
    this.#presence.resolve({ peerId, peerMetadata: this.peerMetadata })
    void this.#openWithConnectedPeers()
  }

  send(message: Message): void {
    const session = this.#sessions.get(message.targetId)
    if (session === undefined || !session.send(message)) {
      this.#log.trace('no open session with %s; %s message dropped', message.targetId, message.type)
    }
  }

  disconnect(): void {
    if (this.#state === 'disconnected') return
    this.#state = 'disconnected'
    for (const session of [...this.#sessions.values()]) session.close('local adapter disconnected')
    void onNodeQueue(this.#node, async () => {
      // Read here, not before queueing: a registration still in the queue sets it.
      if (this.#topologyId !== undefined) this.#node.unregister(this.#topologyId)
      this.#topologyId = undefined
      await this.#node.unhandle(SYNC_PROTOCOL)
    }).catch(err => this.#log.error('could not unregister %s: %e', SYNC_PROTOCOL, err))
  }

  /** How the last session with `peerId` ended, if one did (the last MAX_REMEMBERED_SESSION_ENDS peers). */
  lastSessionEnd(peerId: string): SessionClosedEvent | undefined {
    return this.#ends.get(peerId)
  }

  /** The sessions this adapter holds, one per peer at most. */
  getSessions(): SessionInfo[] {
    return [...this.#sessions.values()].map(session => {
      const connection = session.connection
      const stream = session.stream
      return {
        peerId: session.remotePeerId,
        role: session.role,
        state: session.state,
        limited: connection?.limits !== undefined,
        ...(connection === undefined ? {} : { connectionId: connection.id, remoteAddr: connection.remoteAddr.toString() }),
        ...(stream === undefined ? {} : { streamId: stream.id }),
      }
    })
  }

  #register(): Promise<void> {
    const registration = onNodeQueue(this.#node, async () => {
      await this.#node.handle(SYNC_PROTOCOL, (stream, connection) => this.#accept(stream, connection), {
        maxInboundStreams: MAX_INBOUND_STREAMS,
        maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      })
      this.#topologyId = await this.#node.register(SYNC_PROTOCOL, {
        onConnect: (peer, connection) => {
          void this.#open(peer, connection)
        },
      })
    })
    registration.catch(err => this.#log.error('could not register %s: %e', SYNC_PROTOCOL, err))
    return registration
  }

  /**
   * `register()` does not report peers that were connected before it, and a peer whose Repo was
   * not running when we connected has no reason to open a session later; so on connect we open
   * with everyone connected now.
   */
  async #openWithConnectedPeers(): Promise<void> {
    try {
      await whenStarted(this.#node)
      await this.#registered
    } catch (err) {
      // Without the protocol registered we cannot sync; a Repo left waiting for readiness would
      // hang every find(), so it is told we are ready and behaves as offline.
      this.#log.error('sync not started: %e', err)
      this.#becomeReady()
      return
    }
    const attempts: Array<Promise<void>> = []
    const seen = new Set<string>()
    for (const connection of this.#node.getConnections()) {
      const key = connection.remotePeer.toString()
      if (seen.has(key) || !isUsable(connection)) continue
      seen.add(key)
      attempts.push(this.#openIfSpoken(connection))
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      Promise.allSettled(attempts),
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, READY_TIMEOUT_MS)
      }),
    ])
    clearTimeout(timer)
    this.#becomeReady()
  }

  #becomeReady(): void {
    this.#isReady = true
    this.#ready.resolve()
  }

  /**
   * Skips peers that identify says do not speak the protocol (a relay, say). Peers not identified
   * yet get a try: if they do not speak it, the stream negotiation fails and nothing else happens.
   */
  async #openIfSpoken(connection: Connection): Promise<void> {
    const protocols: string[] = await this.#node.peerStore.get(connection.remotePeer).then(
      peer => peer.protocols,
      () => [],
    )
    if (protocols.length > 0 && !protocols.includes(SYNC_PROTOCOL)) return
    return this.#open(connection.remotePeer, connection)
  }

  /**
   * Asks the gate again about every peer (after it changed its mind): each session it no longer
   * admits is refused and closed now, and connected peers it admits again get a session.
   */
  reviewSessions(): void {
    for (const session of [...this.#sessions.values()]) {
      const refusal = this.#admit(session.remotePeerId)
      if (refusal !== null) session.refuse(refusal)
    }
    if (this.#state !== 'connected') return
    const seen = new Set<string>()
    for (const connection of this.#node.getConnections()) {
      const key = connection.remotePeer.toString()
      if (seen.has(key) || this.#sessions.has(key) || !isUsable(connection)) continue
      seen.add(key)
      void this.#openIfSpoken(connection)
    }
  }

  async #open(peer: Libp2pPeerId, connection: Connection): Promise<void> {
    const key = peer.toString()
    if (this.#state !== 'connected' || !isUsable(connection)) return
    const existing = this.#sessions.get(key)
    if (existing !== undefined) return existing.settled
    const refusal = this.#admit(key)
    if (refusal !== null) {
      this.#log('not opening a sync session with %s: %s', key, refusal.message)
      return
    }
    const session = this.#createSession('opener', key)
    this.#sessions.set(key, session)
    try {
      const stream = await connection.newStream(SYNC_PROTOCOL, { signal: session.signal })
      session.attach(stream, connection)
    } catch (err) {
      // Routine when the peer's Repo is not running yet: it opens to us when it starts.
      session.close(`could not open a sync stream: ${(err as Error).message}`)
    }
    return session.settled
  }

  #accept(stream: Stream, connection: Connection): void {
    const key = connection.remotePeer.toString()
    if (this.#state === 'disconnected') {
      stream.abort(new Error('sync adapter disconnected'))
      return
    }
    const existing = this.#sessions.get(key)
    if (existing !== undefined) {
      if (existing.role === 'opener' && existing.state === 'handshaking') {
        // Both sides opened at once. Each side applies the same rule, so exactly one stream survives.
        if (this.#isLowerThan(key)) {
          this.#log('simultaneous open with %s: keeping our stream (lower id)', key)
          stream.abort(new Error('simultaneous open: the stream opened by the lower peer id wins'))
          return
        }
        existing.close('simultaneous open: the stream opened by the lower peer id wins')
      } else {
        existing.close('replaced by a newer stream from the same peer')
      }
    }
    const session = this.#createSession('listener', key)
    this.#sessions.set(key, session)
    session.attach(stream, connection)
  }

  #createSession(role: SessionRole, remotePeerId: string): Session {
    return new Session({
      role,
      remotePeerId,
      local: this.#presence.promise,
      log: this.#log,
      hooks: {
        admit: session => this.#admit(session.remotePeerId),
        inbound: (session, message, frameBytes) => this.#askGate(() => this.#options.gate?.inbound(session.remotePeerId, message, frameBytes)),
        opened: (session, peerMetadata) => this.#onOpened(session, peerMetadata),
        message: (_session, message) => this.#deliver(message),
        closed: (session, info) => this.#onClosed(session, info),
      },
    })
  }

  #admit(peerId: string): Refusal | null {
    return this.#askGate(() => this.#options.gate?.admit(peerId))
  }

  /** A gate that throws is our own bug, not the peer's: it is logged and the peer is let through. */
  #askGate(ask: () => Refusal | null | undefined): Refusal | null {
    try {
      return ask() ?? null
    } catch (err) {
      this.#log.error('sync gate threw: %e', err)
      return null
    }
  }

  #onOpened(session: Session, peerMetadata: PeerMetadata): void {
    this.#log('sync session with %s open (%s, %s)', session.remotePeerId, session.role, session.connection?.remoteAddr)
    this.#emitSafely(() => this.emit('peer-candidate', { peerId: session.remotePeerId as PeerId, peerMetadata }))
  }

  #deliver(message: Message): void {
    this.#emitSafely(() => this.emit('message', message))
  }

  #onClosed(session: Session, info: SessionCloseInfo): void {
    const key = session.remotePeerId
    if (this.#sessions.get(key) === session) this.#sessions.delete(key)
    if (info.error !== undefined) this.#log.error('sync session with %s closed: %s', key, info.reason)
    else this.#log('sync session with %s closed: %s', key, info.reason)
    if (info.wasOpen) this.#emitSafely(() => this.emit('peer-disconnected', { peerId: key as PeerId }))
    const event: SessionClosedEvent = {
      peerId: key,
      role: session.role,
      wasOpen: info.wasOpen,
      reason: info.reason,
      ...(info.error === undefined ? {} : { error: info.error }),
      at: Date.now(),
    }
    this.#ends.delete(key)
    if (this.#ends.size >= MAX_REMEMBERED_SESSION_ENDS) this.#ends.delete(this.#ends.keys().next().value!)
    this.#ends.set(key, event)
    this.#emitSafely(() => this.#options.onSessionClosed?.(event))
    this.#reopenElsewhere(session, info)
  }

  /**
   * A session whose connection died while another connection to the peer survives would otherwise
   * stay down: no new connection means no topology event. Only the lower id reopens, so the two
   * sides do not race each other on every such loss.
   */
  #reopenElsewhere(session: Session, info: SessionCloseInfo): void {
    if (info.error !== undefined || session.connection === undefined || session.connection.status === 'open') return
    const key = session.remotePeerId
    if (this.#state !== 'connected' || this.#sessions.has(key) || !this.#isLowerThan(key)) return
    const other = this.#node.getConnections(session.connection.remotePeer).find(isUsable)
    if (other !== undefined) void this.#open(other.remotePeer, other)
  }

  #isLowerThan(remotePeerId: string): boolean {
    return this.#node.peerId.toString() < remotePeerId
  }

  /** The Repo's listeners run inside our stream callbacks; their failures are not the peer's fault. */
  #emitSafely(emit: () => void): void {
    try {
      emit()
    } catch (err) {
      this.#log.error('sync listener threw: %e', err)
    }
  }
}

function isUsable(connection: Connection): boolean {
  return connection.status === 'open' && connection.limits === undefined
}

function whenStarted(node: Libp2p): Promise<void> {
  if (node.status === 'started') return Promise.resolve()
  return new Promise(resolve => node.addEventListener('start', () => resolve(), { once: true }))
}
