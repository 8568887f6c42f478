/**
 * The catalogue of designs a hub holds, kept as an index (index-files.ts) so that listing it, and
 * knowing every stored document's heads, loads no document. Entries are built from verified designs
 * only (a governance document that does not verify is not listed) and rebuilt only when one of the
 * documents they were built from changed: each saved change marks its document, and one pass (soon
 * after a burst) re-reads the marked documents and re-verifies the designs that depend on them. So
 * what peers send is verified as it arrives, once, and a query costs no verification at all.
 *
 * At start the index is read from disk and the hub serves it at once; what it may lack (a first
 * start, a crash, commands that wrote the store while no hub ran: see index-files.ts) is found and
 * indexed in the background, with progress in the log.
 *
 * Documents are read through readers (reader.ts), a batch at a time, never through the hub's own
 * Repo: what indexing holds in memory is one batch, whatever the size of the store, and nothing it
 * read needs flushing or unloading afterwards.
 */
import * as A from '@automerge/automerge'
import type { DocumentId, Repo, StorageAdapterInterface } from '@automerge/automerge-repo'
import { makePhotoFiles, type BlobHash, type ChangeHash, type Commons, type FileRef } from '@cosmolocal/core'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { catalogueDetails } from './catalogue-entry.js'
import { storedDocumentIds } from './documents.js'
import { IndexFiles, shardOf, type DocumentKind, type IndexedDesign, type IndexedDocument } from './index-files.js'
import { INDEX_CHECK_WRITE_DELAY_MS, INDEX_PROGRESS_EVERY, INDEX_READ_BATCH_DOCUMENTS, INDEX_READ_CONCURRENCY, INDEX_WRITE_DELAY_MS } from './limits.js'
import { CataloguePage } from './paging.js'
import type { CatalogueEntry, DocumentHeads } from './protocols.js'
import { DocumentReader, ReadOnlyStorage } from './reader.js'

export interface CatalogueInit {
  repo: Repo
  /** The hub's storage adapter: documents are read through it, apart from the repo (reader.ts). */
  storage: StorageAdapterInterface
  /** A new Commons over a reader's repo (one per batch of documents read). */
  commons: (repo: Repo) => Commons
  index: IndexFiles
  storageDir: string
  /** Resolves once every storage write begun so far is on disk. */
  caughtUp: () => Promise<void>
  log: (line: string) => void
  /** Called when the set of files the held designs reference may have changed. */
  onFilesChanged?: () => void
  /** How long marked documents wait before a pass (ms). */
  passDelayMs?: number
  /** Documents read per reader (default INDEX_READ_BATCH_DOCUMENTS). */
  readBatch?: number
}

/** How long a file's or directory's change may predate the recorded time and still count (coarse timestamps, clock steps). */
const MTIME_SLACK_MS = 2_000

const sortedHeads = (doc: A.Doc<unknown>) => [...A.getHeads(doc)].sort() as ChangeHash[]

/**
 * A design's catalogue entry, built from its verified state (throws when it does not verify, or a
 * document it needs is not held), with the documents it depends on and the files it references.
 * `held`: whether this store holds a document (the entry lists the proposals it holds).
 */
export async function verifiedEntry(commons: Commons, id: DocumentId, held: (id: DocumentId) => boolean): Promise<IndexedDesign> {
  const d = await commons.design(id, { held: true })
  const inbox = await commons.inbox(d)
  const makes = await commons.makes(d, { held: true })
  const needs = await commons.needs(d, { held: true })
  const proposals = inbox.proposals.map((p) => p.proposal)
  const entry: CatalogueEntry = {
    design: d.id,
    title: d.content.title,
    maintainers: d.state.maintainers,
    forkedFrom: d.forkedFrom?.design ?? null,
    lastChange: d.state.lastChange,
    heads: d.state.canonicalHeads,
    documents: [d.id, d.contentId, d.inboxId, ...proposals.filter(held)],
    ...catalogueDetails(d, inbox, needs.summary, makes.makes.length),
  }
  return { entry, watch: [d.id, d.contentId, d.inboxId, ...proposals], key: '', files: [...d.content.files, ...makePhotoFiles(makes)] }
}

export class Catalogue {
  readonly #init: CatalogueInit
  readonly #documents = new Map<DocumentId, IndexedDocument>()
  /**
   * What the store holds, as listed when the check began, kept until the check ends: a document
   * stored but not indexed yet is still held (a peer syncing it is not bringing a new document,
   * and must not be charged as one while a large store is being indexed).
   */
  #listed: ReadonlySet<DocumentId> | null = null
  readonly #designs = new Map<DocumentId, IndexedDesign>()
  /** Document → the designs whose entries depend on it. */
  readonly #watchers = new Map<DocumentId, Set<DocumentId>>()
  readonly #marked = new Set<DocumentId>()
  readonly #dirtyShards = new Set<string>()
  #page: CataloguePage | null = null
  #ids: DocumentId[] | null = null
  #files: Map<BlobHash, FileRef> | null = null
  readonly #storage: ReadOnlyStorage
  #pass: Promise<void> | null = null
  #running: Promise<void> = Promise.resolve()
  #checked: Promise<void> = Promise.resolve()
  #since: number | null = null
  #passTimer: ReturnType<typeof setTimeout> | undefined
  #writeTimer: ReturnType<typeof setTimeout> | undefined
  #writing: Promise<void> = Promise.resolve()
  #closed = false
  /** False until the background check of the store against the index has finished. */
  complete = false
  /** Designs (re)verified since start, for tests and the log. */
  verifications = 0
  /** The most documents read for the index held in memory at once (for tests and the log). */
  peakResident = 0

  constructor(init: CatalogueInit) {
    this.#init = init
    this.#storage = new ReadOnlyStorage(init.storage)
  }

  /** Reads the index (never throws: what is unreadable is logged and rebuilt) and starts checking the store in the background. */
  async open(): Promise<void> {
    const loaded = await this.#init.index.load()
    for (const line of loaded.problems) this.#init.log(line)
    for (const [id, d] of loaded.documents) this.#documents.set(id, d)
    for (const [id, d] of loaded.designs) this.#setDesign(id, d)
    this.#since = loaded.since
    await this.#init.index.writeState({ startedAt: Date.now(), stoppedAt: null }).catch((err: Error) => this.#init.log(`cannot write the catalogue index state: ${err.message}`))
    this.#checked = this.#check(loaded.since).catch((err: Error) => this.#init.log(`checking the catalogue index against the store: ${err.message}`))
  }

  /** Resolves once the background check of the store against the index has finished. */
  async checked(): Promise<void> {
    await this.#checked
  }

  /** Whether the store holds a document (as far as the index knows, or the store listing while the index is checked). */
  holds(id: DocumentId): boolean {
    return this.#documents.has(id) || this.#listed?.has(id) === true
  }

  /** Every stored document the index knows, sorted. */
  ids(): DocumentId[] {
    this.#ids ??= [...this.#documents.keys()].sort()
    return this.#ids
  }

  /** Every entry, newest change first. */
  entries(): CatalogueEntry[] {
    return [...this.page().entries]
  }

  page(): CataloguePage {
    this.#page ??= new CataloguePage([...this.#designs.values()].flatMap((d) => (d.entry === null ? [] : [d.entry])))
    return this.#page
  }

  /** Every file a listed design references. */
  files(): Map<BlobHash, FileRef> {
    if (this.#files === null) {
      this.#files = new Map()
      for (const d of this.#designs.values()) if (d.entry !== null) for (const f of d.files) if (!this.#files.has(f.hash)) this.#files.set(f.hash, f)
    }
    return this.#files
  }

  /**
   * The heads of each document (null when this store does not hold it): a loaded document's own,
   * otherwise the index's, which are what is on disk. Loads only what the index does not know yet
   * while the store is still being checked.
   */
  async heads(ids: readonly DocumentId[]): Promise<DocumentHeads[]> {
    const out: DocumentHeads[] = []
    for (const id of ids) {
      const handle = this.#init.repo.handles[id]
      if (handle?.isReady() === true) out.push({ id, heads: sortedHeads(handle.doc()) })
      else if (this.#documents.has(id)) out.push({ id, heads: this.#documents.get(id)!.heads })
      else if (!this.complete && (await this.#onDisk(id))) out.push({ id, heads: await this.#withReader((r) => r.commons.documentHeads(id)) })
      else out.push({ id, heads: null })
    }
    return out
  }

  /** A document was saved (changed, or arrived): it is re-read, and what depends on it re-verified, soon. */
  mark(id: DocumentId): void {
    if (this.#closed) return
    this.#marked.add(id)
    this.#schedule()
  }

  /**
   * Resolves once every document marked so far is indexed, or after `maxMs`: a catalogue answer
   * reflects what the hub acknowledged when it is idle, and is not held up long when it is busy.
   */
  async fresh(maxMs: number): Promise<void> {
    if (this.#pass === null && this.#marked.size === 0) return
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([this.settled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))])
    clearTimeout(timer)
  }

  /** Resolves once every marked document has been indexed (tests, and `stop`). */
  async settled(): Promise<void> {
    while (this.#pass !== null || (this.#marked.size > 0 && !this.#closed)) {
      if (this.#pass === null) this.#startPass()
      await this.#pass
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    await this.#checked
    this.#closed = false
    await this.settled()
    this.#closed = true
    clearTimeout(this.#passTimer)
    await this.#pass
    clearTimeout(this.#writeTimer)
    await this.#write()
  }

  /**
   * Records that the index matches the store as of now: called once the repo is shut down and its
   * last writes settled (a shutdown re-saves documents and sync states; stamped before it, those
   * writes would look newer than the index and be re-indexed, loading them, at the next start).
   */
  async stamp(): Promise<void> {
    // A check cut short by the stop is done again next time: the index then matches the store only as of when this run began.
    const at = this.complete ? Date.now() : (this.#since ?? 0)
    await this.#init.index.writeState({ startedAt: at, stoppedAt: at }).catch((err: Error) => this.#init.log(`cannot write the catalogue index state: ${err.message}`))
  }

  // ---- checking the store --------------------------------------------------------------------

  async #onDisk(id: DocumentId): Promise<boolean> {
    return (await stat(join(this.#init.storageDir, id.slice(0, 2), id.slice(2))).catch(() => null)) !== null
  }

  /**
   * When a document's chunks last changed on disk, or null when it has none: the latest time of its
   * chunk directories (a chunk added or removed, as every write of ours does) and of the chunk
   * files in them (a chunk changed in place, by anyone else).
   */
  async #changedAt(id: DocumentId): Promise<number | null> {
    const dir = join(this.#init.storageDir, id.slice(0, 2), id.slice(2))
    let latest: number | null = null
    for (const kind of ['snapshot', 'incremental']) {
      const sub = join(dir, kind)
      const at = await stat(sub).then((s) => s.mtimeMs, () => null)
      if (at === null) continue
      latest = Math.max(latest ?? 0, at)
      for (const name of await readdir(sub).catch(() => [] as string[])) {
        const t = await stat(join(sub, name)).then((s) => s.mtimeMs, () => 0)
        latest = Math.max(latest, t)
      }
    }
    return latest
  }

  async #check(since: number | null): Promise<void> {
    const t0 = performance.now()
    const stored = await storedDocumentIds(this.#init.storageDir)
    const held = new Set(stored)
    this.#listed = held
    try {
      await this.#checkListed(t0, stored, held, since)
    } finally {
      this.#listed = null
    }
  }

  async #checkListed(t0: number, stored: readonly DocumentId[], held: ReadonlySet<DocumentId>, since: number | null): Promise<void> {
    let dropped = 0
    for (const id of [...this.#documents.keys()]) {
      if (held.has(id) || this.#init.repo.handles[id]?.isReady() === true) continue
      this.#forget(id)
      dropped++
    }
    const todo: DocumentId[] = []
    for (const id of stored) {
      if (this.#closed) return
      if (!this.#documents.has(id) || since === null) todo.push(id)
      else {
        const at = await this.#changedAt(id)
        if (at !== null && at >= since - MTIME_SLACK_MS) todo.push(id)
      }
    }
    if (todo.length > 0 || dropped > 0) {
      const why = since === null ? 'no usable index: checking every stored document' : `${todo.length} stored document(s) new or changed since the index was written`
      this.#init.log(`catalogue index: ${why} (${stored.length} stored, ${this.#designs.size} designs indexed${dropped > 0 ? `, ${dropped} no longer stored` : ''})`)
    }
    let done = 0
    // A batch at a time, so that a stop does not wait for the whole store; one run (`seen`) so that
    // a document read while verifying its design is not read again when its own turn comes.
    const batch = this.#batch()
    const seen = new Set<DocumentId>()
    for (let i = 0; i < todo.length && !this.#closed; i += batch) {
      const chunk = todo.slice(i, i + batch)
      await this.#run(chunk, seen)
      done += chunk.length
      if (this.#closed) return
      if (done % INDEX_PROGRESS_EVERY < batch && done < todo.length) this.#init.log(`catalogue index: ${done}/${todo.length} documents checked, ${this.page().entries.length} designs listed`)
    }
    this.complete = true
    if (todo.length > 0 || dropped > 0) {
      this.#init.log(`catalogue index up to date: ${this.page().entries.length} designs, ${this.#documents.size} documents (${todo.length} checked in ${((performance.now() - t0) / 1000).toFixed(1)} s)`)
    }
  }

  // ---- indexing --------------------------------------------------------------------------------

  #schedule(): void {
    if (this.#passTimer !== undefined || this.#pass !== null) return
    this.#passTimer = setTimeout(() => {
      this.#passTimer = undefined
      this.#startPass()
    }, this.#init.passDelayMs ?? 200)
    this.#passTimer.unref()
  }

  #startPass(): void {
    clearTimeout(this.#passTimer)
    this.#passTimer = undefined
    const ids = [...this.#marked]
    this.#marked.clear()
    this.#pass = this.#run(ids)
      .catch((err: Error) => this.#init.log(`catalogue index: ${err.message}`))
      .finally(() => {
        this.#pass = null
        if (this.#marked.size > 0) this.#schedule()
      })
  }

  /**
   * Re-reads documents and re-verifies the designs depending on them, a batch of documents at a
   * time, each batch through a reader of its own that is dropped after it (reader.ts): what a
   * pass holds in memory is bounded by the batch, whatever the number of documents it reads.
   */
  async #run(ids: readonly DocumentId[], seen = new Set<DocumentId>()): Promise<void> {
    // One at a time: the background check and the passes after changes never interleave.
    const run = this.#running.then(() => this.#runNow(ids, seen))
    this.#running = run.catch(() => undefined)
    await run
  }

  #batch(): number {
    return Math.max(1, this.#init.readBatch ?? INDEX_READ_BATCH_DOCUMENTS)
  }

  /** `seen`: documents this run already read (and indexed), skipped if named again. */
  async #runNow(ids: readonly DocumentId[], seen: Set<DocumentId>): Promise<void> {
    const batch = this.#batch()
    for (let i = 0; i < ids.length; i += batch) {
      await this.#withReader((reader) => this.#runBatch(reader, ids.slice(i, i + batch), seen))
    }
    if (this.#dirtyShards.size > 0) this.#scheduleWrite()
  }

  async #withReader<T>(fn: (reader: DocumentReader) => Promise<T>): Promise<T> {
    const reader = new DocumentReader(this.#storage, this.#init.commons)
    try {
      return await fn(reader)
    } finally {
      // A reader never lets go of a document before it is closed: what it holds now is its most.
      this.peakResident = Math.max(this.peakResident, reader.resident)
      reader.close()
    }
  }

  async #runBatch(reader: DocumentReader, ids: readonly DocumentId[], seen: Set<DocumentId>): Promise<void> {
    const affected = new Set<DocumentId>()
    const commons = reader.commons
    const one = async (id: DocumentId) => {
      if (seen.has(id)) return
      seen.add(id)
      const heads = await commons.documentHeads(id).catch(() => null)
      if (heads === null) {
        if (!(await this.#onDisk(id))) this.#forget(id)
        return
      }
      const known = this.#documents.get(id)
      const same = known !== undefined && known.heads.join(',') === heads.join(',')
      // What a document is comes from its signed history; a design or a proposal stays one.
      const kind: DocumentKind = known !== undefined && (same || known.kind !== 'other') ? known.kind : ((await commons.kind(id).catch(() => null)) ?? 'other')
      if (!same || known.kind !== kind) {
        this.#documents.set(id, { heads, kind })
        this.#ids = known === undefined ? null : this.#ids
        this.#dirtyShards.add(shardOf(id))
      }
      if (kind === 'design' && (!same || !this.#designs.has(id))) affected.add(id)
      if (!same) for (const d of this.#watchers.get(id) ?? []) affected.add(d)
    }
    // A few documents at once: reading them is partly waiting for the disk.
    let next = 0
    const worker = async () => {
      while (next < ids.length) await one(ids[next++]!)
    }
    await Promise.all(Array.from({ length: Math.min(INDEX_READ_CONCURRENCY, ids.length) }, worker))
    // Designs added while iterating (waiting for a document a verification just indexed) are visited too.
    for (const design of affected) await this.#reindex(reader, design, affected, seen)
  }

  /**
   * The heads of the documents an entry was built from: those the reader that built it loaded
   * (what verification saw), else the index's. So a design verified before its content document
   * was indexed is not verified again when that document's turn comes with the same heads.
   */
  #key(watch: readonly DocumentId[], reader: DocumentReader | null): string {
    return watch
      .map((id) => {
        const heads = reader?.heads(id) ?? this.#documents.get(id)?.heads ?? null
        return `${id}:${heads?.join(',') ?? '-'}`
      })
      .join('|')
  }

  async #reindex(reader: DocumentReader, id: DocumentId, affected: Set<DocumentId>, seen: Set<DocumentId>): Promise<void> {
    const known = this.#designs.get(id)
    if (known !== undefined && known.entry !== null && known.key === this.#key(known.watch, null)) return
    this.verifications++
    let next: IndexedDesign
    try {
      next = await verifiedEntry(reader.commons, id, (doc) => this.#documents.has(doc))
      next.key = this.#key(next.watch, reader)
      // The documents it read that the index does not know yet are indexed now, as read: not read
      // again in this run, and what waited for them is verified again.
      for (const doc of next.watch) {
        const heads = reader.heads(doc)
        if (doc === id || heads === null || this.#documents.has(doc) || seen.has(doc)) continue
        seen.add(doc)
        const kind: DocumentKind = (await reader.commons.kind(doc).catch(() => null)) ?? 'other'
        this.#documents.set(doc, { heads, kind })
        this.#ids = null
        this.#dirtyShards.add(shardOf(doc))
        if (kind === 'design') affected.add(doc)
        for (const d of this.#watchers.get(doc) ?? []) if (d !== id) affected.add(d)
      }
    } catch (err) {
      // Unverifiable or incomplete (its content or inbox has not arrived yet): not listed, and tried
      // again when the document it lacked arrives (core's NotFoundError names it as `missing`, or,
      // where it was asked for by itself, as `id`).
      const context = (err as { name?: unknown; context?: { missing?: unknown; id?: unknown } }).context
      const missing = context?.missing ?? ((err as Error).name === 'NotFoundError' ? context?.id : undefined)
      const watch = typeof missing === 'string' && missing !== id ? [id, missing as DocumentId] : [id]
      next = { entry: null, watch, key: this.#key(watch, reader), files: [] }
    }
    this.#setDesign(id, next)
    this.#dirtyShards.add(shardOf(id))
  }

  #setDesign(id: DocumentId, d: IndexedDesign | null): void {
    const old = this.#designs.get(id)
    for (const w of old?.watch ?? []) this.#watchers.get(w)?.delete(id)
    if (d === null) this.#designs.delete(id)
    else {
      this.#designs.set(id, d)
      for (const w of d.watch) {
        let set = this.#watchers.get(w)
        if (set === undefined) this.#watchers.set(w, (set = new Set()))
        set.add(id)
      }
    }
    this.#page = null
    this.#files = null
    if ((old?.files.length ?? 0) + (d?.files.length ?? 0) > 0) this.#init.onFilesChanged?.()
  }

  #forget(id: DocumentId): void {
    if (this.#documents.delete(id)) this.#ids = null
    if (this.#designs.has(id)) this.#setDesign(id, null)
    this.#dirtyShards.add(shardOf(id))
    for (const d of this.#watchers.get(id) ?? []) this.mark(d)
  }

  // ---- writing ---------------------------------------------------------------------------------

  #scheduleWrite(): void {
    if (this.#writeTimer !== undefined || this.#closed) return
    // While the store is being checked every shard changes all the time: written less often then.
    this.#writeTimer = setTimeout(
      () => {
        this.#writeTimer = undefined
        void this.#write()
      },
      this.complete ? INDEX_WRITE_DELAY_MS : INDEX_CHECK_WRITE_DELAY_MS,
    )
    this.#writeTimer.unref()
  }

  /** Writes every changed shard, once the documents it names are on disk (the index never runs ahead of the store). */
  async #write(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (this.#dirtyShards.size === 0) return
      const shards = [...this.#dirtyShards]
      this.#dirtyShards.clear()
      const inShards = (id: string) => shards.includes(shardOf(id))
      const ready = Object.values(this.#init.repo.handles).filter((h) => h.isReady() && inShards(h.documentId)).map((h) => h.documentId)
      try {
        await this.#init.repo.flush(ready)
        await this.#init.caughtUp()
        const docs = new Map(shards.map((sh) => [sh, [] as [DocumentId, IndexedDocument][]]))
        const designs = new Map(shards.map((sh) => [sh, [] as [DocumentId, IndexedDesign][]]))
        for (const d of this.#documents) docs.get(shardOf(d[0]))?.push(d)
        for (const d of this.#designs) designs.get(shardOf(d[0]))?.push(d)
        for (const shard of shards) await this.#init.index.writeShard(shard, docs.get(shard)!, designs.get(shard)!)
      } catch (err) {
        for (const s of shards) this.#dirtyShards.add(s)
        this.#init.log(`cannot write the catalogue index (tried again with the next change): ${(err as Error).message}`)
      }
    })
    await this.#writing
  }
}


