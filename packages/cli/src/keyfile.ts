/**
 * The identity key file, `<home>/identity.json`: core's serialised identity, readable by its
 * owner only (mode 0600).
 */
import { chmod, readFile, stat } from 'node:fs/promises'
import { InvalidInputError, parseIdentity, serializeIdentity, StateError, type Identity } from '@cosmolocal/core'
import { atomicWriteFile } from '@cosmolocal/storage'
import { isMissingFile } from './files.js'

export const KEY_FILE_MODE = 0o600

/** The identity in the key file, or null when there is none yet. */
export async function readKeyFile(path: string): Promise<Identity | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (isMissingFile(err)) return null
    throw err
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new InvalidInputError(`identity file ${path} is not valid JSON`)
  }
  return parseIdentity(raw)
}

export async function keyFileExists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (err) {
    if (isMissingFile(err)) return false
    throw err
  }
}

/** Writes the key file (mode 0600). Refuses to replace an existing one unless `force`. */
export async function writeKeyFile(path: string, identity: Identity, { force = false } = {}): Promise<void> {
  if (!force && (await keyFileExists(path))) {
    throw new StateError(`an identity already exists in ${path}: use --force to replace it (its key will be lost)`)
  }
  await atomicWriteFile(path, `${JSON.stringify(serializeIdentity(identity), null, 2)}\n`, { mode: KEY_FILE_MODE })
  // The mode given at creation is filtered by the umask; make sure it is exactly 0600.
  await chmod(path, KEY_FILE_MODE)
}
