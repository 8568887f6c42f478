/**
 * The fold of a design's needs: its open tasks and wishes, as signed `need` records in its inbox
 * (open, claim, release, close, reopen) and the merges that cite them. Pure; tested by tables.
 * The rules, and why they are what they are, are in docs/governance.md ("Needs"); in short:
 *
 * - Anyone may open a need; each author's first MAX_NEEDS_PER_AUTHOR in the fold's order count.
 * - Anyone may claim one and release their own claim. Only the need's author or a maintainer of
 *   the design (today's maintainers) may close or reopen it; anyone else's close or reopen is
 *   ignored and reported. A maintainer merging a revision that cites the need closes it too.
 * - Each record is judged against the need as its author saw it: the records it names in `prev`,
 *   transitively (a claim on a need its author saw closed is ignored; so is a close of a need
 *   already closed, or a release without a claim).
 * - Closed or not is decided by the latest closes and reopens (those no later close or reopen
 *   names): all closes, closed; any reopen among them, open. A close and a reopen made without
 *   seeing each other leave the need open: a need someone says is still needed stays visible, and
 *   closing it again is one record that names both.
 * - A claim stands until its author releases it or a close or reopen that saw it ends it.
 */
import type { RejectedRecord } from '../history.js'
import type { ChangeHash, DesignId, DocumentId, PersonId, RecordId } from '../ids.js'
import { MAX_NEED_LABELS, MAX_NEED_OPS_PER_AUTHOR, MAX_NEEDS_PER_AUTHOR, MAX_NEEDS_SUMMARY_LABELS, MAX_RECORD_PARENTS, MAX_REJECTED_REPORTED } from '../limits.js'
import { NameBook, type NameClaim } from '../names.js'
import type { NeedPayload, SignedRecord } from '../records.js'
import { orderRecords } from './order.js'

export type NeedStatus = 'open' | 'claimed' | 'closed'
/** Where in a design a BOM row, step or file id is (the sections an anchor can point into). */
export type NeedSection = 'bom' | 'steps' | 'files'
export type NeedOp = NeedPayload['op']

/** What a need (or a comment) is about: an entry of the design, which may since have been removed. */
export interface Anchor {
  id: string
  /** The section it is (or was, at the record's base) in; null when this store cannot tell. */
  section: NeedSection | null
  /** False when the canonical design no longer has it: the anchor stays, and says it is gone. */
  present: boolean
}

/** A merge of the design that cites needs: through the merged revision's `needs`. */
export interface NeedMerge {
  proposal: DocumentId
  revision: RecordId
  /** The needs the merged revision cites (opening record ids). */
  needs: readonly RecordId[]
  /** The content records that approved the merge: a reopen names them in `prev` to say it saw it. */
  records: readonly RecordId[]
  /** Maintainers who signed the merge; the last one completed it. */
  signers: readonly PersonId[]
  /** When it was accepted (the accepting verdict's time, as its author claims). */
  time: number
}

/** What the fold needs to know of the design. */
export interface NeedsFacts {
  design: DesignId
  maintainers: readonly PersonId[]
  merges: readonly NeedMerge[]
  /** The section of the canonical entry with this id, or null when the canonical design has none. */
  section(id: string): NeedSection | null
  /** The section an entry was in at given content heads (for anchors since removed), if known. */
  sectionAt?(id: string, heads: readonly ChangeHash[]): NeedSection | null
}

export interface NeedEvent {
  op: NeedOp
  actor: PersonId
  time: number
  /** The record (for a merge: the last content record that approved it). */
  record: RecordId
  /** A close: what resolved it (a proposal or a design), if the closer said. */
  by?: DocumentId | null
  /** A close by a merge: the proposal and revision merged. */
  merge?: { proposal: DocumentId; revision: RecordId }
}

export interface NeedClosure {
  /** Who closed it (for a merge: the maintainer whose signature completed it). */
  actor: PersonId
  record: RecordId
  time: number
  /** What resolved it: the closer's `by`, or the merged proposal. */
  by: DocumentId | null
  /** Set when the need was closed by merging a revision that cites it. */
  merge: { proposal: DocumentId; revision: RecordId } | null
}

export interface Need {
  /** The opening record's id: the need's id. */
  id: RecordId
  design: DesignId
  author: PersonId
  time: number
  title: string
  body: string
  labels: string[]
  about: Anchor | null
  status: NeedStatus
  /** Who claims it now (none while it is closed), in the order they claimed it (by claimed time, then id). */
  claims: PersonId[]
  closed: NeedClosure | null
  /** How many times it was reopened. */
  reopened: number
  /** Every record that counted, and every merge that closed it: by claimed time (ties: the fold's order, merges last). */
  events: NeedEvent[]
  /** The latest time among its events (authors' clocks). */
  updated: number
  /** What a new record about this need names in `prev`: its latest records (and merges). */
  heads: RecordId[]
}

export interface NeedsState {
  design: DesignId
  /** In the fold's order (a causal order, ties by record id); views sort as they like. */
  needs: Need[]
  ignored: RejectedRecord[]
  /** Names signed into the need records that counted. */
  names: NameClaim[]
}

/** What a catalogue entry carries: the counts and the labels of the needs not yet closed. */
export interface NeedsSummary {
  open: number
  claimed: number
  closed: number
  /** Labels of open and claimed needs, the most widely used first (by how many authors use them). */
  labels: string[]
}

type NeedRecord = SignedRecord<NeedPayload>
type OpenPayload = Extract<NeedPayload, { op: 'open' }>

interface Op {
  record: NeedRecord
  op: Exclude<NeedOp, 'open'>
}

interface MergeClose {
  merge: NeedMerge
  ids: Set<string>
}

interface Working {
  need: Need
  opening: NeedRecord
  /** Ops that counted, in order. */
  valid: Op[]
  merges: MergeClose[]
}

export function foldNeeds(records: readonly SignedRecord[], facts: NeedsFacts): NeedsState {
  const ignored: RejectedRecord[] = []
  let unlisted = 0
  const ignore = (r: SignedRecord, reason: string) => {
    if (ignored.length < MAX_REJECTED_REPORTED) ignored.push({ id: r.id, kind: r.body.payload.kind, author: r.body.author, reason })
    else unlisted++
  }
  const ordered = orderRecords(records.filter((r): r is NeedRecord => r.body.payload.kind === 'need'))

  // What each record's author had seen: its ancestors through `prev` (merge records included).
  const ancestors = new Map<RecordId, Set<string>>()
  for (const r of ordered) {
    const anc = new Set<string>()
    for (const p of r.body.prev) {
      anc.add(p)
      for (const a of ancestors.get(p) ?? []) anc.add(a)
    }
    ancestors.set(r.id, anc)
  }

  const working = new Map<RecordId, Working>()
  const opened = new Map<PersonId, number>()
  const opsBy = new Map<string, number>()
  const counted: SignedRecord[] = []
  const mayClose = (author: PersonId, w: Working) => author === w.need.author || facts.maintainers.includes(author)

  for (const r of ordered) {
    const p = r.body.payload
    if (p.op === 'open') {
      const n = opened.get(r.body.author) ?? 0
      if (n >= MAX_NEEDS_PER_AUTHOR) {
        ignore(r, `more than ${MAX_NEEDS_PER_AUTHOR} needs opened by one author`)
        continue
      }
      opened.set(r.body.author, n + 1)
      working.set(r.id, { need: openNeed(r as SignedRecord<OpenPayload>, facts), opening: r, valid: [], merges: [] })
      counted.push(r)
      continue
    }
    const w = working.get(p.need)
    if (w === undefined) {
      ignore(r, 'names a need this design does not hold')
      continue
    }
    const key = `${r.body.author}|${p.need}`
    const n = opsBy.get(key) ?? 0
    if (n >= MAX_NEED_OPS_PER_AUTHOR) {
      ignore(r, `more than ${MAX_NEED_OPS_PER_AUTHOR} records by one author on one need`)
      continue
    }
    if ((p.op === 'close' || p.op === 'reopen') && !mayClose(r.body.author, w)) {
      ignore(r, `${p.op} by someone who is neither the need's author nor a maintainer`)
      continue
    }
    // The need as this record's author saw it.
    const seen = ancestors.get(r.id)!
    const seenOps = w.valid.filter((o) => seen.has(o.record.id))
    const seenMerges = mergesFor(w.need.id, facts).filter((m) => [...m.ids].some((id) => seen.has(id)))
    const closedThen = isClosed(seenOps, seenMerges, ancestors)
    let problem: string | null = null
    if (p.op === 'claim') {
      if (closedThen) problem = 'claim on a need its author saw closed'
      else if (standingClaim(r.body.author, seenOps, ancestors) !== null) problem = 'already claimed by its author'
    } else if (p.op === 'release') {
      if (standingClaim(r.body.author, seenOps, ancestors) === null) problem = 'release without a claim'
    } else if (p.op === 'close') {
      if (closedThen) problem = 'close of a need already closed'
    } else if (!closedThen) problem = 'reopen of a need that is not closed'
    if (problem !== null) {
      ignore(r, problem)
      continue
    }
    opsBy.set(key, n + 1)
    w.valid.push({ record: r, op: p.op })
    counted.push(r)
  }

  // Merges citing needs this design does not hold change nothing (and say so).
  for (const m of facts.merges) {
    for (const id of m.needs) {
      if (working.has(id)) working.get(id)!.merges.push({ merge: m, ids: mergeIds(m) })
      else if (ignored.length < MAX_REJECTED_REPORTED) ignored.push({ id: m.revision, kind: 'revision', author: null, reason: `a merged revision cites need ${id}, which this design does not hold` })
      else unlisted++
    }
  }

  const needs = [...working.values()].map((w) => finish(w, ancestors))
  if (unlisted > 0) ignored.push({ id: null, kind: null, author: null, reason: `${unlisted} more ignored need record(s) not listed` })
  return { design: facts.design, needs, ignored, names: NameBook.from(counted).claims() }
}

function openNeed(r: SignedRecord<OpenPayload>, facts: NeedsFacts): Need {
  const p = r.body.payload
  return {
    id: r.id,
    design: facts.design,
    author: r.body.author,
    time: r.body.time,
    title: p.title,
    body: p.body,
    labels: [...p.labels],
    about: p.about === null ? null : anchorOf(p.about, r.body.base, facts),
    status: 'open',
    claims: [],
    closed: null,
    reopened: 0,
    events: [],
    updated: r.body.time,
    heads: [],
  }
}

/** Where an id a record is about sits in the canonical design, or where it sat at the record's base. */
export function anchorOf(id: string, base: readonly ChangeHash[], facts: Pick<NeedsFacts, 'section' | 'sectionAt'>): Anchor {
  const section = facts.section(id)
  if (section !== null) return { id, section, present: true }
  return { id, section: base.length === 0 ? null : (facts.sectionAt?.(id, base) ?? null), present: false }
}

function mergeIds(m: NeedMerge): Set<string> {
  return new Set<string>([...m.records, m.revision])
}

function mergesFor(need: RecordId, facts: NeedsFacts): MergeClose[] {
  return facts.merges.filter((m) => m.needs.includes(need)).map((m) => ({ merge: m, ids: mergeIds(m) }))
}

/** Closed when the latest closes and reopens (those no other one names) are all closes. */
function isClosed(ops: readonly Op[], merges: readonly MergeClose[], ancestors: Map<RecordId, Set<string>>): boolean {
  return latestClosings(ops, merges, ancestors).closed
}

function latestClosings(
  ops: readonly Op[],
  merges: readonly MergeClose[],
  ancestors: Map<RecordId, Set<string>>,
): { closed: boolean; closes: Op[]; merges: MergeClose[] } {
  const cr = ops.filter((o) => o.op === 'close' || o.op === 'reopen')
  const later = (id: string) => cr.some((o) => ancestors.get(o.record.id)!.has(id))
  const latestOps = cr.filter((o) => !later(o.record.id))
  // A merge is outside the inbox's records: a reopen supersedes it by naming one of its records.
  const latestMerges = merges.filter((m) => !cr.some((o) => o.op === 'reopen' && [...m.ids].some((id) => ancestors.get(o.record.id)!.has(id))))
  const closed = latestOps.length + latestMerges.length > 0 && latestOps.every((o) => o.op === 'close')
  return { closed, closes: latestOps.filter((o) => o.op === 'close'), merges: latestMerges }
}

/** `person`'s standing claim among `ops`: their latest claim or release, if a claim no close or reopen among `ops` saw. */
function standingClaim(person: PersonId, ops: readonly Op[], ancestors: Map<RecordId, Set<string>>): Op | null {
  const last = ops.filter((o) => o.record.body.author === person && (o.op === 'claim' || o.op === 'release')).at(-1)
  if (last?.op !== 'claim') return null
  const ended = ops.some((e) => (e.op === 'close' || e.op === 'reopen') && ancestors.get(e.record.id)!.has(last.record.id))
  return ended ? null : last
}

function finish(w: Working, ancestors: Map<RecordId, Set<string>>): Need {
  const need = w.need
  const { closed, closes, merges } = latestClosings(w.valid, w.merges, ancestors)
  // A person claims it when their latest claim or release (the last in order) is a claim that no
  // close or reopen saw.
  const claimants: { person: PersonId; claim: NeedRecord }[] = []
  for (const person of new Set(w.valid.filter((o) => o.op === 'claim').map((o) => o.record.body.author))) {
    const claim = standingClaim(person, w.valid, ancestors)
    if (claim !== null) claimants.push({ person, claim: claim.record })
  }
  claimants.sort((a, b) => a.claim.body.time - b.claim.body.time || (a.claim.id < b.claim.id ? -1 : 1))

  const events: NeedEvent[] = [
    { op: 'open' as const, actor: need.author, time: need.time, record: need.id },
    ...w.valid.map((o) => {
      const p = o.record.body.payload
      return {
        op: o.op,
        actor: o.record.body.author,
        time: o.record.body.time,
        record: o.record.id,
        ...(p.op === 'close' ? { by: p.by } : {}),
      }
    }),
    ...w.merges.map(({ merge: m }) => ({
      op: 'close' as const,
      actor: m.signers.at(-1) ?? need.author,
      time: m.time,
      record: m.records.at(-1) ?? m.revision,
      by: m.proposal,
      merge: { proposal: m.proposal, revision: m.revision },
    })),
  ].sort((a, b) => a.time - b.time)

  let closure: NeedClosure | null = null
  if (closed) {
    // A merge says the most about what resolved it; among closes, the last in the fold's order.
    const m = [...merges].sort((a, b) => (a.merge.revision < b.merge.revision ? -1 : 1))[0]
    if (m !== undefined) {
      closure = {
        actor: m.merge.signers.at(-1) ?? need.author,
        record: m.merge.records.at(-1) ?? m.merge.revision,
        time: m.merge.time,
        by: m.merge.proposal,
        merge: { proposal: m.merge.proposal, revision: m.merge.revision },
      }
    } else {
      const c = closes.at(-1)!
      const p = c.record.body.payload as Extract<NeedPayload, { op: 'close' }>
      closure = { actor: c.record.body.author, record: c.record.id, time: c.record.body.time, by: p.by, merge: null }
    }
  }

  // Heads: records of this need no other of its records names, and the merges no reopen saw.
  const all = [w.opening, ...w.valid.map((o) => o.record)]
  const named = new Set(all.flatMap((r) => [...ancestors.get(r.id)!]))
  const heads = [
    ...merges.flatMap((m) => [...m.merge.records]),
    ...all.filter((r) => !named.has(r.id)).map((r) => r.id),
  ]
  return {
    ...need,
    status: closed ? 'closed' : claimants.length > 0 ? 'claimed' : 'open',
    claims: closed ? [] : claimants.map((c) => c.person),
    closed: closure,
    reopened: w.valid.filter((o) => o.op === 'reopen').length,
    events,
    updated: Math.max(...events.map((e) => e.time)),
    heads: [...new Set(heads)].sort().slice(0, MAX_RECORD_PARENTS) as RecordId[],
  }
}

/**
 * The summary a catalogue carries: counts by status, and the labels of needs not yet closed. Each
 * author adds at most MAX_NEED_LABELS labels (their most used), and a label ranks by how many
 * authors use it: one key's flood of labels weighs as one person and hides nobody's.
 */
export function needsSummary(state: Pick<NeedsState, 'needs'>): NeedsSummary {
  const counts = { open: 0, claimed: 0, closed: 0 }
  const perAuthor = new Map<PersonId, Map<string, number>>()
  for (const n of state.needs) {
    counts[n.status]++
    if (n.status === 'closed') continue
    const mine = perAuthor.get(n.author) ?? new Map<string, number>()
    for (const l of n.labels) mine.set(l, (mine.get(l) ?? 0) + 1)
    perAuthor.set(n.author, mine)
  }
  const authors = new Map<string, number>()
  for (const mine of perAuthor.values()) {
    const top = [...mine].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_NEED_LABELS)
    for (const [label] of top) authors.set(label, (authors.get(label) ?? 0) + 1)
  }
  const labels = [...authors]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_NEEDS_SUMMARY_LABELS)
    .map(([l]) => l)
  return { ...counts, labels }
}

export interface NeedFilter {
  /** One status; by default every need not closed (open and claimed). */
  status?: NeedStatus
  /** Needs carrying this label (case-insensitive). */
  label?: string
  /** Words that must all appear in the title, body or labels (case-insensitive). */
  text?: string
}

/** The needs a board shows for a filter. */
export function matchesNeed(need: Need, filter: NeedFilter = {}): boolean {
  if (filter.status === undefined ? need.status === 'closed' : need.status !== filter.status) return false
  if (filter.label !== undefined) {
    const l = filter.label.toLowerCase()
    if (!need.labels.some((x) => x.toLowerCase() === l)) return false
  }
  if (filter.text !== undefined) {
    const hay = `${need.title}\n${need.body}\n${need.labels.join(' ')}`.toLowerCase()
    if (!filter.text.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w))) return false
  }
  return true
}

/**
 * Whether a design whose summary this is may have needs the filter wants (a board decides from it
 * which designs to open). A summary whose labels were cut at MAX_NEEDS_SUMMARY_LABELS cannot rule
 * a label out, nor can one of closed needs (it lists the labels of needs not closed).
 */
export function summaryMatches(summary: NeedsSummary, filter: NeedFilter = {}): boolean {
  const count = filter.status === undefined ? summary.open + summary.claimed : summary[filter.status]
  if (count === 0) return false
  if (filter.label !== undefined && filter.status !== 'closed' && summary.labels.length < MAX_NEEDS_SUMMARY_LABELS) {
    const l = filter.label.toLowerCase()
    return summary.labels.some((x) => x.toLowerCase() === l)
  }
  return true
}
