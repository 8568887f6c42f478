/**
 * One document's records, verified once and kept incrementally: the changes since the heads read
 * last time are decoded (history.ts), each new candidate is checked cheaply, signatures are checked
 * only where they can matter, and what was found is persisted (sealed) beside the store.
 *
 * Two policies, one per kind of document:
 * - `governance` (a design's governance document): only records by keys that could hold authority
 *   are verified: the genesis's author and, transitively, whoever a valid record by such a key
 *   adds. Records by any other key are parked unverified (at most MAX_PARKED_PER_AUTHOR per key),
 *   reported as ignored, and reconsidered only if their key is added; a stranger's flood costs no
 *   signature check at all.
 * - `open` (an inbox): anyone may write, so each record bound to the design is verified, and each
 *   author keeps at most MAX_RECORDS_PER_AUTHOR valid records (the lowest record ids, so every peer
 *   keeps the same ones whatever order they arrived in); one author's flood displaces nobody
 *   else's records.
 * - `proposal`: as `open`, for the design the proposal's opening revision names. The opening is
 *   the one revision whose author and nonce derive the proposal's id (genesis.ts), so the design is
 *   known from a signed record, never from a field of the document.
 *
 * The log is the part of verification that costs in proportion to history. Everything after it
 * (the folds) runs over the records it keeps.
 */
import type * as A from '@automerge/automerge'
import { isGenesisBound, isProposalBound } from '../genesis.js'
import { rejection, scanChanges, type Candidate, type RejectedRecord, type ScanCounters } from '../history.js'
import type { ChangeHash, DesignId, DocumentId, PersonId, RecordId } from '../ids.js'
import { MAX_HELD_BEFORE_OPENING, MAX_PARKED_PER_AUTHOR, MAX_RECORDS_PER_AUTHOR, MAX_REJECTED_REPORTED, VERIFY_CONCURRENCY } from '../limits.js'

import { decodeRecord, verifyDecoded } from '../records.js'
import type { SealedCache } from './cache.js'

export type LogPolicy = 'governance' | 'open' | 'proposal'

const GOVERNANCE_KINDS = new Set(['genesis', 'content', 'governance'])

export interface LogContents {
  /** Records whose signatures verified and that the policy keeps, in a stable order (by id). */
  valid: Candidate[]
  /** Governance logs only: records by keys that never held authority, unverified. */
  parked: Candidate[]
  /** Records that do not count and why (at most MAX_REJECTED_REPORTED individually). */
  rejected: RejectedRecord[]
  /** Byte strings that were not records at all. */
  discarded: number
  /** The document heads this covers. */
  heads: ChangeHash[]
}

interface Persisted {
  design: string | null
  heads: string[]
  valid: Uint8Array[]
  parked: Uint8Array[]
  rejected: RejectedRecord[]
  rejectedCount: number
  discarded: number
}

export class RecordLog {
  #heads: ChangeHash[] | null = null
  #valid = new Map<RecordId, Candidate>()
  #parked = new Map<RecordId, Candidate>()
  #rejected: RejectedRecord[] = []
  #rejectedCount = 0
  #discarded = 0
  /** Every record id this log has decided on (valid, parked, rejected, displaced). */
  #seen = new Set<string>()
  #loaded = false
  /** The design every record must be bound to (for a proposal: once its opening is found). */
  #design: DesignId | null
  /** Proposal logs: candidates read before the opening, waiting for it (bounded). */
  #held: Candidate[] = []

  constructor(
    readonly doc: DocumentId,
    /** The design every record must be bound to; null for a proposal (its opening says). */
    design: DesignId | null,
    readonly policy: LogPolicy,
    readonly cache: SealedCache | null,
    readonly counters: ScanCounters,
  ) {
    this.#design = design
  }

  get design(): DesignId | null {
    return this.#design
  }

  get cacheKey(): string {
    return `log/${this.policy}/${this.doc}`
  }

  /** Brings the log up to the document's current heads; returns what it holds. */
  async update(doc: A.Doc<unknown>): Promise<LogContents> {
    if (!this.#loaded) await this.#load()
    const scan = scanChanges(doc, this.#heads, this.#seen, this.counters)
    if (scan.full && this.#heads !== null) {
      // The document lacks what the log says it read (another document under this id, or a log
      // from elsewhere): start over from history.
      this.#reset()
      const again = scanChanges(doc, null, this.#seen, this.counters)
      await this.#take(again.candidates, again.discarded)
    } else {
      await this.#take(scan.candidates, scan.discarded)
    }
    const changed = this.#heads === null || this.#heads.join() !== scan.heads.join()
    this.#heads = scan.heads
    if (changed && this.cache !== null) void this.cache.put(this.cacheKey, this.#persisted())
    return this.contents()
  }

  contents(): LogContents {
    const rejected = [...this.#rejected]
    if (this.#discarded > 0) {
      rejected.push({ id: null, kind: null, author: null, reason: `malformed record: ${this.#discarded} byte string(s) that are not records` })
    }
    if (this.#rejectedCount > this.#rejected.length) {
      rejected.push({ id: null, kind: null, author: null, reason: `${this.#rejectedCount - this.#rejected.length} more ignored record(s) not listed` })
    }
    return {
      valid: [...this.#valid.values()].sort(byId),
      parked: [...this.#parked.values()].sort(byId),
      rejected,
      discarded: this.#discarded,
      heads: this.#heads ?? [],
    }
  }

  async #take(candidates: readonly Candidate[], discarded: number): Promise<void> {
    this.#discarded += discarded
    if (this.#design === null) {
      candidates = await this.#findOpening(candidates)
      if (this.#design === null) return
    }
    const fresh: Candidate[] = []
    for (const c of candidates) {
      if (c.body.design !== this.#design) this.#reject(rejection(c, 'record is bound to another design'))
      else if (this.policy === 'governance' && !GOVERNANCE_KINDS.has(c.body.payload.kind)) {
        this.#reject(rejection(c, `a ${c.body.payload.kind} record does not belong in a governance document`))
      } else if (c.body.payload.kind === 'genesis' && !isGenesisBound(this.#design!, c.body.author, c.body.payload.nonce)) {
        // No key but the creator's can make a genesis for this id: no signature to check.
        this.#reject(rejection(c, 'genesis not bound to this design id'))
      } else fresh.push(c)
    }
    if (this.policy === 'governance') await this.#takeGoverned(fresh)
    else await this.#takeOpen(fresh)
  }

  /**
   * A proposal's opening among what was read so far: a revision with no earlier records whose
   * author's key and nonce derive this document's id, with a valid signature (the lowest such id,
   * should its author have signed several). Until one is found, candidates wait (bounded).
   */
  async #findOpening(candidates: readonly Candidate[]): Promise<readonly Candidate[]> {
    const all = [...this.#held, ...candidates]
    const openings = all
      .filter((c) => {
        const p = c.body.payload
        return p.kind === 'revision' && p.nonce !== undefined && p.proposal === this.doc && c.body.prev.length === 0 && isProposalBound(this.doc, c.body.author, p.nonce)
      })
      .sort(byId)
    for (const o of openings) {
      this.counters.signaturesVerified++
      try {
        await verifyDecoded(o, o.body.design)
      } catch {
        continue
      }
      this.#design = o.body.design
      this.#held = []
      return all
    }
    this.#held = all.slice(-MAX_HELD_BEFORE_OPENING)
    return []
  }

  /** Verifies the records of keys that could hold authority, growing that set as adds verify. */
  async #takeGoverned(fresh: Candidate[]): Promise<void> {
    const waiting = [...this.#parked.values(), ...fresh]
    this.#parked.clear()
    const members = this.#members()
    // A genesis that reached this point is bound to the design id: its author is the creator.
    for (const c of waiting) if (c.body.payload.kind === 'genesis') members.add(c.body.author)
    for (;;) {
      const now = waiting.filter((c) => members.has(c.body.author))
      if (now.length === 0) break
      for (const c of now) waiting.splice(waiting.indexOf(c), 1)
      let grew = false
      now.sort(byId)
      const checked = await this.#verifyAll(now)
      for (const [i, c] of now.entries()) {
        if (checked[i] !== null) {
          this.#reject(rejection(c, checked[i]!))
          continue
        }
        this.#valid.set(c.id, c)
        const p = c.body.payload
        if (p.kind === 'governance' && p.action.op === 'add' && !members.has(p.action.member)) {
          members.add(p.action.member)
          grew = true
        }
      }
      if (!grew) break
    }
    const perAuthor = new Map<string, number>()
    for (const c of waiting.sort(byId)) {
      const n = perAuthor.get(c.body.author) ?? 0
      if (n >= MAX_PARKED_PER_AUTHOR) {
        this.#reject(rejection(c, `more than ${MAX_PARKED_PER_AUTHOR} records by a key that holds no authority`))
        continue
      }
      perAuthor.set(c.body.author, n + 1)
      this.#parked.set(c.id, c)
    }
  }

  /** Who could hold authority: the bound genesis's author and whoever valid records added. */
  #members(): Set<PersonId> {
    const out = new Set<PersonId>()
    for (const c of this.#valid.values()) {
      const p = c.body.payload
      if (p.kind === 'genesis') out.add(c.body.author)
      else if (p.kind === 'governance' && p.action.op === 'add') out.add(p.action.member)
    }
    return out
  }

  async #takeOpen(fresh: Candidate[]): Promise<void> {
    const byAuthor = new Map<string, Candidate[]>()
    for (const c of this.#valid.values()) byAuthor.set(c.body.author, [...(byAuthor.get(c.body.author) ?? []), c])
    for (const c of fresh.sort(byId)) {
      const mine = byAuthor.get(c.body.author) ?? []
      // Full already, and this one would not be among the lowest ids: no need to check it.
      if (mine.length >= MAX_RECORDS_PER_AUTHOR && c.id > mine[mine.length - 1]!.id) {
        this.#reject(rejection(c, `more than ${MAX_RECORDS_PER_AUTHOR} records by one author in this document`))
        continue
      }
      if (!(await this.#verify(c))) continue
      mine.push(c)
      mine.sort(byId)
      this.#valid.set(c.id, c)
      if (mine.length > MAX_RECORDS_PER_AUTHOR) {
        const out = mine.pop()!
        this.#valid.delete(out.id)
        this.#reject(rejection(out, `more than ${MAX_RECORDS_PER_AUTHOR} records by one author in this document`))
      }
      byAuthor.set(c.body.author, mine)
    }
  }

  async #verify(c: Candidate): Promise<boolean> {
    const [problem] = await this.#verifyAll([c])
    if (problem === null) return true
    this.#reject(rejection(c, problem!))
    return false
  }

  /** Checks candidates' signatures concurrently; for each, null if it verified, else why not. */
  async #verifyAll(candidates: readonly Candidate[]): Promise<(string | null)[]> {
    this.counters.signaturesVerified += candidates.length
    const design = this.#design!
    const out: (string | null)[] = new Array(candidates.length).fill(null)
    let next = 0
    const worker = async () => {
      while (next < candidates.length) {
        const i = next++
        try {
          await verifyDecoded(candidates[i]!, design)
        } catch (err) {
          out[i] = (err as Error).message
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(VERIFY_CONCURRENCY, candidates.length) }, worker))
    return out
  }

  #reject(r: RejectedRecord): void {
    this.#rejectedCount++
    if (this.#rejected.length < MAX_REJECTED_REPORTED) this.#rejected.push(r)
  }

  #reset(): void {
    this.#heads = null
    this.#valid.clear()
    this.#parked.clear()
    this.#rejected = []
    this.#rejectedCount = 0
    this.#discarded = 0
    this.#seen.clear()
    this.#held = []
    if (this.policy === 'proposal') this.#design = null
  }

  #persisted(): Persisted {
    return {
      design: this.#design,
      heads: this.#heads ?? [],
      valid: [...this.#valid.values()].map((c) => c.bytes),
      parked: [...this.#parked.values()].map((c) => c.bytes),
      rejected: this.#rejected,
      rejectedCount: this.#rejectedCount,
      discarded: this.#discarded,
    }
  }

  async #load(): Promise<void> {
    this.#loaded = true
    if (this.cache === null) return
    const raw = (await this.cache.get(this.cacheKey)) as Partial<Persisted> | undefined
    if (raw === undefined) return
    try {
      const valid = (raw.valid ?? []).map((b) => decodeRecord(b))
      const parked = (raw.parked ?? []).map((b) => decodeRecord(b))
      if (!Array.isArray(raw.heads) || !Array.isArray(raw.rejected) || typeof raw.discarded !== 'number') throw new Error('shape')
      if (this.policy === 'proposal') {
        // Held candidates are not persisted: a proposal log without its design starts over.
        if (typeof raw.design !== 'string') throw new Error('no design')
        this.#design = raw.design as DesignId
      } else if (raw.design !== this.#design) throw new Error('another design')
      this.#heads = raw.heads as ChangeHash[]
      for (const c of valid) this.#valid.set(c.id, c)
      for (const c of parked) this.#parked.set(c.id, c)
      this.#rejected = raw.rejected
      this.#rejectedCount = typeof raw.rejectedCount === 'number' ? raw.rejectedCount : raw.rejected.length
      this.#discarded = raw.discarded
      for (const id of [...this.#valid.keys(), ...this.#parked.keys()]) this.#seen.add(id)
      for (const r of this.#rejected) if (r.id !== null) this.#seen.add(r.id)
    } catch {
      // A sealed entry of the wrong shape: a bug or another version. History is the truth.
      this.#reset()
      if (this.cache !== null) this.cache.counters.rejected++
    }
  }
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
