/**
 * Bundles: a file that carries designs and proposals between homes without any network, as a
 * maker would carry them on a USB stick.
 *
 *   "COSMOLOCAL-BUNDLE/1\n" | u32 body length (big-endian) | body (DAG-CBOR) | seal (DAG-CBOR)
 *
 * The seal is the exporter's signature over the body's sha-256, so a bundle that was truncated,
 * corrupted or altered after export is refused whole. A bundle built by a hostile exporter is
 * sealed by that exporter: its documents are then just documents a hostile peer wrote, and
 * the trust rules (signed records read from history) decide what they can change. Nothing is
 * written to the store until every document in the bundle has loaded and every design verified.
 */
import * as A from '@automerge/automerge'
import { holds } from './held.js'
import { isValidDocumentId } from '@automerge/automerge-repo'
import * as dagCbor from '@ipld/dag-cbor'
import { isBlobHash, type BlobHash, type BlobStore } from './blobs/blob.js'
import { concatBytes, sha256, sha256Hex, utf8 } from './bytes.js'
import type { Commons } from './commons/commons.js'
import { BundleError, InvalidInputError } from './errors.js'
import { isGenesisBound, isProposalBound } from './genesis.js'
import { scanChanges } from './history.js'
import { signBytes, verifySignature, type Identity } from './identity.js'
import { parseDocumentId, toUrl, type AutomergeUrl, type DesignId, type DocumentId, type PersonId } from './ids.js'
import { MAX_BLOB_BYTES, MAX_BUNDLE_BYTES, MAX_BUNDLE_DOCUMENTS } from './limits.js'
import { verifyRecord, type RecordPayload } from './records.js'
import type { FileRef } from './schema.js'

export const BUNDLE_MAGIC = 'COSMOLOCAL-BUNDLE/1\n'
export const BUNDLE_SEAL_DOMAIN = 'cosmolocal/bundle/v1\n'

export interface BundleDocument {
  id: DocumentId
  data: Uint8Array
}

/** Attachment bytes carried in a bundle; `hash` is checked against `data` before anything is imported. */
export interface BundleBlob {
  hash: BlobHash
  data: Uint8Array
}

export interface Bundle {
  roots: DocumentId[]
  documents: BundleDocument[]
  blobs: BundleBlob[]
  exportedBy: PersonId
  created: number
}

export interface BundleProgress {
  phase: 'collect' | 'verify' | 'import'
  done: number
  total: number
}

/**
 * Gathers the documents of the given designs and proposals: governance, content, inbox, the
 * proposals made to each design and the designs they come from. What a document is comes from its
 * signed history (`Commons.kind`), never from a field anyone can rewrite.
 */
export async function collectBundle(commons: Commons, refs: readonly string[]): Promise<Map<DocumentId, Uint8Array>> {
  const docs = new Map<DocumentId, Uint8Array>()
  const seenDesigns = new Set<string>()
  const addDoc = async (id: DocumentId) => {
    if (docs.has(id)) return
    const bytes = await commons.documentBytes(id)
    if (bytes !== null) docs.set(id, bytes)
  }
  const addDesign = async (ref: string): Promise<void> => {
    const d = await commons.design(ref)
    if (seenDesigns.has(d.id)) return
    seenDesigns.add(d.id)
    for (const id of commons.documentsOf(d)) await addDoc(id)
    let inbox
    try {
      inbox = await commons.inbox(d)
    } catch {
      return // an inbox that has not arrived: the design still travels
    }
    for (const pointer of inbox.proposals) await addProposal(pointer.proposal, d.id)
  }
  const addProposal = async (pid: DocumentId, via?: DesignId): Promise<void> => {
    if (docs.has(pid)) return
    let p
    try {
      p = await commons.proposal(pid)
    } catch (err) {
      if (via !== undefined) return // an unverifiable pointer in an inbox is skipped, not fatal
      throw err
    }
    await addDoc(p.id)
    await addDesign(p.source).catch((err: unknown) => {
      if (via === undefined) throw err
    })
    if (via === undefined) await addDesign(p.target)
  }
  for (const ref of refs) {
    const id = parseDocumentId(ref)
    const kind = await commons.kind(id)
    if (kind === 'design') await addDesign(id)
    else if (kind === 'proposal') await addProposal(id)
    else throw new InvalidInputError(`${toUrl(id)} is neither a design nor a proposal (no signed genesis or opening revision bound to it)`)
  }
  return docs
}

/**
 * The bytes of every file the bundled designs reference (canonical content), from the commons'
 * blob store. Files whose bytes this store lacks are listed in `missing`: the bundle still carries
 * their references, and the bytes can be fetched from the network later.
 */
export async function collectBundleBlobs(
  commons: Commons,
  docs: ReadonlyMap<DocumentId, Uint8Array>,
): Promise<{ blobs: Map<BlobHash, Uint8Array>; missing: FileRef[] }> {
  const blobs = new Map<BlobHash, Uint8Array>()
  const missing: FileRef[] = []
  for (const id of docs.keys()) {
    if ((await commons.kind(id)) !== 'design') continue
    let files: FileRef[]
    try {
      files = (await commons.design(id)).content.files
    } catch {
      continue
    }
    for (const f of files) {
      if (blobs.has(f.hash)) continue
      if (commons.blobs !== null && (await commons.blobs.has(f.hash))) blobs.set(f.hash, await commons.blobs.get(f.hash))
      else if (!missing.some((m) => m.hash === f.hash)) missing.push(f)
    }
  }
  return { blobs, missing }
}

export async function encodeBundle(
  identity: Identity,
  roots: readonly DocumentId[],
  docs: Map<DocumentId, Uint8Array>,
  blobs: ReadonlyMap<BlobHash, Uint8Array> = new Map(),
): Promise<Uint8Array> {
  const body = dagCbor.encode({
    version: 1,
    created: Date.now(),
    roots: [...roots],
    documents: [...docs.entries()].map(([id, data]) => ({ id, data })),
    // Absent when empty, so that a bundle without files is byte for byte what it was before attachments.
    ...(blobs.size === 0 ? {} : { blobs: [...blobs.entries()].map(([hash, data]) => ({ hash, data })) }),
  })
  const sig = await signBytes(identity, sealBytes(body))
  const seal = dagCbor.encode({ author: identity.id, sig })
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, body.length)
  return concatBytes(utf8.encode(BUNDLE_MAGIC), length, body, seal)
}

function sealBytes(body: Uint8Array): Uint8Array {
  return concatBytes(utf8.encode(BUNDLE_SEAL_DOMAIN), sha256(body))
}

/** Parses and verifies a bundle file's structure and seal. Throws BundleError. */
export async function decodeBundle(bytes: Uint8Array): Promise<Bundle> {
  if (bytes.length > MAX_BUNDLE_BYTES) throw new BundleError(`bundle larger than ${MAX_BUNDLE_BYTES} bytes`)
  const magic = utf8.encode(BUNDLE_MAGIC)
  if (bytes.length < magic.length + 4 || !magic.every((b, i) => bytes[i] === b)) {
    throw new BundleError('not a Cosmolocal bundle (or truncated before its header)')
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset + magic.length, 4).getUint32(0)
  const bodyStart = magic.length + 4
  if (bytes.length < bodyStart + length) throw new BundleError('bundle is truncated')
  const body = bytes.subarray(bodyStart, bodyStart + length)
  let seal: unknown
  try {
    seal = dagCbor.decode(bytes.subarray(bodyStart + length))
  } catch {
    throw new BundleError('bundle is truncated or corrupted: its seal does not decode')
  }
  const s = seal as { author?: unknown; sig?: unknown }
  if (typeof s?.author !== 'string' || !(s.sig instanceof Uint8Array)) throw new BundleError('bundle seal is malformed')
  if (!(await verifySignature(s.author, sealBytes(body), s.sig))) {
    throw new BundleError('bundle was altered after it was exported: its seal does not verify')
  }
  let raw: unknown
  try {
    raw = dagCbor.decode(body)
  } catch (err) {
    throw new BundleError(`bundle body does not decode: ${(err as Error).message}`)
  }
  const b = raw as { version?: unknown; created?: unknown; roots?: unknown; documents?: unknown; blobs?: unknown }
  if (b.version !== 1) throw new BundleError(`unknown bundle version ${String(b.version)}`)
  if (!Array.isArray(b.roots) || !Array.isArray(b.documents)) throw new BundleError('bundle body is malformed')
  if (b.documents.length > MAX_BUNDLE_DOCUMENTS) throw new BundleError(`bundle holds more than ${MAX_BUNDLE_DOCUMENTS} documents`)
  const documents: BundleDocument[] = b.documents.map((d: unknown) => {
    const doc = d as { id?: unknown; data?: unknown }
    if (!isValidDocumentId(doc?.id) || !(doc.data instanceof Uint8Array)) throw new BundleError('bundle lists a malformed document')
    return { id: doc.id, data: doc.data }
  })
  const roots = b.roots.map((r: unknown) => {
    if (!isValidDocumentId(r)) throw new BundleError('bundle lists a malformed root')
    return r
  })
  if (b.blobs !== undefined && !Array.isArray(b.blobs)) throw new BundleError('bundle body is malformed')
  // The seal says who exported the bundle, not that its blobs are what they claim: check each hash.
  const blobs: BundleBlob[] = ((b.blobs ?? []) as unknown[]).map((x) => {
    const blob = x as { hash?: unknown; data?: unknown }
    if (!isBlobHash(blob?.hash) || !(blob.data instanceof Uint8Array)) throw new BundleError('bundle lists a malformed file')
    if (blob.data.length > MAX_BLOB_BYTES) throw new BundleError(`file ${blob.hash} in the bundle is larger than ${MAX_BLOB_BYTES} bytes`)
    if (sha256Hex(blob.data) !== blob.hash) {
      throw new BundleError(`file ${blob.hash} in the bundle does not match its hash: the bundle is tampered with or corrupted`, { hash: blob.hash })
    }
    return { hash: blob.hash, data: blob.data }
  })
  return { roots, documents, blobs, exportedBy: s.author as PersonId, created: typeof b.created === 'number' ? b.created : 0 }
}

/**
 * Imports a bundle: loads every document in memory, verifies every design it carries (its genesis,
 * bound to its id, and the content that genesis signed), and only then merges the documents into
 * the store. All or nothing.
 */
export async function importBundle(
  commons: Commons,
  bytes: Uint8Array,
  onProgress?: (p: BundleProgress) => void,
  /** Where the bundle's attachment bytes go; without one they are left out. */
  blobStore?: BlobStore | null,
): Promise<{ imported: AutomergeUrl[]; designs: AutomergeUrl[]; exportedBy: PersonId; files: BlobHash[] }> {
  const bundle = await decodeBundle(bytes)
  const loaded = new Map<DocumentId, A.Doc<unknown>>()
  bundle.documents.forEach((d, i) => {
    try {
      loaded.set(d.id, A.load(d.data))
    } catch (err) {
      throw new BundleError(`document ${toUrl(d.id)} in the bundle is corrupted: ${(err as Error).message}`)
    }
    onProgress?.({ phase: 'verify', done: i + 1, total: bundle.documents.length })
  })
  const designs: AutomergeUrl[] = []
  for (const [id, doc] of loaded) {
    const genesis = await boundGenesis(id, doc)
    if (genesis === null) continue
    const content = loaded.get(genesis.content) ?? (await held(commons, genesis.content))
    if (content === null) throw new BundleError(`design ${toUrl(id)} arrives without its content document`)
    if (!holds(content, genesis.heads)) {
      throw new BundleError(`design ${toUrl(id)}: its content document lacks the content its genesis signed`)
    }
    designs.push(toUrl(id))
  }
  for (const root of bundle.roots) {
    const doc = loaded.get(root)
    if (doc === undefined) throw new BundleError(`bundle names ${toUrl(root)} but does not carry it`)
    // What the bundle says it carries must be a design or a proposal, by their signed history.
    if (!designs.includes(toUrl(root)) && !(await boundOpening(root, doc))) {
      throw new BundleError(`${toUrl(root)} in the bundle does not verify: it holds no signed genesis or opening revision bound to its id`)
    }
  }
  // Blobs before documents: a design never arrives naming bytes that were in the bundle but not stored.
  const files: BlobHash[] = []
  if (blobStore != null) {
    for (const b of bundle.blobs) {
      await blobStore.put(b.data, { hash: b.hash })
      files.push(b.hash)
    }
  }
  let done = 0
  await commons.importDocuments(
    bundle.documents.map((d) => {
      onProgress?.({ phase: 'import', done: ++done, total: bundle.documents.length })
      return d
    }),
  )
  return { imported: bundle.roots.map(toUrl), designs, exportedBy: bundle.exportedBy, files }
}

/** The signed genesis bound to `id` in a document's history, if it holds one (else: not a design). */
async function boundGenesis(id: DocumentId, doc: A.Doc<unknown>): Promise<{ content: DocumentId; heads: string[] } | null> {
  const { candidates } = scanChanges(doc, null, new Set())
  const geneses = candidates
    .filter((c) => c.body.payload.kind === 'genesis' && c.body.design === id && c.body.prev.length === 0)
    .filter((c) => isGenesisBound(id, c.body.author, (c.body.payload as Extract<RecordPayload, { kind: 'genesis' }>).nonce))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
  for (const g of geneses) {
    try {
      await verifyRecord(g.bytes, id as DesignId)
    } catch {
      continue
    }
    return { content: (g.body.payload as Extract<RecordPayload, { kind: 'genesis' }>).content, heads: g.body.heads }
  }
  return null
}

/** True when a document's history holds a valid opening revision bound to its id (a proposal). */
async function boundOpening(id: DocumentId, doc: A.Doc<unknown>): Promise<boolean> {
  const { candidates } = scanChanges(doc, null, new Set())
  for (const c of candidates) {
    const p = c.body.payload
    if (p.kind !== 'revision' || p.nonce === undefined || p.proposal !== id || c.body.prev.length > 0 || !isProposalBound(id, c.body.author, p.nonce)) continue
    try {
      await verifyRecord(c.bytes, c.body.design)
      return true
    } catch {
      continue
    }
  }
  return false
}

async function held(commons: Commons, id: DocumentId): Promise<A.Doc<unknown> | null> {
  const bytes = await commons.documentBytes(id)
  return bytes === null ? null : A.load(bytes)
}
