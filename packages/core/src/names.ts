/**
 * Who is who, as far as names go: the display names people signed their records with.
 *
 * A name is self-asserted (anyone may call themselves "Alice"), names are not unique, and the id
 * stays the identity: callers show a name next to (a short form of) the id, never instead of it.
 * What this book does guarantee is that a name attached to an id was signed by that id's key:
 * names come only from records whose signatures verified, and a record's name is covered by its
 * signature. When a person used several names, the latest by their own records' time counts
 * (ties: the larger record id). Their clock can lie, but only about their own name.
 */
import type { PersonId, RecordId } from './ids.js'
import { recordName, type SignedRecord } from './records.js'

/** A person's name as shown, keyed by id. Plain data, for views and JSON. */
export type PersonNames = Readonly<Record<string, string>>

/** One person's latest signed name, with what decides between claims. Plain data, for caches. */
export interface NameClaim {
  person: PersonId
  name: string
  time: number
  record: RecordId
}

type Claim = Omit<NameClaim, 'person'>

export class NameBook {
  readonly #claims = new Map<PersonId, Claim>()

  /** Names from verified records (never pass records whose signature was not checked). */
  static from(...sources: Iterable<SignedRecord>[]): NameBook {
    const book = new NameBook()
    for (const records of sources) book.add(records)
    return book
  }

  add(records: Iterable<SignedRecord>): this {
    for (const r of records) {
      const name = recordName(r)
      if (name !== null) this.#claim(r.body.author, { name, time: r.body.time, record: r.id })
    }
    return this
  }

  /** A book from claims another book exported (a cache). */
  static fromClaims(claims: Iterable<NameClaim>): NameBook {
    const book = new NameBook()
    for (const { person, ...claim } of claims) book.#claim(person, claim)
    return book
  }

  claims(): NameClaim[] {
    return [...this.#claims].map(([person, c]) => ({ person, ...c }))
  }

  /** Takes in another book's names (the latest claim per person still wins). */
  merge(other: NameBook): this {
    for (const [person, claim] of other.#claims) this.#claim(person, claim)
    return this
  }

  /** The name this person last signed with here, or null when none of their records carries one. */
  get(person: string): string | null {
    return this.#claims.get(person as PersonId)?.name ?? null
  }

  get size(): number {
    return this.#claims.size
  }

  /** Id → name, for views and JSON output. */
  toJSON(): PersonNames {
    return Object.fromEntries([...this.#claims].map(([person, c]) => [person, c.name]))
  }

  #claim(person: PersonId, claim: Claim): void {
    const known = this.#claims.get(person)
    if (known === undefined || claim.time > known.time || (claim.time === known.time && claim.record > known.record)) {
      this.#claims.set(person, claim)
    }
  }
}
