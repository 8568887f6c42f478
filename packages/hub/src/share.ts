/**
 * Which documents a repo offers to which peers. automerge-repo asks one question, "announce
 * this document to this peer?", both to push a document and to request one it lacks; so a peer
 * that pushes nothing uninvited must still announce what it is fetching. A ShareControl answers:
 * yes for peers we sync everything with (`offer`); yes for documents we are fetching (`want`),
 * and for any document this repo does not hold yet (asking pushes nothing, since there is nothing
 * to push, and `find()` of a document named inside another, such as a design's content, needs it);
 * reading by id is open to all (`access`).
 */
import type { DocumentId, PeerId, Repo, RepoConfig } from '@automerge/automerge-repo'

type ShareConfig = NonNullable<RepoConfig['shareConfig']>

export class ShareControl {
  readonly #offerTo = new Set<string>()
  readonly #wanted = new Set<string>()
  readonly #always: (peer: string) => boolean
  #repo: Repo | null = null

  /** `always`: peers offered everything from the start (for a hub: the hubs it peers with). */
  constructor(always: (peer: string) => boolean = () => false) {
    this.#always = always
  }

  readonly shareConfig: ShareConfig = {
    announce: async (peer: PeerId, doc?: DocumentId) =>
      this.#always(peer) ||
      this.#offerTo.has(peer) ||
      (doc !== undefined && (this.#wanted.has(doc) || this.#repo?.handles[doc]?.isReady() !== true)),
    access: async () => true,
  }

  attach(repo: Repo): void {
    this.#repo = repo
  }

  /** Offers every document to `peer` from now on. */
  offer(peer: string): void {
    this.#offerTo.add(peer)
    this.changed()
  }

  /** Marks a document as wanted: call before `find()` so that the repo asks its peers for it. */
  want(doc: DocumentId): void {
    this.#wanted.add(doc)
  }

  /** Re-evaluates what is shared (after the `always` answer changed). */
  changed(): void {
    this.#repo?.shareConfigChanged()
  }
}
