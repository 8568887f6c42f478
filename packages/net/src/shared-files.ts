/**
 * Which blobs a peer serves (the blob protocol's policy, for hubs, commands and browsers alike): a
 * blob is shared when a verified design this repo holds references it in its canonical content.
 * Rebuilt at most every FILE_SHARE_REFRESH_MS, and on a miss (a design that just arrived), so that
 * asking for random hashes cannot make it re-verify every design each time; designs whose
 * documents did not change since the last build are not verified again.
 */
import type { DocumentId } from '@automerge/automerge-repo/slim'
import { GOVERNANCE_SCHEMA, type BlobHash, type Commons, type FileRef } from '@cosmolocal/core'
import { FILE_SHARE_REFRESH_MS } from './limits.js'

export class SharedFiles {
  readonly #commons: Commons
  #files = new Map<BlobHash, FileRef>()
  /** Per design, by the heads of its governance and content documents. */
  readonly #byDesign = new Map<DocumentId, { key: string; contentId: DocumentId | null; files: FileRef[] }>()
  #builtAt = 0
  #building: Promise<void> | null = null

  constructor(commons: Commons) {
    this.#commons = commons
  }

  /** Forget when it was built: a design here just gained a file, so the next miss rebuilds. */
  invalidate(): void {
    this.#builtAt = 0
  }

  async #refresh(): Promise<void> {
    this.#building ??= (async () => {
      try {
        this.#files = await this.#build()
        this.#builtAt = Date.now()
      } finally {
        this.#building = null
      }
    })()
    await this.#building
  }

  async #build(): Promise<Map<BlobHash, FileRef>> {
    const repo = this.#commons.repo
    const heads = (id: DocumentId | null) => {
      const h = id === null ? undefined : repo.handles[id]
      return h?.isReady() ? h.heads().join(',') : ''
    }
    const out = new Map<BlobHash, FileRef>()
    for (const handle of Object.values(repo.handles)) {
      if (!handle.isReady() || (handle.doc() as { schema?: unknown }).schema !== GOVERNANCE_SCHEMA) continue
      const id = handle.documentId
      let entry = this.#byDesign.get(id)
      if (entry === undefined || entry.key !== `${heads(id)}|${heads(entry.contentId)}`) {
        try {
          const d = await this.#commons.design(id)
          entry = { key: `${heads(id)}|${heads(d.contentId)}`, contentId: d.contentId, files: d.content.files }
        } catch {
          entry = { key: `${heads(id)}|`, contentId: null, files: [] }
        }
        this.#byDesign.set(id, entry)
      }
      for (const f of entry.files) if (!out.has(f.hash)) out.set(f.hash, f)
    }
    return out
  }

  /** Every file referenced by a design held here (fresh). */
  async all(): Promise<Map<BlobHash, FileRef>> {
    await this.#refresh()
    return this.#files
  }

  async has(hash: BlobHash): Promise<boolean> {
    if (this.#files.has(hash)) return true
    if (Date.now() - this.#builtAt > FILE_SHARE_REFRESH_MS) await this.#refresh()
    return this.#files.has(hash)
  }
}
