/**
 * Bytes → messages. A decoded frame is untrusted until it has been given a shape here; nothing
 * past this file looks at a field that was not checked.
 */
import { Automerge, cbor, isValidDocumentId, type Message, type PeerId, type PeerMetadata, type StorageId } from '@automerge/automerge-repo/slim'
import { MalformedFrameError } from './errors.js'
import { MAX_ID_LENGTH } from './limits.js'
import type { ErrorMessage, JoinMessage, PeerMessage } from './protocol.js'

type Fields = Record<string, unknown>

/** Encodes with automerge-repo's own CBOR settings, so frames carry what stock adapters send. */
export function encodeMessage(message: object): Uint8Array {
  return cbor.encode(message)
}

/** Decodes one frame into an object with a string `type` and `senderId`. */
export function decodeMessage(bytes: Uint8Array): Fields {
  let value: unknown
  try {
    value = cbor.decode(bytes)
  } catch (err) {
    throw new MalformedFrameError(`frame is not CBOR: ${describe(err)}`)
  }
  if (!isPlainObject(value)) throw new MalformedFrameError('frame does not hold a CBOR map')
  if (typeof value.type !== 'string') throw new MalformedFrameError('message has no string type')
  if (typeof value.senderId !== 'string' || value.senderId.length > MAX_ID_LENGTH) {
    throw new MalformedFrameError('message has no string senderId')
  }
  return value
}

export function parseJoin(fields: Fields): JoinMessage {
  const offered = fields.supportedProtocolVersions
  if (offered !== undefined && !(Array.isArray(offered) && offered.every(v => typeof v === 'string'))) {
    throw new MalformedFrameError('join has malformed supportedProtocolVersions')
  }
  return {
    type: 'join',
    senderId: fields.senderId as PeerId,
    peerMetadata: parsePeerMetadata(fields.peerMetadata),
    ...(offered === undefined ? {} : { supportedProtocolVersions: offered as string[] }),
  }
}

export function parsePeer(fields: Fields): PeerMessage {
  if (typeof fields.targetId !== 'string') throw new MalformedFrameError('peer message has no string targetId')
  if (typeof fields.selectedProtocolVersion !== 'string') {
    throw new MalformedFrameError('peer message has no string selectedProtocolVersion')
  }
  return {
    type: 'peer',
    senderId: fields.senderId as PeerId,
    peerMetadata: parsePeerMetadata(fields.peerMetadata),
    selectedProtocolVersion: fields.selectedProtocolVersion,
    targetId: fields.targetId as PeerId,
  }
}

export function parseError(fields: Fields): ErrorMessage {
  return {
    type: 'error',
    senderId: fields.senderId as PeerId,
    message: typeof fields.message === 'string' ? fields.message.slice(0, 500) : '(no message)',
    targetId: (typeof fields.targetId === 'string' ? fields.targetId : '') as PeerId,
  }
}

/**
 * Checks the fields automerge-repo will read without checking, and the payloads it decodes
 * inside its own handlers (where a throw is caught and printed, or lost mid-queue with honest
 * peers' messages behind it): a sync message must decode as one, an ephemeral payload as CBOR.
 * Unknown types pass as they are: the Repo's network subsystem drops what it does not know,
 * which keeps newer peers compatible.
 */
export function parseRepoMessage(fields: Fields): Message {
  if (typeof fields.targetId !== 'string') throw new MalformedFrameError('message has no string targetId')
  // automerge-repo logs `data.byteLength` of any message that has a `data` key, whatever its type.
  if ('data' in fields) requireBytes(fields, 'data')
  switch (fields.type) {
    case 'sync':
    case 'request':
      requireDocument(fields)
      requireSyncMessage(fields)
      break
    case 'ephemeral':
      requireDocument(fields)
      requireBytes(fields, 'data')
      if (typeof fields.count !== 'number' || typeof fields.sessionId !== 'string') {
        throw new MalformedFrameError('ephemeral message has no count or sessionId')
      }
      try {
        cbor.decode(fields.data as Uint8Array)
      } catch (err) {
        throw new MalformedFrameError(`ephemeral message data is not CBOR: ${describe(err)}`)
      }
      break
    case 'doc-unavailable':
      requireDocument(fields)
      break
    case 'remote-subscription-change':
      for (const key of ['add', 'remove']) {
        const list = fields[key]
        if (list !== undefined && !(Array.isArray(list) && list.every(v => typeof v === 'string'))) {
          throw new MalformedFrameError(`remote-subscription-change has a malformed ${key} list`)
        }
      }
      break
    case 'remote-heads-changed':
      requireDocument(fields)
      if (!isPlainObject(fields.newHeads)) throw new MalformedFrameError('remote-heads-changed has no newHeads map')
      break
  }
  return fields as unknown as Message
}

function parsePeerMetadata(value: unknown): PeerMetadata {
  if (value === undefined || value === null) return {}
  if (!isPlainObject(value)) throw new MalformedFrameError('peerMetadata is not a map')
  const metadata: PeerMetadata = {}
  if (value.storageId !== undefined) {
    // automerge-repo writes a peer's sync state under its storage id, as a path component of the
    // store: an id such as `../../x` would be a write outside it.
    if (!isStorageId(value.storageId)) throw new MalformedFrameError('peerMetadata.storageId is not a storage id')
    metadata.storageId = value.storageId as StorageId
  }
  if (value.isEphemeral !== undefined) {
    if (typeof value.isEphemeral !== 'boolean') throw new MalformedFrameError('peerMetadata.isEphemeral is not a boolean')
    metadata.isEphemeral = value.isEphemeral
  }
  return metadata
}

/** automerge-repo's storage ids are UUIDs; anything of safe characters passes, never a path. */
const STORAGE_ID = /^[A-Za-z0-9_-]+$/

function isStorageId(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_ID_LENGTH && STORAGE_ID.test(value)
}

function requireDocument(fields: Fields): void {
  // Length first: base58check decoding is quadratic in the length of the string.
  const id = fields.documentId
  if (typeof id !== 'string' || id.length > MAX_ID_LENGTH || !isValidDocumentId(id)) throw new MalformedFrameError(`${String(fields.type)} message has no valid documentId`)
}

function requireSyncMessage(fields: Fields): void {
  requireBytes(fields, 'data')
  try {
    Automerge.decodeSyncMessage(fields.data as Uint8Array)
  } catch (err) {
    throw new MalformedFrameError(`${String(fields.type)} message data is not an Automerge sync message: ${describe(err)}`)
  }
}

function requireBytes(fields: Fields, key: string): void {
  if (!(fields[key] instanceof Uint8Array)) throw new MalformedFrameError(`${String(fields.type)} message has no ${key} bytes`)
}

function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
