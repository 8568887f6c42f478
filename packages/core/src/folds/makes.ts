/**
 * The fold of a design's build reports ("makes"): signed records in its inbox saying that someone
 * built the design (the canonical heads the record names are the version built), where, how it
 * went, what they changed, with photos by hash. Pure; tested by tables.
 *
 * Anyone may report, so every bound is per author (MAX_MAKES_PER_AUTHOR, lowest record ids kept,
 * so every peer keeps the same ones). A report must name the version it built: heads the design's
 * maintainers signed (an ancestor of its canonical heads). One that names heads nobody signed is
 * about content that is not the design, and is ignored; while this store cannot tell yet (the
 * content has not arrived), it counts.
 */
import type { RejectedRecord } from '../history.js'
import type { ChangeHash, DesignId, PersonId, RecordId } from '../ids.js'
import { MAX_MAKE_PHOTO_BYTES, MAX_MAKES_PER_AUTHOR } from '../limits.js'
import { NameBook, type NameClaim } from '../names.js'
import type { MakePayload, MakePhoto, SignedRecord } from '../records.js'
import { orderRecords } from './order.js'

export type MakeResult = MakePayload['result']

export interface Make {
  /** The report's record id. */
  make: RecordId
  author: PersonId
  /** The author's clock: informative only. */
  time: number
  place: string
  result: MakeResult
  changes: string
  notes: string
  /** The canonical heads that were built: which version of the design. */
  heads: ChangeHash[]
  photos: MakePhoto[]
}

export interface MakesState {
  /** In the records' causal order (ties by record id). */
  makes: Make[]
  ignored: RejectedRecord[]
  names: NameClaim[]
}

/**
 * True when `heads` are content the design's maintainers signed; false when they are not; null
 * when this store cannot tell yet.
 */
export type SignedHeads = (heads: readonly ChangeHash[]) => boolean | null

export function foldMakes(design: DesignId, records: readonly SignedRecord[], signed: SignedHeads | null = null): MakesState {
  const ignored: RejectedRecord[] = []
  const ignore = (r: SignedRecord, reason: string) => ignored.push({ id: r.id, kind: r.body.payload.kind, author: r.body.author, reason })
  // The bound keeps each author's lowest record ids, whatever order they arrived or are sorted in.
  const kept = new Set<RecordId>()
  const byAuthor = new Map<PersonId, SignedRecord[]>()
  for (const r of records) {
    if (r.body.payload.kind !== 'make' || r.body.design !== design) continue
    byAuthor.set(r.body.author, [...(byAuthor.get(r.body.author) ?? []), r])
  }
  for (const mine of byAuthor.values()) {
    mine.sort((a, b) => (a.id < b.id ? -1 : 1))
    mine.forEach((r, i) => (i < MAX_MAKES_PER_AUTHOR ? kept.add(r.id) : ignore(r, `more than ${MAX_MAKES_PER_AUTHOR} build reports by one author`)))
  }
  const makes: Make[] = []
  const counted: SignedRecord[] = []
  for (const r of orderRecords(records.filter((r) => kept.has(r.id)))) {
    const p = r.body.payload as MakePayload
    if (r.body.heads.length === 0) {
      ignore(r, 'a build report must name the version built (heads)')
      continue
    }
    if (p.photos.some((ph) => ph.size > MAX_MAKE_PHOTO_BYTES)) {
      ignore(r, `a photo larger than ${MAX_MAKE_PHOTO_BYTES} bytes`)
      continue
    }
    if (signed?.(r.body.heads) === false) {
      ignore(r, "names heads the design's maintainers never signed")
      continue
    }
    makes.push({
      make: r.id,
      author: r.body.author,
      time: r.body.time,
      place: p.place,
      result: p.result,
      changes: p.changes,
      notes: p.notes,
      heads: r.body.heads,
      photos: p.photos,
    })
    counted.push(r)
  }
  return { makes, ignored, names: NameBook.from(counted).claims() }
}
