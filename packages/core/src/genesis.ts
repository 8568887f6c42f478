/**
 * The root of trust. A design's id is derived from its creator's public key and a nonce, so
 * the genesis record that names that key and nonce is the only one that can ever be valid for
 * that id: nobody else can produce a second genesis without finding a hash preimage.
 */
import { interpretAsDocumentId } from '@automerge/automerge-repo'
import type { BinaryDocumentId, DocumentId } from '@automerge/automerge-repo'
import { concatBytes, sha256, utf8, bytesToHex, randomBytes } from './bytes.js'
import { publicKeyBytes } from './identity.js'
import type { DesignId } from './ids.js'

export const DESIGN_ID_DOMAIN = 'cosmolocal/design-id/v1\n'
/**
 * A proposal's id is bound the same way to the key of the person who opened it: only their opening
 * revision can ever name it, so nobody else can take a proposal over by signing a revision whose
 * record id happens to sort first.
 */
export const PROPOSAL_ID_DOMAIN = 'cosmolocal/proposal-id/v1\n'

function boundId(domain: string, author: string, nonce: string): DocumentId {
  const digest = sha256(concatBytes(utf8.encode(domain), publicKeyBytes(author), utf8.encode(nonce)))
  // automerge-repo document ids are 16 bytes.
  return interpretAsDocumentId(digest.slice(0, 16) as BinaryDocumentId)
}

export function designIdFor(author: string, nonce: string): DesignId {
  return boundId(DESIGN_ID_DOMAIN, author, nonce) as DesignId
}

export function isGenesisBound(design: DocumentId, author: string, nonce: string): boolean {
  try {
    return designIdFor(author, nonce) === design
  } catch {
    return false
  }
}

export function proposalIdFor(author: string, nonce: string): DocumentId {
  return boundId(PROPOSAL_ID_DOMAIN, author, nonce)
}

export function isProposalBound(proposal: DocumentId, author: string, nonce: string): boolean {
  try {
    return proposalIdFor(author, nonce) === proposal
  } catch {
    return false
  }
}

export function newNonce(): string {
  return bytesToHex(randomBytes(16))
}
