/**
 * Which documents a repo offers to which peers. automerge-repo asks one question, "announce
 * this document to this peer?", both to push a document and to request one it lacks; so a peer
 * that pushes nothing uninvited must still announce what it is fetching. A ShareControl answers:
 * yes for peers we sync everything with (`offer`); yes for documents we are fetching (`want`),
 * and for any document this repo does not hold yet (asking pushes nothing, since there is nothing
 * to push, and `find()` of a document named inside another, such as a design's content, needs it);
 * reading by id is open to all (`access`), or, for a command, limited to what it announces.
 *
 * And yes for documents a peer followed (synced with us) before it reconnected. automerge-repo keeps
 * a peer's in-memory sync state across a reconnection and only resets it when sync begins from our
 * side; that state remembers what we already sent, so a message lost when the connection died
 * (a browser tab reloading, say) would never be sent again, and the peer would stay behind for as
 * long as this hub runs. Announcing what the peer followed restarts sync from our side, which resets
 * that state and sends our heads: the peer then asks for whatever it lacks.
 */
import type { DocumentId, PeerId, Repo, RepoConfig } from '@automerge/automerge-repo'
import { MAX_FOLLOWED_PER_PEER, MAX_REMEMBERED_FOLLOWERS } from './limits.js'

type ShareConfig = NonNullable<RepoConfig['shareConfig']>

export class ShareControl {
  readonly #offerTo = new Set<string>()
  readonly #wanted = new Set<string>()
  /** Peer → documents it synced with us; least recently active peer first. */
  readonly #followed = new Map<string, Set<string>>()
  readonly #always: (peer: string) => boolean
  #repo: Repo | null = null

  readonly #access: 'open' | 'as-announced'
  readonly #held: (doc: DocumentId) => boolean

  /**
   * `always`: peers offered everything from the start (for a hub: the hubs it peers with).
   * `access`: `open` (a hub: anyone may read any document by id) or `as-announced` (a command
   * syncing with a peer: until it has asked the peer what it holds and called `offer`, it answers
   * sync only for documents it is fetching; otherwise a hub restarting sync with a follower on
   * reconnection would receive the follower's changes before the follower could measure what
   * the hub lacked).
   */
  /**
   * `held`: whether this peer holds a document (default: loaded and ready; a hub that loads lazily
   * says "stored", so that loading a stored document never offers it to a peer that did not ask).
   */
  constructor(always: (peer: string) => boolean = () => false, options: { access?: 'open' | 'as-announced'; held?: (doc: DocumentId) => boolean } = {}) {
    this.#always = always
    this.#access = options.access ?? 'open'
    this.#held = options.held ?? ((doc) => this.#repo?.handles[doc]?.isReady() === true)
  }

  #announce(peer: PeerId, doc?: DocumentId): boolean {
    return (
      this.#always(peer) ||
      this.#offerTo.has(peer) ||
      (doc !== undefined && this.#followed.get(peer)?.has(doc) === true) ||
      (doc !== undefined && (this.#wanted.has(doc) || !this.#held(doc)))
    )
  }

  readonly shareConfig: ShareConfig = {
    announce: async (peer: PeerId, doc?: DocumentId) => this.#announce(peer, doc),
    access: async (peer: PeerId, doc?: DocumentId) => this.#access === 'open' || this.#announce(peer, doc),
  }

  attach(repo: Repo): void {
    this.#repo = repo
    repo.networkSubsystem.on('message', (m) => {
      if ((m.type === 'sync' || m.type === 'request') && m.documentId !== undefined) this.#follow(m.senderId, m.documentId)
    })
  }

  #follow(peer: string, doc: string): void {
    let docs = this.#followed.get(peer)
    if (docs !== undefined) this.#followed.delete(peer)
    else {
      docs = new Set()
      if (this.#followed.size >= MAX_REMEMBERED_FOLLOWERS) this.#followed.delete(this.#followed.keys().next().value!)
    }
    this.#followed.set(peer, docs)
    if (docs.size < MAX_FOLLOWED_PER_PEER) docs.add(doc)
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
