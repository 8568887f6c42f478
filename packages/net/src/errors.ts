/**
 * Errors raised by the sync protocol. Each has a stable `name` (what logs and callers match on)
 * and a core `kind`, so front ends map them like core's own errors.
 */
import { CosmoError, type ErrorKind } from '@cosmolocal/core'

/** A frame whose length prefix announces more bytes than the limit in force. */
export class FrameTooLargeError extends CosmoError {
  override readonly name = 'FrameTooLargeError'
  readonly kind: ErrorKind = 'invalid'
}

/** Bytes that are not a frame carrying a well-formed message: bad prefix, empty frame, bad CBOR, wrong shape. */
export class MalformedFrameError extends CosmoError {
  override readonly name = 'MalformedFrameError'
  readonly kind: ErrorKind = 'invalid'
}

/** The stream ended in the middle of a frame. */
export class TruncatedFrameError extends CosmoError {
  override readonly name = 'TruncatedFrameError'
  readonly kind: ErrorKind = 'invalid'
}

/** A well-formed message in the wrong place: before the handshake, a second join, or not addressed to us. */
export class ProtocolViolationError extends CosmoError {
  override readonly name = 'ProtocolViolationError'
  readonly kind: ErrorKind = 'invalid'
}

/** A message claims a sender other than the peer the libp2p connection authenticated. */
export class PeerIdMismatchError extends CosmoError {
  override readonly name = 'PeerIdMismatchError'
  readonly kind: ErrorKind = 'not-permitted'
}

/** The peer offered no protocol version we speak, or answered with one we did not offer. */
export class UnsupportedProtocolVersionError extends CosmoError {
  override readonly name = 'UnsupportedProtocolVersionError'
  readonly kind: ErrorKind = 'invalid'
}

/** The join / peer exchange did not complete within HANDSHAKE_TIMEOUT_MS. */
export class HandshakeTimeoutError extends CosmoError {
  override readonly name = 'HandshakeTimeoutError'
  readonly kind: ErrorKind = 'internal'
}

/** The peer answered the handshake with an error message and will close the stream. */
export class RemoteRefusedError extends CosmoError {
  override readonly name = 'RemoteRefusedError'
  readonly kind: ErrorKind = 'conflict'
}

/** The peer stopped reading: more than MAX_SEND_QUEUE_BYTES waited for its stream to drain. */
export class SendQueueFullError extends CosmoError {
  override readonly name = 'SendQueueFullError'
  readonly kind: ErrorKind = 'internal'
}

/**
 * This node's gate refused the peer: its key is denied here, or it went over its write budget.
 * `context.code` is the refusal's code (`denied`, `over-limit`).
 */
export class PeerRefusedError extends CosmoError {
  override readonly name = 'PeerRefusedError'
  readonly kind: ErrorKind = 'not-permitted'
}

/**
 * The Repo's peer id is not the libp2p node's peer id. Remote peers identify us by our
 * authenticated connection, so any other id would make every message we send look forged.
 */
export class LocalPeerIdError extends CosmoError {
  override readonly name = 'LocalPeerIdError'
  readonly kind: ErrorKind = 'invalid'
}

/** Every error that closes a session. */
export type SessionError =
  | FrameTooLargeError
  | MalformedFrameError
  | TruncatedFrameError
  | ProtocolViolationError
  | PeerIdMismatchError
  | UnsupportedProtocolVersionError
  | HandshakeTimeoutError
  | RemoteRefusedError
  | SendQueueFullError
  | PeerRefusedError

const SESSION_ERROR_NAMES: ReadonlySet<string> = new Set([
  'FrameTooLargeError',
  'MalformedFrameError',
  'TruncatedFrameError',
  'ProtocolViolationError',
  'PeerIdMismatchError',
  'UnsupportedProtocolVersionError',
  'HandshakeTimeoutError',
  'RemoteRefusedError',
  'SendQueueFullError',
  'PeerRefusedError',
])

/** By name, not instanceof: two copies of this package (a bundling accident) still agree. */
export function isSessionError(err: unknown): err is SessionError {
  return err instanceof Error && SESSION_ERROR_NAMES.has(err.name)
}

/** A blob-protocol message of the wrong shape or out of place (an unasked chunk, a second answer). */
export class BlobProtocolError extends CosmoError {
  override readonly name = 'BlobProtocolError'
  readonly kind: ErrorKind = 'invalid'
}

/** No peer asked could provide a verified copy of a blob. `context.attempts` says what each one did. */
export class BlobUnavailableError extends CosmoError {
  override readonly name = 'BlobUnavailableError'
  readonly kind: ErrorKind = 'not-found'
}
