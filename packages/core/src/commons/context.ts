/**
 * What every part of Commons shares: the document store (the one way to the Repo), the verifier
 * (the one way to verified state), the person's identity and blob store, and the few steps every
 * signed write takes (check the signer may, sign, append).
 */
import type { BlobStore } from '../blobs/blob.js'
import { NoIdentityError, NotPermittedError } from '../errors.js'
import type { Identity } from '../identity.js'
import { parseDesignId, type DesignId, type DocumentId, type PersonId, type RecordId } from '../ids.js'
import { signRecord, type RecordDraft, type RecordPayload, type SignedRecord } from '../records.js'
import type { DocumentStore, RecordList } from './store.js'
import type { VerifiedDesign, Verifier } from './verifier.js'

export const NOT_MAINTAINER = (title: string, url: string) =>
  `you are not a maintainer of "${title}": fork it (cosmo fork ${url}) and propose your changes`

export class Context {
  constructor(
    readonly store: DocumentStore,
    readonly verifier: Verifier,
    readonly identity: Identity | null,
    readonly blobs: BlobStore | null,
  ) {}

  me(): Identity {
    if (this.identity === null) throw new NoIdentityError('no identity yet: create one with `cosmo id init --name NAME`')
    return this.identity
  }

  /** A design by URL or id, verified; or the verified design given. */
  async design(ref: string | VerifiedDesign, options: { held?: boolean } = {}): Promise<VerifiedDesign> {
    return typeof ref === 'string' ? await this.verifier.design(parseDesignId(ref), options) : ref
  }

  isMaintainer(d: VerifiedDesign, person: PersonId | null = this.identity?.id ?? null): boolean {
    return person !== null && d.state.maintainers.includes(person)
  }

  /** The design, if this person maintains it; NotPermittedError naming what to do instead. */
  async requireMaintainer(ref: string | VerifiedDesign, what?: string): Promise<VerifiedDesign> {
    const d = await this.design(ref)
    if (!this.isMaintainer(d)) {
      throw new NotPermittedError(
        what === undefined
          ? NOT_MAINTAINER(d.content.title, d.url)
          : `only maintainers of "${d.content.title}" can ${what}; you can fork it (cosmo fork ${d.url})`,
        { design: d.id },
      )
    }
    return d
  }

  /** Signs a record for `design` as this person. */
  async sign<P extends RecordPayload>(draft: RecordDraft<P>): Promise<SignedRecord<P>> {
    return await signRecord(this.me(), draft)
  }

  /** Signs and appends a record to the design's governance document, after its current record heads. */
  async appendGovernance(
    d: VerifiedDesign,
    draft: Omit<RecordDraft<RecordPayload>, 'design' | 'prev'>,
    prev: readonly RecordId[] = d.state.recordHeads,
  ): Promise<SignedRecord> {
    const record = await this.sign({ ...draft, design: d.id, prev })
    await this.store.append(d.id, 'records', record.bytes, 'design')
    return record
  }

  /** Appends an already signed record to a document that anyone may write (an inbox, a proposal). */
  async append(id: DocumentId | DesignId, list: RecordList, record: SignedRecord, what: string): Promise<void> {
    await this.store.append(id, list, record.bytes, what)
  }
}
