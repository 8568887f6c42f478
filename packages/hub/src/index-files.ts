/**
 * The catalogue index on disk (`<home>/index/`): per stored document its heads and what it is, and
 * per design its catalogue entry, the documents it was built from (with their heads) and the files
 * it references. A hub starts from it instead of loading every document.
 *
 * Sharded by the last character of the id (`shard-<c>.json`), so that a change rewrites the one or
 * two shards it touched, not the whole index; each shard is written whole or not at all
 * (atomicWriteFile). A shard that does not parse is reported and left out: what it held is rebuilt
 * from the store like anything else the index lacks.
 *
 * Staleness. The hub is its store's only writer while it runs (serve.json), and writes a shard only
 * after the documents it names are on disk, so the index never runs ahead of the store. The store
 * can run ahead of the index: a crash between a save and the next index write, or `cosmo` commands
 * writing the store while no hub runs. `state.json` records when the index was last known to match
 * the store: the time of a clean stop, or, after a crash, the start of the run that crashed. At
 * start the hub re-indexes, in the background, every document whose chunk directories changed
 * since then, every stored document the index lacks, and drops what the store no longer holds.
 */
import { isValidDocumentId, type DocumentId } from '@automerge/automerge-repo'
import { isBlobHash, isChangeHash, type ChangeHash, type FileRef } from '@cosmolocal/core'
import { atomicWriteFile } from '@cosmolocal/storage'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseCatalogueEntry, type CatalogueEntry } from './protocols.js'

/** Bumped whenever what the index holds, or how it is sharded, changes: an older index is then rebuilt. */
export const INDEX_VERSION = 2

/** What a stored document is, from its signed history (`other`: neither a design nor a proposal, yet). */
export type DocumentKind = 'design' | 'proposal' | 'other'

export interface IndexedDocument {
  heads: ChangeHash[]
  kind: DocumentKind
}

export interface IndexedDesign {
  /** Null while the design does not verify (or its content has not arrived). */
  entry: CatalogueEntry | null
  /** Every document the entry depends on (held or not): a change to any of them re-verifies the design. */
  watch: DocumentId[]
  /** The heads of `watch` when the entry was built. */
  key: string
  /** Files the hub serves and keeps for it: its content's files and its build reports' photos. */
  files: FileRef[]
}

export interface IndexState {
  /** When the run that wrote the index started; with `stoppedAt` null, it did not stop cleanly. */
  startedAt: number
  stoppedAt: number | null
}

export interface LoadedIndex {
  documents: Map<DocumentId, IndexedDocument>
  designs: Map<DocumentId, IndexedDesign>
  /** Store changes after this time (ms) may be missing from the index; null: check everything. */
  since: number | null
  /** Shards or state that did not parse (each one a log line). */
  problems: string[]
}

const STATE_FILE = 'state.json'
const shardFile = (shard: string) => `shard-${shard}.json`
/** A document id's last character: ids are uniform there (their first characters are not: base58 of a fixed length). */
export const shardOf = (id: string): string => id.slice(-1)

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function parseFile(raw: unknown): FileRef | null {
  if (!isObject(raw)) return null
  const { id, name, hash, size, root, mediaType, role, position } = raw
  if (typeof id !== 'string' || typeof name !== 'string' || !isBlobHash(hash) || !isBlobHash(root) || typeof mediaType !== 'string' || typeof role !== 'string') return null
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || typeof position !== 'number') return null
  return { id, name, hash, size, root, mediaType, role: role as FileRef['role'], position }
}

function parseShard(raw: unknown, into: Pick<LoadedIndex, 'documents' | 'designs'>): void {
  if (!isObject(raw) || raw.v !== INDEX_VERSION || !isObject(raw.documents) || !isObject(raw.designs)) throw new Error('not an index shard of this version')
  const documents = new Map<DocumentId, IndexedDocument>()
  for (const [id, d] of Object.entries(raw.documents)) {
    if (!isValidDocumentId(id) || !isObject(d) || !Array.isArray(d.heads) || !d.heads.every(isChangeHash)) throw new Error(`malformed document ${id}`)
    if (d.kind !== 'design' && d.kind !== 'proposal' && d.kind !== 'other') throw new Error(`malformed document ${id}`)
    documents.set(id, { heads: d.heads as ChangeHash[], kind: d.kind })
  }
  const designs = new Map<DocumentId, IndexedDesign>()
  for (const [id, d] of Object.entries(raw.designs)) {
    if (!isValidDocumentId(id) || !isObject(d) || typeof d.key !== 'string' || !Array.isArray(d.watch) || !d.watch.every(isValidDocumentId) || !Array.isArray(d.files)) {
      throw new Error(`malformed design ${id}`)
    }
    const entry = d.entry === null ? null : parseCatalogueEntry(d.entry)
    if (entry !== null && entry.design !== id) throw new Error(`design ${id} holds the entry of ${entry.design}`)
    const files = d.files.map(parseFile)
    if (files.some((f) => f === null)) throw new Error(`malformed file of design ${id}`)
    designs.set(id, { entry, watch: d.watch as DocumentId[], key: d.key, files: files as FileRef[] })
  }
  // All or nothing per shard: a half-read shard would look like a smaller store.
  for (const [k, v] of documents) into.documents.set(k, v)
  for (const [k, v] of designs) into.designs.set(k, v)
}

export class IndexFiles {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  /** Reads the index; anything missing or unreadable is left out and reported, never thrown. */
  async load(): Promise<LoadedIndex> {
    const out: LoadedIndex = { documents: new Map(), designs: new Map(), since: null, problems: [] }
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') out.problems.push(`cannot read the catalogue index ${this.dir}: ${(err as Error).message}`)
      return out
    }
    let state: IndexState | null = null
    try {
      const raw: unknown = JSON.parse(await readFile(join(this.dir, STATE_FILE), 'utf8'))
      if (!isObject(raw) || raw.v !== INDEX_VERSION || typeof raw.startedAt !== 'number' || !(raw.stoppedAt === null || typeof raw.stoppedAt === 'number')) throw new Error('not an index state of this version')
      state = { startedAt: raw.startedAt, stoppedAt: raw.stoppedAt }
    } catch (err) {
      out.problems.push(`the catalogue index's ${STATE_FILE} is unreadable (${(err as Error).message}): every stored document is checked again`)
    }
    for (const name of names.filter((n) => /^shard-.\.json$/.test(n)).sort()) {
      try {
        parseShard(JSON.parse(await readFile(join(this.dir, name), 'utf8')), out)
      } catch (err) {
        out.problems.push(`catalogue index shard ${name} is unreadable (${(err as Error).message}): what it held is indexed again from the store`)
      }
    }
    // Without a state there is no time the index is known to match the store: check everything.
    // (A shard that did not parse needs nothing more: its documents are not in the index, so indexed again.)
    out.since = state === null ? null : (state.stoppedAt ?? state.startedAt)
    return out
  }

  async writeState(state: IndexState): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    await atomicWriteFile(join(this.dir, STATE_FILE), `${JSON.stringify({ v: INDEX_VERSION, ...state })}\n`)
  }

  /** Writes one shard: the documents and designs whose ids start with `shard`. */
  async writeShard(shard: string, documents: Iterable<[DocumentId, IndexedDocument]>, designs: Iterable<[DocumentId, IndexedDesign]>): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const body = { v: INDEX_VERSION, documents: Object.fromEntries(documents), designs: Object.fromEntries(designs) }
    await atomicWriteFile(join(this.dir, shardFile(shard)), JSON.stringify(body))
  }
}
