/**
 * Contribution accounting over a store: gathers the verified inputs of the contributions fold
 * (folds/contributions.ts) — the design's history, the proposals made to it, its inbox (comments,
 * needs, makes), and the held designs its content came from — and answers the fold's content
 * questions from the design's content document. Only held documents are read: accounting never
 * makes this peer ask others for anything, and a design it does not hold is listed as missing.
 */
import * as A from '@automerge/automerge'
import { covers } from '../folds/frontier.js'
import {
  creditDesign,
  foldContributions,
  type ContentFacts,
  type Contributions,
  type Contributor,
  type CreditDesign,
  type CreditEvent,
  type Introduced,
} from '../folds/contributions.js'
import type { ProposalState } from '../folds/proposal.js'
import { headsKey, toUrl, type AutomergeUrl, type ChangeHash, type DesignId, type DocumentId } from '../ids.js'
import { MAX_CREDIT_DEPTH, MAX_CREDIT_DESIGNS } from '../limits.js'
import { NameBook, type PersonNames } from '../names.js'
import type { NeedPayload, SignedRecord } from '../records.js'
import type { Context } from './context.js'
import type { Makes } from './makes.js'
import type { VerifiedDesign } from './verifier.js'

export interface ContributorView extends Contributor {
  /** The latest display name they signed with in the records read (self-asserted), or null. */
  name: string | null
}

export interface ContributionsView {
  design: AutomergeUrl
  title: string
  contributors: ContributorView[]
  events: (Omit<CreditEvent, 'design'> & { design: AutomergeUrl })[]
  /** Designs whose work entered this one but which this store does not hold (their authors are not credited yet). */
  missing: AutomergeUrl[]
  /** Every name known for the people listed (self-asserted: the id is the identity). */
  names: PersonNames
  /** The versions of every document read: equal versions, equal reckonings. */
  version: string
}

type Ref = string | VerifiedDesign

interface Loaded {
  design: VerifiedDesign
  credit: CreditDesign
  names: NameBook
  version: string
}

export class Credit {
  readonly #views = new Map<DesignId, ContributionsView>()

  constructor(
    private readonly ctx: Context,
    private readonly makes: Makes,
  ) {}

  async contributions(ref: Ref): Promise<ContributionsView> {
    const d = await this.ctx.design(ref)
    const inbox = await this.ctx.verifier.inbox(d)
    const self = await this.#load(d, null)
    const related = await this.#related(self)
    const makes = await this.makes.makes(d)
    const version = [self.version, inbox.version, makes.version, ...[...related.values()].map((r) => r.version)].join('#')
    const known = this.#views.get(d.id)
    if (known?.version === version) return known
    const records = await this.ctx.verifier.inboxRecords(d)
    const doc = await this.ctx.verifier.contentDoc(d)
    const needs = openedNeeds(records)
    const result = foldContributions({
      design: self.credit,
      related: (id) => related.get(id)?.credit ?? null,
      content: contentFacts(doc),
      comments: inbox.comments.map((c) => ({ record: c.record, author: c.author, time: c.time })),
      needs,
      makes: makes.makes,
    })
    const needRecords = new Set(needs.map((n) => n.record))
    const book = new NameBook().merge(self.names).merge(inbox.book).merge(makes.book).add(records.filter((r) => needRecords.has(r.id)))
    for (const r of related.values()) book.merge(r.names)
    const view = toView(d, result, book, version)
    this.#views.set(d.id, view)
    return view
  }

  /** A design's accounting view: its history and the proposals to it that this store can read. */
  async #load(d: VerifiedDesign, only: Set<DocumentId> | null): Promise<Loaded> {
    const history = await this.ctx.verifier.history(d.id)
    const inbox = await this.ctx.verifier.inbox(d, { held: true })
    const proposals: ProposalState[] = []
    const names = new NameBook().merge(d.names)
    const versions: string[] = [d.version, inbox.version]
    for (const pointer of inbox.proposals) {
      // For designs other than the one asked about, only the proposals their merges name.
      if (only !== null && !only.has(pointer.proposal)) continue
      try {
        const p = await this.ctx.verifier.proposal(pointer.proposal, { held: true })
        if (p.target !== d.id) continue
        proposals.push(p)
        names.merge(p.names)
        versions.push(p.version)
      } catch {
        // Not readable here: its author is not credited until it is.
      }
    }
    return { design: d, credit: creditDesign(history, proposals), names, version: versions.join('+') }
  }

  /** The held designs the content came from, breadth first, at most MAX_CREDIT_DEPTH deep and MAX_CREDIT_DESIGNS in all. */
  async #related(self: Loaded): Promise<Map<DesignId, Loaded>> {
    const out = new Map<DesignId, Loaded>()
    let frontier: Loaded[] = [self]
    for (let depth = 0; depth < MAX_CREDIT_DEPTH && frontier.length > 0; depth++) {
      const next: Loaded[] = []
      for (const l of frontier) {
        for (const id of sourcesOf(l.credit)) {
          if (id === self.design.id || out.has(id) || out.size >= MAX_CREDIT_DESIGNS) continue
          let d: VerifiedDesign
          try {
            d = await this.ctx.verifier.design(id, { held: true })
          } catch {
            continue
          }
          const merged = new Set(d.state.approvals.flatMap((a) => (a.reason === 'merge' && a.proposal !== null ? [a.proposal.proposal as DocumentId] : [])))
          const loaded = await this.#load(d, merged).catch(() => null)
          if (loaded === null) continue
          out.set(id, loaded)
          next.push(loaded)
        }
      }
      frontier = next
    }
    return out
  }
}

/** The designs a design's content came from: its upstream, designs it updated from, sources of merged proposals. */
function sourcesOf(c: CreditDesign): DesignId[] {
  const out = new Set<DesignId>()
  if (c.forkedFrom !== null) out.add(c.forkedFrom.design)
  for (const change of c.changes) {
    if (change.from !== null) out.add(change.from.design)
    const p = change.proposal === null ? undefined : c.proposals.find((x) => x.id === change.proposal!.proposal)
    if (p !== undefined) out.add(p.source)
  }
  return [...out]
}

/** Needs opened on the design, from its verified inbox records (until the needs fold says more). */
export function openedNeeds(records: readonly SignedRecord[]) {
  return records.flatMap((r) => {
    const p = r.body.payload
    return p.kind === 'need' && p.op === 'open' ? [{ record: r.id, author: r.body.author, time: r.body.time, title: (p as Extract<NeedPayload, { op: 'open' }>).title }] : []
  })
}

const SECTIONS = ['bom', 'steps', 'files'] as const

/**
 * The fold's questions, answered from the content document: ancestry by what is new since a set
 * of heads (frontier.ts), and what a signed change created by `A.diff` between its base and heads
 * (cost proportional to the change, not to the document). Memoized for one reckoning.
 */
export function contentFacts(doc: A.Doc<unknown>): ContentFacts {
  const coverMemo = new Map<string, boolean | null>()
  const introMemo = new Map<string, Introduced | null>()
  const held = (heads: readonly ChangeHash[]) => heads.length === 0 || A.hasHeads(doc, [...heads])
  return {
    covers(of, heads) {
      const key = `${headsKey(of)}|${headsKey(heads)}`
      if (!coverMemo.has(key)) coverMemo.set(key, !held(of) || !held(heads) ? null : covers(doc, of, heads))
      return coverMemo.get(key)!
    },
    introduced(base, heads) {
      const key = `${headsKey(base)}|${headsKey(heads)}`
      if (!introMemo.has(key)) introMemo.set(key, !held(base) || !held(heads) ? null : introducedBetween(doc, base, heads))
      return introMemo.get(key)!
    },
  }
}

function introducedBetween(doc: A.Doc<unknown>, base: readonly ChangeHash[], heads: readonly ChangeHash[]): Introduced {
  const before = (base.length === 0 ? {} : A.view(doc, [...base])) as Record<string, unknown>
  const existed = (section: string, id: string) => {
    const map = before[section]
    return typeof map === 'object' && map !== null && Object.hasOwn(map, id)
  }
  const found: Record<(typeof SECTIONS)[number], Set<string>> = { bom: new Set(), steps: new Set(), files: new Set() }
  let after: Record<string, unknown> | null = null
  for (const patch of A.diff(doc, [...base], [...heads])) {
    const [section, id] = patch.path
    if (patch.action !== 'put' || !(SECTIONS as readonly unknown[]).includes(section)) continue
    const s = section as (typeof SECTIONS)[number]
    if (patch.path.length === 2 && typeof id === 'string' && !existed(s, id)) found[s].add(id)
    else if (patch.path.length === 1) {
      // The whole section was put (a new map): every entry it holds at `heads` is new unless it existed.
      after ??= A.view(doc, [...heads]) as Record<string, unknown>
      const map = after[s]
      if (typeof map === 'object' && map !== null) for (const k of Object.keys(map)) if (!existed(s, k)) found[s].add(k)
    }
  }
  return { bom: [...found.bom], steps: [...found.steps], files: [...found.files] }
}

function toView(d: VerifiedDesign, c: Contributions, book: NameBook, version: string): ContributionsView {
  const names: Record<string, string> = {}
  for (const p of c.contributors) {
    const n = book.get(p.id)
    if (n !== null) names[p.id] = n
  }
  return {
    design: d.url,
    title: d.content.title,
    contributors: c.contributors.map((p) => ({ ...p, name: book.get(p.id) })),
    events: c.events.map((e) => ({ ...e, design: toUrl(e.design) })),
    missing: c.missing.map(toUrl),
    names,
    version,
  }
}
