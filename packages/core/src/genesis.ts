/**
 * The root of trust. A design's id is derived from its creator's public key and a nonce, so
 * the genesis record that names that key and nonce is the only one that can ever be valid for
 * that id: nobody else can produce a second genesis without finding a hash preimage.
 */
import { interpretAsDocumentId } from '@automerge/automerge-repo'
import type { BinaryDocumentId } from '@automerge/automerge-repo'
import { concatBytes, sha256, utf8, bytesToHex, randomBytes } from './bytes.js'
import { publicKeyBytes } from './identity.js'
import type { DesignId } from './ids.js'

export const DESIGN_ID_DOMAIN = 'cosmolocal/design-id/v1\n'

/** automerge-repo document ids are 16 bytes. */
export function designIdFor(author: string, nonce: string): DesignId {
  const digest = sha256(concatBytes(utf8.encode(DESIGN_ID_DOMAIN), publicKeyBytes(author), utf8.encode(nonce)))
  return interpretAsDocumentId(digest.slice(0, 16) as BinaryDocumentId) as DesignId
}

export function isGenesisBound(design: DesignId, author: string, nonce: string): boolean {
  try {
    return designIdFor(author, nonce) === design
  } catch {
    return false
  }
}

export function newNonce(): string {
  return bytesToHex(randomBytes(16))
}
