/**
 * The catalogue of designs a hub holds: title, maintainers, lineage, last change. Built from
 * verified designs only (a governance document that does not verify is not listed), and cached
 * per design by the heads of its documents so that a refresh re-verifies only what changed.
 */
import * as A from '@automerge/automerge'
import type { DocumentId, Repo } from '@automerge/automerge-repo'
import { Commons, type ChangeHash } from '@cosmolocal/core'
import { catalogueDetails } from './catalogue-entry.js'
import type { CatalogueEntry, DocumentHeads } from './protocols.js'

export class Catalogue {
  readonly #repo: Repo
  readonly #commons: Commons
  readonly #cache = new Map<DocumentId, { key: string; entry: CatalogueEntry }>()

  constructor(repo: Repo, commons: Commons) {
    this.#repo = repo
    this.#commons = commons
  }

  /** The heads of each document (null when this repo does not hold it). */
  async heads(ids: readonly DocumentId[]): Promise<DocumentHeads[]> {
    const out: DocumentHeads[] = []
    for (const id of ids) {
      const handle = await this.#repo.find(id, { allowableStates: ['ready', 'unavailable'] }).catch(() => null)
      out.push({ id, heads: handle?.isReady() ? (A.getHeads(handle.doc()) as ChangeHash[]) : null })
    }
    return out
  }

  /** Catalogue entries for every verified design among `ids`. */
  async entries(ids: readonly DocumentId[]): Promise<CatalogueEntry[]> {
    const held = new Set(ids)
    const out: CatalogueEntry[] = []
    for (const id of ids) {
      // What a document is comes from its signed history, never from a field anyone can rewrite.
      if ((await this.#commons.kind(id).catch(() => null)) !== 'design') continue
      const entry = await this.#entry(id, held)
      if (entry !== null) out.push(entry)
    }
    return out.sort((a, b) => b.lastChange - a.lastChange || (a.design < b.design ? -1 : 1))
  }

  async #entry(id: DocumentId, held: Set<DocumentId>): Promise<CatalogueEntry | null> {
    // An entry stands while none of the documents it was built from changed: checked before
    // verifying anything, so a refresh re-verifies only the designs that moved.
    const cached = this.#cache.get(id)
    if (cached !== undefined && cached.key === (await this.#key(cached.entry.documents))) return cached.entry
    try {
      const d = await this.#commons.design(id)
      const inbox = await this.#commons.inbox(d)
      const makes = (await this.#commons.makes(d)).makes.length
      const documents = [d.id, d.contentId, d.inboxId, ...inbox.proposals.map((p) => p.proposal).filter((p) => held.has(p))]
      const entry: CatalogueEntry = {
        design: d.id,
        title: d.content.title,
        maintainers: d.state.maintainers,
        forkedFrom: d.forkedFrom?.design ?? null,
        lastChange: d.state.lastChange,
        heads: d.state.canonicalHeads,
        documents,
        ...catalogueDetails(d, inbox, (await this.#commons.needs(d)).summary, makes),
      }
      this.#cache.set(id, { key: await this.#key(documents), entry })
      return entry
    } catch {
      // Unverifiable or incomplete (its content has not arrived yet): not listed, tried again next time.
      this.#cache.delete(id)
      return null
    }
  }

  /** The heads of every document an entry was built from: a new proposal changes the inbox's. */
  async #key(documents: readonly DocumentId[]): Promise<string> {
    return (await this.heads(documents)).map((d) => `${d.id}:${d.heads?.join(',') ?? '-'}`).join('|')
  }
}
