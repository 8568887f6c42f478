/**
 * The wire vocabulary: the libp2p protocol id and the handshake messages. The handshake messages
 * have the same shapes as the stock automerge-repo WebSocket adapter's (join / peer / error), so a
 * stream carries exactly what a stock WebSocket would, only framed and authenticated by libp2p.
 */
import type { PeerId, PeerMetadata } from '@automerge/automerge-repo/slim'

/** The libp2p protocol id of a sync stream. */
export const SYNC_PROTOCOL = '/cosmolocal/automerge-repo/1.0.0'

/** The handshake protocol version of the stock WebSocket adapter, which this protocol follows. */
export const PROTOCOL_V1 = '1'

/** Versions we offer in a join, most preferred first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [PROTOCOL_V1]

/** Sent by the peer that opened the stream. */
export interface JoinMessage {
  type: 'join'
  senderId: PeerId
  peerMetadata: PeerMetadata
  /** Absent in joins from old clients; the stock server reads that as an offer of v1 only. */
  supportedProtocolVersions?: string[]
}

/** Sent in answer to a join by the peer that accepted the stream. */
export interface PeerMessage {
  type: 'peer'
  senderId: PeerId
  peerMetadata: PeerMetadata
  selectedProtocolVersion: string
  targetId: PeerId
}

/** Sent instead of a peer message when the join cannot be accepted; the sender then closes the stream. */
export interface ErrorMessage {
  type: 'error'
  senderId: PeerId
  message: string
  targetId: PeerId
}

export type HandshakeMessage = JoinMessage | PeerMessage | ErrorMessage

/** Types that belong to the handshake and never travel after it. */
export const HANDSHAKE_TYPES: ReadonlySet<string> = new Set(['join', 'peer', 'error'])

/** The version a listener selects from a join's offer; `undefined` offers mean v1, as in the stock server. */
export function selectProtocolVersion(offered: readonly string[] | undefined): string | undefined {
  if (offered === undefined) return PROTOCOL_V1
  return SUPPORTED_PROTOCOL_VERSIONS.find(version => offered.includes(version))
}
