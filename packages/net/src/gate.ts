/**
 * What a node lets a peer do on the sync protocol, decided by whoever runs the adapter (a hub's
 * policy: denied keys, per-peer write budgets). The adapter asks before a session opens and for
 * every message before the Repo sees it; a refusal ends that peer's session and nobody else's.
 */
import type { Message } from '@automerge/automerge-repo/slim'

/** Why a peer was refused. `code` is stable; `message` is for people (it is sent to the peer). */
export interface Refusal {
  readonly code: 'denied' | 'over-limit'
  readonly message: string
}

export interface SessionGate {
  /**
   * Asked before a session with `peerId` opens, on either side (the authenticated libp2p peer id).
   * A refusal answers the peer's join with an `error` message, or keeps us from opening one.
   */
  admit(peerId: string): Refusal | null
  /**
   * Asked for every message a peer sends after the handshake, with the size of the frame that
   * carried it, before the Repo sees it. A refusal drops the message and closes the session.
   */
  inbound(peerId: string, message: Message, frameBytes: number): Refusal | null
}
