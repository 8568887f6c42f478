/**
 * Open value accounting: who contributed what to a design, computed from verified records only.
 * Pure; tested by tables (test/folds/contributions.test.ts). What counts and why is in
 * docs/contributions.md; in short, per person:
 *
 * - merged: each merged proposal credits its author and every author of the source's signed
 *   content records that entered with the merge (followed back through the source's own merges,
 *   up to MAX_CREDIT_DEPTH designs), not the merging maintainer alone;
 * - rows / steps / files: each BOM row, step or file is credited to whoever signed the change
 *   that created it, found by diffing each signed change (its base against its heads), followed
 *   through merges to the source's change that created it (the proposal's author when it cannot
 *   be followed);
 * - reviews (verdicts on proposals, co-signatures), merges (signatures of merges and updates),
 *   comments, needs opened, makes, maintainership periods;
 * - cited: the signed changes of the designs this one took content from (its upstream at the
 *   fork, later updates), credited to their authors as citations.
 *
 * Nothing here trusts a document's state: the inputs are verified folds (governance, proposals,
 * inbox, makes), so a stranger's unsigned or invalid write, or a signed record the folds ignore,
 * earns nothing. No weights, no money: counts and the events behind them.
 */
import type { GovernanceHistory } from './governance.js'
import type { ProposalState } from './proposal.js'
import type { Make } from './makes.js'
import type { ChangeHash, DesignId, DocumentId, PersonId, RecordId } from '../ids.js'
import { headsKey } from '../ids.js'
import { MAX_CREDIT_DEPTH } from '../limits.js'
import type { ForkOrigin, ProposalRef } from '../records.js'

/** An approved content change of a design, as accounting reads it. */
export interface CreditChange {
  /** The signatures that approved it; the first one wrote the change. */
  records: RecordId[]
  reason: 'edit' | 'merge' | 'update'
  heads: ChangeHash[]
  /** The canonical heads the first signer built on. */
  base: ChangeHash[]
  signers: PersonId[]
  time: number
  proposal: ProposalRef | null
  from: ForkOrigin | null
  summary: string
}

export interface CreditProposal {
  id: DocumentId
  author: PersonId
  source: DesignId
  title: string
  opening: RecordId
  verdicts: { record: RecordId; author: PersonId; time: number; verdict: 'accept' | 'reject' }[]
  comments: { record: RecordId; author: PersonId; time: number }[]
}

/** What accounting needs of one design: from its verified history and its verified proposals. */
export interface CreditDesign {
  id: DesignId
  creator: PersonId
  genesis: RecordId
  created: number
  genesisHeads: ChangeHash[]
  forkedFrom: ForkOrigin | null
  /** Approved content changes, in the governance fold's order. */
  changes: CreditChange[]
  /** Maintainers added and removed, in order (the record that completed each action). */
  maintainership: { person: PersonId; op: 'add' | 'remove'; record: RecordId; time: number }[]
  proposals: CreditProposal[]
}

/** Which entries a signed change created (ids per section), read from the content document. */
export interface Introduced {
  bom: readonly string[]
  steps: readonly string[]
  files: readonly string[]
}

/** The content document's answers, for heads verified records name. */
export interface ContentFacts {
  /** True when every one of `heads` is (an ancestor of) `of`; null when this store cannot tell. */
  covers(of: readonly ChangeHash[], heads: readonly ChangeHash[]): boolean | null
  /** The entries created between `base` and `heads`; null when this store cannot tell. */
  introduced(base: readonly ChangeHash[], heads: readonly ChangeHash[]): Introduced | null
}

export type CreditKind = 'merged' | 'row' | 'step' | 'file' | 'review' | 'merge' | 'comment' | 'need' | 'make' | 'maintainer' | 'cited'

/** One credited contribution, with the signed record it comes from. */
export interface CreditEvent {
  /** Unique within one reckoning. */
  id: string
  kind: CreditKind
  person: PersonId
  /** The record's claimed time (the author's clock: informative only). */
  time: number
  /** The signed record that proves it. */
  record: RecordId
  /** The design worked on: this design, or for `cited` the design whose work was taken in. */
  design: DesignId
  /** What: a proposal's title, an entry's id, a make's place, a change's summary. */
  detail: string
}

export interface Contributor {
  id: PersonId
  merged: number
  rows: number
  steps: number
  files: number
  reviews: number
  merges: number
  comments: number
  needs: number
  makes: number
  cited: number
  /** When they maintained the design (claimed times; `until` null: still a maintainer). */
  maintainer: { since: number; until: number | null }[]
}

export interface Contributions {
  design: DesignId
  /** In order of first contribution (the creator first). */
  contributors: Contributor[]
  events: CreditEvent[]
  /** Designs whose work entered this one but which this store does not hold: their authors are not credited yet. */
  missing: DesignId[]
}

export interface ContributionInput {
  design: CreditDesign
  /** Other designs (merged proposals' sources, upstreams) this store holds; null when it does not. */
  related(id: DesignId): CreditDesign | null
  /** The design's content document (which holds every change that entered it). */
  content: ContentFacts
  /** The design's discussion (verified, bounded per author). */
  comments: readonly { record: RecordId; author: PersonId; time: number }[]
  /** Needs opened on the design (verified). */
  needs: readonly { record: RecordId; author: PersonId; time: number; title: string }[]
  makes: readonly Make[]
}

/** The accounting view of a verified design (its governance history and its verified proposals). */
export function creditDesign(history: GovernanceHistory, proposals: readonly ProposalState[]): CreditDesign {
  const byId = new Map(history.valid.map((r) => [r.id, r]))
  const genesis = history.state.genesis
  const changes: CreditChange[] = []
  for (const a of history.approvals) {
    if (!a.approved || a.reason === 'genesis') continue
    const first = byId.get(a.records[0]!)
    if (first === undefined) continue
    changes.push({
      records: a.records,
      reason: a.reason,
      heads: a.heads,
      base: first.body.base,
      signers: a.signers,
      time: first.body.time,
      proposal: a.proposal as ProposalRef | null,
      from: a.from ?? null,
      summary: a.summary,
    })
  }
  const maintainership: CreditDesign['maintainership'] = []
  for (const a of history.applied) {
    if (a.action.op === 'threshold') continue
    const record = a.records.at(-1)!
    maintainership.push({ person: a.action.member, op: a.action.op, record, time: byId.get(record)?.body.time ?? 0 })
  }
  return {
    id: history.state.design,
    creator: genesis.body.author,
    genesis: genesis.id,
    created: genesis.body.time,
    genesisHeads: genesis.body.heads,
    forkedFrom: genesis.body.payload.forkedFrom,
    changes,
    maintainership,
    proposals: proposals
      .filter((p) => p.target === history.state.design)
      .map((p) => ({
        id: p.id,
        author: p.author,
        source: p.source,
        title: p.title,
        opening: p.opening,
        verdicts: p.verdicts.map((v) => ({ record: v.record, author: v.author, time: v.time, verdict: v.verdict })),
        comments: p.comments.map((c) => ({ record: c.record, author: c.author, time: c.time })),
      })),
  }
}

type Section = keyof Introduced
const SECTION_KIND: Record<Section, CreditKind> = { bom: 'row', steps: 'step', files: 'file' }
type Credit = { person: PersonId; record: RecordId; time: number }

export function foldContributions(input: ContributionInput): Contributions {
  const d = input.design
  const events: CreditEvent[] = []
  const ids = new Set<string>()
  const missing = new Set<DesignId>()
  const emit = (kind: CreditKind, c: Credit, detail: string, design: DesignId = d.id, key = '') => {
    const id = `${c.record}/${kind}/${c.person}${key === '' ? '' : `/${key}`}`
    if (ids.has(id)) return
    ids.add(id)
    events.push({ id, kind, person: c.person, time: c.time, record: c.record, design, detail })
  }
  const trace = new Tracer(input, missing)

  // Who created it, and maintainership over time.
  emit('maintainer', { person: d.creator, record: d.genesis, time: d.created }, 'created the design')
  for (const m of d.maintainership) if (m.op === 'add') emit('maintainer', m, 'became a maintainer')

  // Where its content came from: the upstream at the fork.
  const credited = new Set<string>()
  if (d.forkedFrom === null) {
    const intro = input.content.introduced([], d.genesisHeads)
    if (intro !== null) creditEntries(intro, () => ({ person: d.creator, record: d.genesis, time: d.created }))
  } else {
    for (const [, c] of trace.within(d.forkedFrom.design, d.forkedFrom.heads, null, 1)) emit('cited', c.credit, c.detail, c.design)
  }

  function creditEntries(intro: Introduced, origin: (section: Section, entry: string) => Credit | null): void {
    for (const section of ['bom', 'steps', 'files'] as const) {
      for (const entry of intro[section]) {
        const key = `${section}:${entry}`
        if (credited.has(key)) continue
        const who = origin(section, entry)
        if (who === null) continue
        credited.add(key)
        emit(SECTION_KIND[section], who, entry, d.id, entry)
      }
    }
  }

  for (const change of d.changes) {
    const first: Credit = { person: change.signers[0]!, record: change.records[0]!, time: change.time }
    const cosigners = change.signers.slice(1).map((person, i) => ({ person, record: change.records[i + 1] ?? change.records[0]!, time: change.time }))
    if (change.reason === 'edit') {
      for (const c of cosigners) emit('review', c, change.summary)
      const intro = input.content.introduced(change.base, change.heads)
      if (intro !== null) creditEntries(intro, () => first)
      continue
    }
    for (const c of [first, ...cosigners]) emit('merge', c, change.summary)
    if (change.reason === 'update') {
      // Content taken in from another design: its authors are cited, not credited as this design's.
      if (change.from !== null) {
        for (const [, c] of trace.within(change.from.design, change.heads, change.base, 1)) emit('cited', c.credit, c.detail, c.design)
      }
      continue
    }
    const p = d.proposals.find((x) => x.id === change.proposal?.proposal)
    if (p === undefined) continue
    const author: Credit = { person: p.author, record: p.opening, time: first.time }
    // One `merged` per person per merge, whatever they wrote in it.
    const merge = change.records[0]!
    emit('merged', author, p.title, d.id, merge)
    for (const [person, c] of trace.within(p.source, change.heads, change.base, 1)) {
      if (person !== p.author) emit('merged', { ...c.credit, person }, p.title, d.id, merge)
    }
    const intro = input.content.introduced(change.base, change.heads)
    if (intro !== null) creditEntries(intro, (section, entry) => trace.origin(p.source, section, entry, change.heads, change.base, 1) ?? author)
  }

  for (const p of d.proposals) {
    for (const v of p.verdicts) emit('review', { person: v.author, record: v.record, time: v.time }, `${v.verdict === 'accept' ? 'accepted' : 'rejected'} "${p.title}"`)
    for (const c of p.comments) emit('comment', { person: c.author, record: c.record, time: c.time }, `on "${p.title}"`)
  }
  for (const c of input.comments) emit('comment', { person: c.author, record: c.record, time: c.time }, 'on the design')
  for (const n of input.needs) emit('need', { person: n.author, record: n.record, time: n.time }, n.title)
  for (const m of input.makes) emit('make', { person: m.author, record: m.make, time: m.time }, m.place)

  return { design: d.id, contributors: tally(d, events), events, missing: [...missing].sort() }
}

/**
 * Follows signed changes across designs: which changes of design D lie within heads R but not
 * within B (what a merge or an update took in), and who wrote them, through D's own merges and
 * its fork origin, at most MAX_CREDIT_DEPTH designs deep. Memoized per reckoning.
 */
class Tracer {
  readonly #memo = new Map<string, Map<PersonId, { credit: Credit; design: DesignId; detail: string }>>()

  constructor(
    readonly input: ContributionInput,
    readonly missing: Set<DesignId>,
  ) {}

  #design(id: DesignId): CreditDesign | null {
    const found = id === this.input.design.id ? this.input.design : this.input.related(id)
    if (found === null) this.missing.add(id)
    return found
  }

  #inRange(heads: readonly ChangeHash[], of: readonly ChangeHash[], base: readonly ChangeHash[] | null): boolean {
    const c = this.input.content
    return c.covers(of, heads) === true && (base === null || c.covers(base, heads) === false)
  }

  /** Who wrote the changes of `design` within `of` and not within `base`: one credit per person (their first). */
  within(design: DesignId, of: readonly ChangeHash[], base: readonly ChangeHash[] | null, depth: number) {
    const key = `${design}|${headsKey(of)}|${base === null ? '-' : headsKey(base)}`
    const known = this.#memo.get(key)
    if (known !== undefined) return known
    const out = new Map<PersonId, { credit: Credit; design: DesignId; detail: string }>()
    this.#memo.set(key, out)
    const d = depth > MAX_CREDIT_DEPTH ? null : this.#design(design)
    if (d === null) return out
    const add = (c: Credit, detail: string) => {
      if (!out.has(c.person)) out.set(c.person, { credit: c, design, detail })
    }
    if (this.#inRange(d.genesisHeads, of, base)) {
      if (d.forkedFrom === null) add({ person: d.creator, record: d.genesis, time: d.created }, 'created the design')
      else for (const [, c] of this.within(d.forkedFrom.design, d.forkedFrom.heads, base, depth + 1)) if (!out.has(c.credit.person)) out.set(c.credit.person, c)
    }
    for (const change of d.changes) {
      if (!this.#inRange(change.heads, of, base)) continue
      if (change.reason === 'edit') add({ person: change.signers[0]!, record: change.records[0]!, time: change.time }, change.summary)
      else if (change.reason === 'merge') {
        const p = d.proposals.find((x) => x.id === change.proposal?.proposal)
        if (p === undefined) continue
        add({ person: p.author, record: p.opening, time: change.time }, p.title)
        for (const [, c] of this.within(p.source, change.heads, change.base, depth + 1)) if (!out.has(c.credit.person)) out.set(c.credit.person, c)
      } else if (change.from !== null) {
        for (const [, c] of this.within(change.from.design, change.heads, change.base, depth + 1)) if (!out.has(c.credit.person)) out.set(c.credit.person, c)
      }
    }
    return out
  }

  /** Who signed the change of `design` (within `of`, not within `base`) that created an entry, followed through merges. */
  origin(design: DesignId, section: Section, entry: string, of: readonly ChangeHash[], base: readonly ChangeHash[] | null, depth: number): Credit | null {
    const d = depth > MAX_CREDIT_DEPTH ? null : this.#design(design)
    if (d === null) return null
    const creates = (b: readonly ChangeHash[], h: readonly ChangeHash[]) => this.input.content.introduced(b, h)?.[section].includes(entry) === true
    for (const change of d.changes) {
      if (!this.#inRange(change.heads, of, base) || !creates(change.base, change.heads)) continue
      if (change.reason === 'edit') return { person: change.signers[0]!, record: change.records[0]!, time: change.time }
      if (change.reason === 'merge') {
        const p = d.proposals.find((x) => x.id === change.proposal?.proposal)
        if (p === undefined) return null
        return this.origin(p.source, section, entry, change.heads, change.base, depth + 1) ?? { person: p.author, record: p.opening, time: change.time }
      }
      return null
    }
    if (this.#inRange(d.genesisHeads, of, base)) {
      if (d.forkedFrom === null) return creates([], d.genesisHeads) ? { person: d.creator, record: d.genesis, time: d.created } : null
      return this.origin(d.forkedFrom.design, section, entry, d.forkedFrom.heads, base, depth + 1)
    }
    return null
  }
}

const COUNTED: Record<Exclude<CreditKind, 'maintainer'>, keyof Omit<Contributor, 'id' | 'maintainer'>> = {
  merged: 'merged',
  row: 'rows',
  step: 'steps',
  file: 'files',
  review: 'reviews',
  merge: 'merges',
  comment: 'comments',
  need: 'needs',
  make: 'makes',
  cited: 'cited',
}

function tally(d: CreditDesign, events: readonly CreditEvent[]): Contributor[] {
  const out = new Map<PersonId, Contributor>()
  const get = (id: PersonId) => {
    let c = out.get(id)
    if (c === undefined) {
      c = { id, merged: 0, rows: 0, steps: 0, files: 0, reviews: 0, merges: 0, comments: 0, needs: 0, makes: 0, cited: 0, maintainer: [] }
      out.set(id, c)
    }
    return c
  }
  for (const e of events) {
    const c = get(e.person)
    if (e.kind !== 'maintainer') c[COUNTED[e.kind]]++
  }
  // Maintainership periods, from the genesis and the add / remove actions in the fold's order.
  get(d.creator).maintainer.push({ since: d.created, until: null })
  for (const m of d.maintainership) {
    const periods = get(m.person).maintainer
    const open = periods.find((p) => p.until === null)
    if (m.op === 'add' && open === undefined) periods.push({ since: m.time, until: null })
    else if (m.op === 'remove' && open !== undefined) open.until = m.time
  }
  return [...out.values()]
}
