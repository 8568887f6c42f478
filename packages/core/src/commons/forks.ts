/**
 * Forks as living branches: taking another design's canonical content into one's own (an update
 * from the upstream, a sibling, a fork), how far two related designs are apart, and the lineage
 * tree of a design as far as this store knows it.
 *
 * An update moves only what the other design's maintainers signed: the changes up to its canonical
 * heads that the receiving content document lacks (merge.ts), never its unsigned changes. The
 * merge is Automerge's own (concurrent edits of one field keep both values; every peer shows the
 * same winner), and the result is signed like any edit, with the receiver's threshold.
 */
import * as A from '@automerge/automerge'
import { holds } from '../held.js'
import { diffContent, diffMerge, type DesignDiff } from '../diff.js'
import { CosmoError, InvalidInputError, NotFoundError, StateError } from '../errors.js'
import { covers, frontier } from '../folds/frontier.js'
import type { HeadsApproval } from '../folds/governance.js'
import { divergence, type ContentAncestry, type Divergence, type LineageSide, type RejectedRevision } from '../folds/lineage.js'
import { headsKey, normalizeHeads, parseDesignId, toUrl, type AutomergeUrl, type ChangeHash, type DesignId, type PersonId } from '../ids.js'
import { MAX_LINEAGE_DEPTH } from '../limits.js'
import type { Context } from './context.js'
import { mergeUpTo, shareHistory } from './merge.js'
import type { VerifiedDesign } from './verifier.js'

type Ref = string | VerifiedDesign

/** What `update` brought (or, in a dry run, would bring) into a design. */
export interface UpdateResult {
  design: AutomergeUrl
  /** The design whose canonical content is taken in (by default the upstream). */
  from: AutomergeUrl
  /** True when this call merged the content and signed it (false in a dry run or when nothing is new). */
  merged: boolean
  /** True when the design already holds everything `from` signed. */
  upToDate: boolean
  /** What the design's canonical content would become, with the conflicts Automerge resolved. */
  diff: DesignDiff
  /** The heads the update signs (or would sign); the design's canonical heads when up to date. */
  heads: ChangeHash[]
  /** The other design's canonical heads: what is taken in, named in the signed record's `from`. */
  fromHeads: ChangeHash[]
  /** How many signed content changes of `from` this brings (the design's `behind` count). */
  changes: number
  /** The update's signatures: with a threshold above one it is canonical once `needed` signed. */
  approval: { signers: PersonId[]; needed: number; approved: boolean } | null
}

/** How one design stands against another (usually its upstream). */
export interface Comparison extends Divergence {
  design: AutomergeUrl
  other: AutomergeUrl
}

/** A design in its lineage tree, as `lineage` returns it. */
export interface LineageNode {
  design: AutomergeUrl
  title: string
  /** The design it was forked from, whether or not this store holds it. */
  upstream: AutomergeUrl | null
  place: string
  placeCode: string | null
  /** Signed content changes relative to the upstream; null for a root, or when the upstream is not here. */
  ahead: number | null
  behind: number | null
  /** Rejected revisions of its proposals to the upstream whose changes it still carries. */
  rejected: { proposal: AutomergeUrl; revision: number; title: string }[]
  maintainers: PersonId[]
  /** True for the design `lineage` was asked about. */
  current: boolean
  /** True when forks below this one were left out: deeper than MAX_LINEAGE_DEPTH. */
  truncated: boolean
  forks: LineageNode[]
}

export class Forks {
  /** Each design's approvals, by its verified version: a lineage re-folds only designs that moved. */
  readonly #approvals = new Map<DesignId, { version: string; approvals: HeadsApproval[] }>()

  constructor(private readonly ctx: Context) {}

  /**
   * Takes `from`'s canonical content (default: the design's upstream) into the design's content
   * and signs it as this maintainer (reason `update`). With `dryRun`, only says what it would
   * bring; anyone may ask that.
   */
  async update(ref: Ref, options: { from?: string; dryRun?: boolean } = {}): Promise<UpdateResult> {
    const d = await this.ctx.design(ref)
    // Refused before any work: only a maintainer merges (anyone may preview).
    if (options.dryRun !== true) await this.ctx.requireMaintainer(d, `update "${d.content.title}"`)
    const from = await this.#other(d, options.from)
    const doc = await this.ctx.verifier.contentDoc(d)
    const fromDoc = await this.ctx.verifier.contentDoc(from)
    const fromHeads = from.state.canonicalHeads
    const base = { design: d.url, from: from.url, fromHeads }
    if (covers(doc, d.state.canonicalHeads, fromHeads)) {
      const diff: DesignDiff = { ...diffContent(d.content, d.content), conflicts: [] }
      return { ...base, merged: false, upToDate: true, diff, heads: d.state.canonicalHeads, changes: 0, approval: null }
    }
    const diff = diffMerge(A.view(doc, d.state.canonicalHeads), A.view(fromDoc, fromHeads))
    const changes = (await this.compare(d, from)).behind
    if (options.dryRun === true) {
      const heads = mergedHeads(doc, fromDoc, d.state.canonicalHeads, fromHeads)
      return { ...base, merged: false, upToDate: false, diff, heads, changes, approval: null }
    }
    const me = this.ctx.me()
    const handle = await this.ctx.store.find(d.contentId, 'content document')
    if (!holds(handle.doc() as A.Doc<unknown>, fromHeads)) this.ctx.store.update(handle, (current) => mergeUpTo(current, fromDoc, fromHeads))
    const heads = frontier(handle.doc() as A.Doc<unknown>, [...d.state.canonicalHeads, ...fromHeads])
    const waiting = d.state.approvals.find((a) => headsKey(a.heads) === headsKey(heads))
    if (waiting?.signers.includes(me.id)) {
      throw new StateError(`you already signed this update; it needs ${waiting.needed - waiting.signers.length} more maintainer(s) (cosmo design approve)`, { design: d.id })
    }
    await this.ctx.appendGovernance(d, {
      base: d.state.canonicalHeads,
      heads,
      payload: { kind: 'content', reason: 'update', summary: `updated from "${from.content.title}"`, proposal: null, from: { design: from.id, heads: fromHeads } },
    })
    const after = await this.ctx.design(d.id)
    const approved = covers(handle.doc() as A.Doc<unknown>, after.state.canonicalHeads, heads)
    const pending = after.state.approvals.find((a) => headsKey(a.heads) === headsKey(heads))
    const approval =
      pending === undefined
        ? { signers: [...(waiting?.signers ?? []), me.id].sort(), needed: waiting?.needed ?? after.state.threshold, approved }
        : { signers: pending.signers, needed: pending.needed, approved }
    return { ...base, merged: true, upToDate: false, diff, heads, changes, approval }
  }

  /** The design to take content from: the one named, else the upstream; related, and not itself. */
  async #other(d: VerifiedDesign, ref: string | undefined): Promise<VerifiedDesign> {
    if (ref === undefined && d.forkedFrom === null) {
      throw new InvalidInputError(`"${d.content.title}" is not a fork: name the design to update from (--from)`, { design: d.id })
    }
    const from = await this.ctx.design(ref ?? d.forkedFrom!.design)
    if (from.id === d.id) throw new InvalidInputError('a design cannot update from itself', { design: d.id })
    await this.#requireRelated(d, from)
    return from
  }

  async #requireRelated(a: VerifiedDesign, b: VerifiedDesign): Promise<void> {
    const aDoc = await this.ctx.verifier.contentDoc(a)
    const bDoc = await this.ctx.verifier.contentDoc(b)
    if (!shareHistory(aDoc, bDoc, [a.state.genesis.body.heads, b.state.genesis.body.heads])) {
      throw new InvalidInputError(`${b.url} shares no content history with ${a.url}: only related designs (forks, their upstreams, siblings) exchange content`, {
        design: a.id,
        other: b.id,
      })
    }
  }

  /**
   * How far `ref` is from `other` (default: its upstream): signed content changes each has that
   * the other lacks (folds/lineage.ts), and the rejected revisions of its proposals to `other`
   * whose changes it still carries. Reads only what this store holds: asks no peer for anything.
   */
  async compare(ref: Ref, otherRef?: Ref): Promise<Comparison> {
    const d = await this.ctx.design(ref)
    if (otherRef === undefined && d.forkedFrom === null) throw new InvalidInputError(`"${d.content.title}" is not a fork: name the design to compare with`, { design: d.id })
    const otherId = typeof otherRef === 'object' ? otherRef.id : parseDesignId(otherRef ?? d.forkedFrom!.design)
    const other = typeof otherRef === 'object' ? otherRef : await this.#held(otherId)
    if (other === null) throw new NotFoundError(`${toUrl(otherId)} is not in this store: pull it to compare`, { design: d.id, other: otherId })
    if (other.id === d.id) return { design: d.url, other: other.url, ahead: 0, behind: 0, rejected: [] }
    await this.#requireRelated(d, other)
    const result = divergence(await this.#side(d), await this.#side(other), await this.#rejected(d, other))
    return { design: d.url, other: other.url, ...result }
  }

  async #side(d: VerifiedDesign): Promise<LineageSide> {
    const doc = await this.ctx.verifier.contentDoc(d)
    return { approvals: await this.#approvalsOf(d), canonicalHeads: d.state.canonicalHeads, ancestry: new DocAncestry(doc) }
  }

  async #approvalsOf(d: VerifiedDesign): Promise<HeadsApproval[]> {
    const known = this.#approvals.get(d.id)
    if (known?.version === d.version) return known.approvals
    const { approvals } = await this.ctx.verifier.history(d.id)
    this.#approvals.set(d.id, { version: d.version, approvals })
    return approvals
  }

  /** Rejected revisions of proposals from `d` to `target` that this store holds. */
  async #rejected(d: VerifiedDesign, target: VerifiedDesign): Promise<RejectedRevision[]> {
    const inbox = await this.ctx.verifier.inbox(target, { held: true }).catch(() => null)
    if (inbox === null) return []
    const out: RejectedRevision[] = []
    for (const pointer of inbox.proposals) {
      const p = await this.ctx.verifier.proposal(pointer.proposal, { held: true }).catch(() => null)
      if (p === null || p.source !== d.id || p.target !== target.id) continue
      for (const rev of p.revisions) if (rev.status === 'rejected') out.push({ proposal: p.id, revision: rev.number, title: rev.title, heads: rev.heads })
    }
    return out
  }

  /**
   * The lineage tree `ref` belongs to, as far as this store holds it: from the top of its upstream
   * chain down through every fork its inbox points to (and theirs). Each fork is compared with its
   * upstream. A fork pointer counts only when the fork's own signed genesis names that upstream.
   */
  async lineage(ref: Ref): Promise<LineageNode> {
    const start = await this.ctx.design(ref)
    let root = start
    const seen = new Set<DesignId>([root.id])
    for (let depth = 0; root.forkedFrom !== null && depth < MAX_LINEAGE_DEPTH; depth++) {
      const up = await this.#held(root.forkedFrom.design)
      if (up === null || seen.has(up.id)) break
      seen.add(up.id)
      root = up
    }
    return await this.#node(root, null, start.id, new Set(), 0)
  }

  async #node(d: VerifiedDesign, parent: VerifiedDesign | null, current: DesignId, visited: Set<DesignId>, depth: number): Promise<LineageNode> {
    visited.add(d.id)
    let comparison: Divergence | null = null
    if (parent !== null) {
      // A design that cannot be compared (its upstream's content not here) is shown without counts.
      comparison = await this.compare(d, parent).catch((err: unknown) => {
        if (err instanceof CosmoError) return null
        throw err
      })
    }
    const node: LineageNode = {
      design: d.url,
      title: d.content.title,
      upstream: d.forkedFrom?.url ?? null,
      place: d.content.place,
      placeCode: d.content.placeCode,
      ahead: comparison?.ahead ?? null,
      behind: comparison?.behind ?? null,
      rejected: (comparison?.rejected ?? []).map((r) => ({ proposal: toUrl(r.proposal), revision: r.revision, title: r.title })),
      maintainers: d.state.maintainers,
      current: d.id === current,
      truncated: false,
      forks: [],
    }
    const inbox = await this.ctx.verifier.inbox(d, { held: true }).catch(() => null)
    for (const pointer of inbox?.forks ?? []) {
      const id = parseDesignId(pointer.design)
      if (visited.has(id)) continue
      const fork = await this.#held(id)
      // The pointer is anyone's claim; the fork's genesis is its maintainer's.
      if (fork === null || fork.forkedFrom?.design !== d.id) continue
      if (depth + 1 >= MAX_LINEAGE_DEPTH) {
        node.truncated = true
        continue
      }
      node.forks.push(await this.#node(fork, d, current, visited, depth + 1))
    }
    return node
  }

  /** A design this store holds (never asked of peers), verified; null when absent or unverifiable. */
  async #held(id: DesignId): Promise<VerifiedDesign | null> {
    try {
      const d = await this.ctx.verifier.design(id, { held: true })
      await this.ctx.verifier.contentDoc(d, true)
      return d
    } catch (err) {
      if (err instanceof NotFoundError || (err as Error).name === 'UnverifiableDesignError') return null
      throw err
    }
  }
}

/**
 * The heads an update would sign, without writing: the frontier of both designs' canonical heads.
 * A head is dropped when it is an ancestor of another; whichever document holds that other head
 * holds the head too, and says so.
 */
function mergedHeads(doc: A.Doc<unknown>, fromDoc: A.Doc<unknown>, own: readonly ChangeHash[], theirs: readonly ChangeHash[]): ChangeHash[] {
  const below = (d: A.Doc<unknown>, set: readonly ChangeHash[], h: ChangeHash) => {
    const others = set.filter((x) => x !== h)
    return others.length > 0 && covers(d, others, [h])
  }
  return normalizeHeads([...own, ...theirs]).filter((h) => !below(doc, own, h) && !below(fromDoc, theirs, h))
}

/** A content document's ancestry for the lineage fold, remembering what is new since each heads set it was asked about. */
class DocAncestry implements ContentAncestry {
  readonly #since = new Map<string, Set<string> | null>()

  constructor(private readonly doc: A.Doc<unknown>) {}

  covers(of: readonly ChangeHash[], heads: readonly ChangeHash[]): boolean {
    if (heads.length === 0) return true
    if (of.length === 0 || !holds(this.doc, [...heads])) return false
    const key = headsKey(of)
    let since = this.#since.get(key)
    if (since === undefined) {
      since = holds(this.doc, [...of]) ? new Set(A.getChangesMetaSince(this.doc, [...of]).map((m) => m.hash)) : null
      this.#since.set(key, since)
    }
    return since !== null && heads.every((h) => !since.has(h))
  }
}
