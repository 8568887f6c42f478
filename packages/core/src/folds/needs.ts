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
import { recordName, type NeedPayload, type SignedRecord } from '../records.js'
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
  /** Position in the fold's order. */
  index: number
}

/** A close or reopen (or a merge's close) that counted, with every other one its author had seen. */
interface Closing {
  key: string
  op: 'close' | 'reopen'
  seen: ReadonlySet<string>
  index: number
  record?: Op
  merge?: NeedMerge
}

/**
 * A need as one record's author saw it: the latest closes and reopens they had seen (none of them
 * seen by another), and each person's latest claim or release, ended once a close or reopen saw it.
 */
interface SeenState {
  latest: ReadonlyMap<string, Closing>
  claims: ReadonlyMap<PersonId, { op: Op; ended: boolean }>
}

interface Working {
  need: Need
  opening: NeedRecord
  /** Ops that counted, in order. */
  valid: Op[]
  /** Merges that cite this need, by the ids a record names to say it saw one. */
  merges: Map<string, Closing>
  /** The need as seen at each of its records (counted or not). */
  states: Map<RecordId, SeenState>
}

const EMPTY: SeenState = { latest: new Map(), claims: new Map() }

/**
 * Folds the inbox's verified records (any kinds; needs are picked out) with what the design says.
 * Each record's view of its need is its parents' views merged, so the fold costs about one step per
 * record (plus the closes and reopens each one saw), not a walk over every record's ancestors.
 */
export function foldNeeds(records: readonly SignedRecord[], facts: NeedsFacts): NeedsState {
  const ignored: RejectedRecord[] = []
  let unlisted = 0
  const ignore = (r: SignedRecord, reason: string) => {
    if (ignored.length < MAX_REJECTED_REPORTED) ignored.push({ id: r.id, kind: r.body.payload.kind, author: r.body.author, reason })
    else unlisted++
  }
  const ordered = orderRecords(records.filter((r): r is NeedRecord => r.body.payload.kind === 'need'))

  const working = new Map<RecordId, Working>()
  const opened = new Map<PersonId, number>()
  const opsBy = new Map<string, number>()
  const counted: SignedRecord[] = []
  const mayClose = (author: PersonId, w: Working) => author === w.need.author || facts.maintainers.includes(author)
  // Each merge citing a need closes it; a record names one of its ids to say it saw the merge.
  const mergesOf = new Map<RecordId, Map<string, Closing>>()
  for (const m of facts.merges) {
    const closing: Closing = { key: `merge/${m.revision}`, op: 'close', seen: new Set(), index: Number.MAX_SAFE_INTEGER, merge: m }
    for (const need of m.needs) {
      const byId = mergesOf.get(need) ?? new Map<string, Closing>()
      for (const id of [...m.records, m.revision]) byId.set(id, closing)
      mergesOf.set(need, byId)
    }
  }

  ordered.forEach((r, index) => {
    const p = r.body.payload
    if (p.op === 'open') {
      const n = opened.get(r.body.author) ?? 0
      if (n >= MAX_NEEDS_PER_AUTHOR) {
        ignore(r, `more than ${MAX_NEEDS_PER_AUTHOR} needs opened by one author`)
        return
      }
      opened.set(r.body.author, n + 1)
      const w: Working = { need: openNeed(r as SignedRecord<OpenPayload>, facts), opening: r, valid: [], merges: mergesOf.get(r.id) ?? new Map(), states: new Map([[r.id, EMPTY]]) }
      working.set(r.id, w)
      counted.push(r)
      return
    }
    const w = working.get(p.need)
    if (w === undefined) {
      ignore(r, 'names a need this design does not hold')
      return
    }
    // The need as this record's author saw it: what the records it names saw, merged.
    const seen = seenBy(r, w)
    const settle = (problem: string | null, op?: Op) => {
      w.states.set(r.id, op === undefined ? seen : apply(seen, op))
      if (problem !== null) ignore(r, problem)
    }
    const key = `${r.body.author}|${p.need}`
    const n = opsBy.get(key) ?? 0
    if (n >= MAX_NEED_OPS_PER_AUTHOR) return settle(`more than ${MAX_NEED_OPS_PER_AUTHOR} records by one author on one need`)
    if ((p.op === 'close' || p.op === 'reopen') && !mayClose(r.body.author, w)) return settle(`${p.op} by someone who is neither the need's author nor a maintainer`)
    const closedThen = isClosed(seen)
    const claiming = standing(seen, r.body.author) !== null
    let problem: string | null = null
    if (p.op === 'claim') problem = closedThen ? 'claim on a need its author saw closed' : claiming ? 'already claimed by its author' : null
    else if (p.op === 'release') problem = claiming ? null : 'release without a claim'
    else if (p.op === 'close') problem = closedThen ? 'close of a need already closed' : null
    else problem = closedThen ? null : 'reopen of a need that is not closed'
    if (problem !== null) return settle(problem)
    const op: Op = { record: r, op: p.op, index }
    opsBy.set(key, n + 1)
    w.valid.push(op)
    counted.push(r)
    settle(null, op)
  })

  // Merges citing needs this design does not hold change nothing (and say so).
  for (const m of facts.merges) {
    for (const id of m.needs) {
      if (working.has(id)) continue
      if (ignored.length < MAX_REJECTED_REPORTED) ignored.push({ id: m.revision, kind: 'revision', author: null, reason: `a merged revision cites need ${id}, which this design does not hold` })
      else unlisted++
    }
  }
  const needs = [...working.values()].map((w) => finish(w))
  if (unlisted > 0) ignored.push({ id: null, kind: null, author: null, reason: `${unlisted} more ignored need record(s) not listed` })
  return { design: facts.design, needs, ignored, names: NameBook.from(latestNamed(counted)).claims() }
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


/** The need as `r`'s author saw it: the states of the records of this need it names, and the merges it names, merged. */
function seenBy(r: NeedRecord, w: Working): SeenState {
  const states: SeenState[] = []
  const merges: Closing[] = []
  for (const p of r.body.prev) {
    const state = w.states.get(p as RecordId)
    if (state !== undefined) states.push(state)
    const merge = w.merges.get(p)
    if (merge !== undefined) merges.push(merge)
  }
  if (merges.length === 0 && states.length === 1) return states[0]!
  return mergeStates([...states, { latest: new Map(merges.map((m) => [m.key, m])), claims: new Map() }])
}

/** What several authors saw, together: the latest closings none of the others saw; each person's latest claim or release. */
function mergeStates(states: readonly SeenState[]): SeenState {
  const all = new Map<string, Closing>()
  for (const s of states) for (const [k, c] of s.latest) all.set(k, c)
  const latest = new Map([...all].filter(([k]) => ![...all.values()].some((c) => c.seen.has(k))))
  const claims = new Map<PersonId, { op: Op; ended: boolean }>()
  for (const s of states) {
    for (const [person, c] of s.claims) {
      const known = claims.get(person)
      if (known === undefined || c.op.index > known.op.index || (c.op === known.op && c.ended && !known.ended)) claims.set(person, c)
    }
  }
  return { latest, claims }
}

/** The state after a record that counted: a close or reopen supersedes all it saw and ends the claims it saw. */
function apply(seen: SeenState, op: Op): SeenState {
  if (op.op === 'claim' || op.op === 'release') {
    const claims = new Map(seen.claims)
    claims.set(op.record.body.author, { op, ended: false })
    return { latest: seen.latest, claims }
  }
  const before = new Set<string>()
  for (const c of seen.latest.values()) {
    before.add(c.key)
    for (const k of c.seen) before.add(k)
  }
  const closing: Closing = { key: op.record.id, op: op.op, seen: before, index: op.index, record: op }
  const claims = new Map([...seen.claims].map(([person, c]) => [person, { op: c.op, ended: true }]))
  return { latest: new Map([[closing.key, closing]]), claims }
}

/** Closed when the latest closes and reopens are all closes (a reopen among them leaves it open). */
function isClosed(state: SeenState): boolean {
  const latest = [...state.latest.values()]
  return latest.length > 0 && latest.every((c) => c.op === 'close')
}

/** A person's standing claim: their latest claim or release, if a claim no close or reopen saw. */
function standing(state: SeenState, person: PersonId): Op | null {
  const c = state.claims.get(person)
  return c === undefined || c.ended || c.op.op !== 'claim' ? null : c.op
}

function finish(w: Working): Need {
  const need = w.need
  const merges = [...new Set(w.merges.values())]
  // Everything anyone saw: the states of all its records, and every merge citing it.
  const final = mergeStates([...w.states.values(), { latest: new Map(merges.map((m) => [m.key, m])), claims: new Map() }])
  const closed = isClosed(final)
  const claimants = [...final.claims.keys()]
    .flatMap((person) => {
      const claim = standing(final, person)
      return claim === null ? [] : [{ person, claim: claim.record }]
    })
    .sort((a, b) => a.claim.body.time - b.claim.body.time || (a.claim.id < b.claim.id ? -1 : 1))

  const events: NeedEvent[] = [
    { op: 'open' as const, actor: need.author, time: need.time, record: need.id },
    ...w.valid.map((o) => {
      const p = o.record.body.payload
      return { op: o.op, actor: o.record.body.author, time: o.record.body.time, record: o.record.id, ...(p.op === 'close' ? { by: p.by } : {}) }
    }),
    ...merges.map((c) => mergeEvent(c.merge!, need)),
  ].sort((a, b) => a.time - b.time)

  let closure: NeedClosure | null = null
  if (closed) {
    // A merge says the most about what resolved it; among closes, the last in the fold's order.
    const latest = [...final.latest.values()]
    const m = latest.filter((c) => c.merge !== undefined).sort((a, b) => (a.key < b.key ? -1 : 1))[0]?.merge
    if (m !== undefined) {
      const e = mergeEvent(m, need)
      closure = { actor: e.actor, record: e.record, time: e.time, by: m.proposal, merge: e.merge }
    } else {
      const c = latest.sort((a, b) => a.index - b.index).at(-1)!.record!.record
      const p = c.body.payload as Extract<NeedPayload, { op: 'close' }>
      closure = { actor: c.body.author, record: c.id, time: c.body.time, by: p.by, merge: null }
    }
  }

  // Heads: records of this need no other of its records names, and the latest merges.
  const counted = [w.opening, ...w.valid.map((v) => v.record)]
  const named = new Set(counted.flatMap((r) => r.body.prev))
  const heads = [...[...final.latest.values()].flatMap((c) => (c.merge === undefined ? [] : [...c.merge.records])), ...counted.filter((r) => !named.has(r.id)).map((r) => r.id)]
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

/** Each author's latest record that carries a name: all a name book needs (cleaning every name costs). */
function latestNamed(records: readonly SignedRecord[]): SignedRecord[] {
  const byAuthor = new Map<string, SignedRecord[]>()
  for (const r of records) if (r.body.name !== undefined) byAuthor.set(r.body.author, [...(byAuthor.get(r.body.author) ?? []), r])
  const out: SignedRecord[] = []
  for (const mine of byAuthor.values()) {
    mine.sort((a, b) => b.body.time - a.body.time || (a.id < b.id ? 1 : -1))
    const named = mine.find((r) => recordName(r) !== null)
    if (named !== undefined) out.push(named)
  }
  return out
}

function mergeEvent(m: NeedMerge, need: Need): NeedEvent & { merge: { proposal: DocumentId; revision: RecordId } } {
  return {
    op: 'close',
    actor: m.signers.at(-1) ?? need.author,
    time: m.time,
    record: m.records.at(-1) ?? m.revision,
    by: m.proposal,
    merge: { proposal: m.proposal, revision: m.revision },
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
