/**
 * The person's key, kept in this browser as core's `serializeIdentity` JSON (localStorage). The
 * same key is the libp2p node's key and signs every record.
 */
import { createIdentity, parseIdentity, serializeIdentity, type Identity } from '@cosmolocal/core'

export const IDENTITY_KEY = 'cosmolocal/identity'
/** Set once the key in this browser was exported (backed up), to the key's id. */
export const BACKED_UP_KEY = 'cosmolocal/key-backed-up'

export function loadIdentity(storage: Storage = localStorage): Identity | null {
  const raw = storage.getItem(IDENTITY_KEY)
  if (raw === null) return null
  return parseIdentity(JSON.parse(raw))
}

export function saveIdentity(identity: Identity, storage: Storage = localStorage): void {
  storage.setItem(IDENTITY_KEY, JSON.stringify(serializeIdentity(identity)))
}

export async function newIdentity(name: string): Promise<Identity> {
  const identity = await createIdentity(name)
  saveIdentity(identity)
  return identity
}

/** Parses an exported key file's text; throws InvalidInputError with a readable message. */
export function identityFromFile(text: string): Identity {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new Error('this file is not a Cosmolocal key file (it is not JSON)')
  }
  return parseIdentity(raw)
}

/** Whether this browser's key was exported since it was made (an imported key came from a file, so it is). */
export function isBackedUp(identity: Identity, storage: Storage = localStorage): boolean {
  return storage.getItem(BACKED_UP_KEY) === identity.id
}

export function markBackedUp(identity: Identity, storage: Storage = localStorage): void {
  storage.setItem(BACKED_UP_KEY, identity.id)
}

/** Offers the key file for download, and remembers that the key is backed up. */
export function exportIdentity(identity: Identity): void {
  markBackedUp(identity)
  const blob = new Blob([`${JSON.stringify(serializeIdentity(identity), null, 2)}\n`], { type: 'application/json' })
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = `cosmolocal-key-${identity.name.replace(/[^\p{L}\p{N}_-]+/gu, '-')}.json`
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}
