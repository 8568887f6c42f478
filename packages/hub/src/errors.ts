/** The hub's named errors. */
import { CosmoError } from '@cosmolocal/core'

/** A peer answered a catalogue request with something that does not parse. */
export class CatalogueProtocolError extends CosmoError {
  override readonly name = 'CatalogueProtocolError'
  readonly kind = 'invalid'
}

/** A peer could not be reached, or did not answer in time. */
export class PeerUnreachableError extends CosmoError {
  override readonly name = 'PeerUnreachableError'
  readonly kind = 'internal'
}

/** The hub could not start: a port in use, an unreadable store. */
export class HubStartError extends CosmoError {
  override readonly name = 'HubStartError'
  readonly kind = 'internal'
}

/** The hub's deny list (`<home>/denied.json`) cannot be read or does not parse, or a change to it is malformed. */
export class PolicyFileError extends CosmoError {
  override readonly name = 'PolicyFileError'
  readonly kind = 'invalid'
}

/** A stock WebSocket client's message that is well-formed but out of place or mis-addressed. */
export class WebSocketProtocolError extends CosmoError {
  override readonly name = 'WebSocketProtocolError'
  readonly kind = 'invalid'
}

/** A peer refused our sync session and said why: it denies our key, or has cut us off for a while. */
export class SessionRefusedError extends CosmoError {
  override readonly name = 'SessionRefusedError'
  readonly kind = 'not-permitted'
}

/** The catalogue index's reader (reader.ts) tried to write the store it only reads: a bug, refused. */
export class ReadOnlyStorageError extends CosmoError {
  override readonly name = 'ReadOnlyStorageError'
  readonly kind = 'internal'
}
