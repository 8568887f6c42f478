/**
 * Build reports ("makes"): anyone who built a design says so with a signed record in its inbox,
 * citing the canonical heads they built (which version), where, how it went, what they changed,
 * and photos stored as blobs like a design's attachments (by hash; bytes never in the record).
 */
import * as A from '@automerge/automerge'
import { holds } from '../held.js'
import type { BlobHash, BlobSource, BlobStore } from '../blobs/blob.js'
import { InvalidInputError, StateError } from '../errors.js'
import { covers } from '../folds/frontier.js'
import { foldMakes, type Make, type MakeResult } from '../folds/makes.js'
import type { RejectedRecord } from '../history.js'
import { toUrl, type AutomergeUrl, type RecordId } from '../ids.js'
import { MAX_MAKE_PHOTO_BYTES, MAX_MAKE_PHOTOS, MAX_RECORD_TEXT } from '../limits.js'
import { NameBook } from '../names.js'
import type { MakePhoto } from '../records.js'
import { guessFileType, parseField, parseFileName, parseMediaType, type FileRef } from '../schema.js'
import type { Context } from './context.js'
import type { VerifiedDesign } from './verifier.js'

export interface MakeInput {
  /** Where it was built (free text, e.g. "Nairobi, KE"). */
  place?: string
  /** Default: works. */
  result?: MakeResult | string
  /** What was changed for local materials or tools. */
  changes?: string
  notes?: string
  photos?: { name: string; data: BlobSource; mediaType?: string }[]
}

export interface MakeView extends Make {
  authorName: string | null
}

export interface MakesView {
  design: AutomergeUrl
  makes: MakeView[]
  /** Build reports that do not count, and why. */
  ignored: RejectedRecord[]
  /** Display names signed into the counted reports and the inbox (self-asserted). */
  book: NameBook
  /** The inbox and design versions this was computed at. */
  version: string
}

const RESULTS: readonly MakeResult[] = ['works', 'issues', 'failed']

type Ref = string | VerifiedDesign

export class Makes {
  readonly #views = new Map<string, MakesView>()

  constructor(private readonly ctx: Context) {}

  /** Signs a build report of the design's canonical heads (anyone may) and appends it to its inbox. */
  async report(ref: Ref, input: MakeInput): Promise<{ make: RecordId }> {
    this.ctx.me()
    const place = parseField(input.place, 'place')
    const result = parseResult(input.result ?? 'works')
    const changes = longText(input.changes, 'changes')
    const notes = longText(input.notes, 'notes')
    const photos = input.photos ?? []
    if (photos.length > MAX_MAKE_PHOTOS) throw new InvalidInputError(`a build report holds at most ${MAX_MAKE_PHOTOS} photos, not ${photos.length}`)
    const described = photos.map((p) => {
      const name = parseFileName(p.name)
      const mediaType = parseMediaType(p.mediaType ?? guessFileType(name).mediaType)
      if (!mediaType.startsWith('image/')) throw new InvalidInputError(`a photo must be an image, not ${mediaType}: ${name}`)
      return { name, mediaType, data: p.data }
    })
    const d = await this.ctx.design(ref)
    const stored: MakePhoto[] = []
    for (const p of described) {
      const info = await this.#blobs().put(p.data)
      // Stored already (content-addressed, harmless): refused here so the report stays within bounds.
      if (info.size > MAX_MAKE_PHOTO_BYTES) throw new InvalidInputError(`photo ${p.name} is larger than ${MAX_MAKE_PHOTO_BYTES} bytes`)
      stored.push({ name: p.name, hash: info.hash, size: info.size, root: info.root, mediaType: p.mediaType })
    }
    const record = await this.ctx.sign({
      design: d.id,
      base: d.state.canonicalHeads,
      heads: d.state.canonicalHeads,
      payload: { kind: 'make', place, result, changes, notes, photos: stored },
    })
    await this.ctx.append(d.inboxId, 'entries', record, 'inbox')
    return { make: record.id }
  }

  /** The design's build reports, verified; with `held`, nothing is asked of peers. */
  async makes(ref: Ref, options: { held?: boolean } = {}): Promise<MakesView> {
    const d = await this.ctx.design(ref, options)
    const inbox = await this.ctx.verifier.inbox(d, options)
    const version = `${inbox.version}|${d.version}`
    const known = this.#views.get(d.id)
    if (known?.version === version) return known
    const records = await this.ctx.verifier.inboxRecords(d, options)
    const doc = await this.ctx.verifier.contentDoc(d, true).catch(() => null)
    const canonical = d.state.canonicalHeads
    const signed = (heads: readonly string[]) => (doc === null || !holds(doc, [...heads]) ? null : covers(doc, canonical, heads))
    const state = foldMakes(d.id, records, signed)
    const book = NameBook.fromClaims(state.names).merge(inbox.book)
    const view: MakesView = {
      design: d.url,
      makes: state.makes.map((m) => ({ ...m, authorName: book.get(m.author) })),
      ignored: state.ignored,
      book,
      version,
    }
    this.#views.set(d.id, view)
    return view
  }

  #blobs(): BlobStore {
    if (this.ctx.blobs === null) throw new StateError('this store has no place for photo bytes (no blob store)')
    return this.ctx.blobs
  }
}

/** A build report's photos as file references (for the peers that share and keep attachments). */
export function makePhotoFiles(view: MakesView): FileRef[] {
  return view.makes.flatMap((m) =>
    m.photos.map((p, i) => ({ id: `${m.make.slice(0, 12)}-${i}`, name: p.name, hash: p.hash as BlobHash, size: p.size, root: p.root as BlobHash, mediaType: p.mediaType, role: 'photo' as const, position: i })),
  )
}

function parseResult(value: string): MakeResult {
  if ((RESULTS as readonly string[]).includes(value)) return value as MakeResult
  throw new InvalidInputError(`result must be one of ${RESULTS.join(', ')}, not ${JSON.stringify(value)}`)
}

function longText(value: string | undefined, field: string): string {
  if (value === undefined) return ''
  if (value.length > MAX_RECORD_TEXT) throw new InvalidInputError(`${field} is longer than ${MAX_RECORD_TEXT} characters`, { field })
  return value
}
