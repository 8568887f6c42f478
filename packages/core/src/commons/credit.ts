/**
 * Contribution accounting over a store: gathers the verified inputs of the contributions fold
 * (folds/contributions.ts) — the design's history, the proposals made to it, its inbox (comments,
 * needs, makes), and the held designs its content came from — and answers the fold's content
 * questions from the design's content document. Only held documents are read: accounting never
 * makes this peer ask others for anything, and a design it does not hold is listed as missing.
 */
import * as A from '@automerge/automerge'
import { holds } from '../held.js'
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
  readonly #loaded = new Map<DesignId, Loaded>()
  /** Per content document: what each signed change created (one entry per change: bounded by its history). */
  readonly #introduced = new Map<DocumentId, Map<string, Introduced>>()

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
      content: contentFacts(doc, this.#memo(d.contentId)),
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

  #memo(id: DocumentId): Map<string, Introduced> {
    let m = this.#introduced.get(id)
    if (m === undefined) this.#introduced.set(id, (m = new Map()))
    return m
  }

  /**
   * A design's accounting view: its history and the proposals to it that this store can read.
   * Kept by the versions of what it was built from: the governance fold runs again only when one
   * of them moved.
   */
  async #load(d: VerifiedDesign, only: Set<DocumentId> | null): Promise<Loaded> {
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
    const version = versions.join('+')
    const known = this.#loaded.get(d.id)
    if (known?.version === version) return known
    const history = await this.ctx.verifier.history(d.id)
    const loaded = { design: d, credit: creditDesign(history, proposals), names, version }
    this.#loaded.set(d.id, loaded)
    return loaded
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
 * of heads, and what a signed change created by reading the changes between its base and its
 * heads (`rangeChanges`) for new entries of the BOM, steps and files (cost proportional to the
 * change, not to the document). Ancestry is memoized for one reckoning, what changes created in
 * `introMemo` (kept by the caller across reckonings: it is a fact about fixed heads).
 */
export function contentFacts(doc: A.Doc<unknown>, introMemo: Map<string, Introduced> = new Map()): ContentFacts {
  // What is new since each set of heads asked about, once per set: a reckoning asks about a few
  // sets (one per merge, update and fork) and many heads within each.
  const sinceMemo = new Map<string, Set<string>>()
  const heldMemo = new Map<string, boolean>()
  const held = (heads: readonly ChangeHash[]) => {
    if (heads.length === 0) return true
    const key = headsKey(heads)
    let h = heldMemo.get(key)
    if (h === undefined) heldMemo.set(key, (h = holds(doc, [...heads])))
    return h
  }
  return {
    covers(of, heads) {
      if (heads.length === 0) return true
      if (!held(of) || !held(heads)) return null
      if (of.length === 0) return false
      const key = headsKey(of)
      let since = sinceMemo.get(key)
      if (since === undefined) {
        since = new Set(A.getChangesMetaSince(doc, [...of]).map((m) => m.hash))
        sinceMemo.set(key, since)
      }
      return heads.every((h) => !since.has(h))
    },
    introduced(base, heads) {
      if (!held(base) || !held(heads)) return null
      // What changes between two signed heads created never changes: kept across reckonings.
      const key = `${headsKey(base)}|${headsKey(heads)}`
      let intro = introMemo.get(key)
      if (intro === undefined) {
        intro = introducedBetween(doc, base, heads)
        introMemo.set(key, intro)
      }
      return intro
    },
  }
}

function introducedBetween(doc: A.Doc<unknown>, base: readonly ChangeHash[], heads: readonly ChangeHash[]): Introduced {
  const found: Record<(typeof SECTIONS)[number], Set<string>> = { bom: new Set(), steps: new Set(), files: new Set() }
  const backend = A.getBackend(doc)
  // The sections' maps at `heads` (never the current state, which anyone can rewrite), asked of the
  // backend without materializing the document at those heads.
  const section = new Map<string, (typeof SECTIONS)[number]>()
  for (const s of SECTIONS) {
    const got = backend.getWithType('_root', s, [...heads]) as unknown
    if (Array.isArray(got) && got[0] === 'map' && typeof got[1] === 'string') section.set(got[1], s)
  }
  const created: { section: (typeof SECTIONS)[number]; key: string }[] = []
  for (const hash of rangeChanges(doc, base, heads)) {
    const bytes = backend.getChangeByHash(hash)
    if (bytes === null) continue
    const change = A.decodeChange(bytes)
    change.ops.forEach((op, i) => {
      // A section made anew in this range (a design's first change): its map's entries follow.
      if (op.obj === '_root' && op.action === 'makeMap' && (SECTIONS as readonly string[]).includes(op.key as string)) {
        section.set(`${change.startOp + i}@${change.actor}`, op.key as (typeof SECTIONS)[number])
      }
      if (op.action === 'makeMap' && typeof op.key === 'string') created.push({ section: op.obj as never, key: op.key })
    })
  }
  for (const c of created) {
    const s = section.get(c.section as unknown as string)
    if (s !== undefined) found[s].add(c.key)
  }
  return { bom: [...found.bom], steps: [...found.steps], files: [...found.files] }
}

/**
 * The changes that are ancestors of (or in) `heads` but not of `base`, found by walking back from
 * both at once in order of generation (a change's maxOp exceeds its dependencies'), the way git
 * finds a merge base by generation numbers: a change reached from `heads` is in the range unless
 * a walk from `base` reaches it first, which it must if it is an ancestor of `base`, since every
 * change on that path has a larger maxOp. The walk stops once nothing from `heads` is left, so it
 * costs what lies between the two, not the length of the history.
 */
function rangeChanges(doc: A.Doc<unknown>, base: readonly ChangeHash[], heads: readonly ChangeHash[]): string[] {
  const backend = A.getBackend(doc)
  const fromBase = new Map<string, boolean>()
  const heap: { hash: string; maxOp: number }[] = []
  let pendingHeads = 0
  const push = (hash: string, isBase: boolean) => {
    const known = fromBase.get(hash)
    if (known !== undefined) {
      if (isBase && !known) {
        fromBase.set(hash, true)
        pendingHeads--
      }
      return
    }
    const meta = backend.getChangeMetaByHash(hash)
    if (meta === null) return
    fromBase.set(hash, isBase)
    if (!isBase) pendingHeads++
    heap.push({ hash, maxOp: meta.maxOp })
    let i = heap.length - 1
    while (i > 0) {
      const up = (i - 1) >> 1
      if (heap[up]!.maxOp >= heap[i]!.maxOp) break
      ;[heap[up], heap[i]] = [heap[i]!, heap[up]!]
      i = up
    }
  }
  const pop = () => {
    const top = heap[0]!
    const last = heap.pop()!
    if (heap.length > 0) {
      heap[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < heap.length && heap[l]!.maxOp > heap[m]!.maxOp) m = l
        if (r < heap.length && heap[r]!.maxOp > heap[m]!.maxOp) m = r
        if (m === i) break
        ;[heap[m], heap[i]] = [heap[i]!, heap[m]!]
        i = m
      }
    }
    return top
  }
  for (const h of base) push(h, true)
  for (const h of heads) push(h, false)
  const out: string[] = []
  const done = new Set<string>()
  while (pendingHeads > 0 && heap.length > 0) {
    const { hash } = pop()
    if (done.has(hash)) continue
    done.add(hash)
    const isBase = fromBase.get(hash) === true
    if (!isBase) {
      pendingHeads--
      out.push(hash)
    }
    for (const dep of backend.getChangeMetaByHash(hash)?.deps ?? []) if (!done.has(dep)) push(dep, isBase)
  }
  return out
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
