/**
 * The fold that turns a governance document's records into a design's verified state:
 * its genesis, maintainers, threshold and canonical content heads. The rules, and why they are
 * what they are, are in docs/governance.md; in short:
 *
 * - Records form their own causal graph through their signed `prev` links. They are processed in
 *   one deterministic total order: a topological order of that graph, ties broken by kind
 *   (removals last) and then by record id.
 * - A record counts only if its author was a maintainer at its base: in the state folded from
 *   the records it had seen (its ancestors).
 * - Membership is a remove-wins set: an `add` concurrent with an earlier `remove` of the same
 *   person has no effect. Concurrent threshold changes keep the larger threshold.
 * - A governance action takes effect once `k` distinct maintainers signed it (k = the threshold
 *   at the base of the signature that completes it). Content heads become canonical the same way.
 * - A removed maintainer's content records that are concurrent with their removal never count.
 *
 * Pure: the records come verified (commons/record-log.ts); the content document is asked only
 * which heads it holds and how they relate. The result is the design's compact `DesignState` (what
 * every read needs, cached by document heads) and its full history (for the log).
 */
import * as A from '@automerge/automerge'
import { holds } from '../held.js'
import { UnverifiableDesignError } from '../errors.js'
import { isGenesisBound } from '../genesis.js'
import type { RejectedRecord } from '../history.js'
import { headsKey, normalizeHeads, type ChangeHash, type DesignId, type PersonId, type RecordId } from '../ids.js'
import { MAX_MAINTAINERS } from '../limits.js'
import { NameBook, type NameClaim } from '../names.js'
import type { GovernanceAction, RecordPayload, SignedRecord } from '../records.js'
import { frontierNewestFirst } from './frontier.js'

export type GenesisPayload = Extract<RecordPayload, { kind: 'genesis' }>
type ContentPayload = Extract<RecordPayload, { kind: 'content' }>
type GovernancePayload = Extract<RecordPayload, { kind: 'governance' }>

/** The kinds a governance document may hold. */
const GOVERNANCE_KINDS = new Set(['genesis', 'content', 'governance'])

export interface AppliedAction {
  action: GovernanceAction
  /** The signatures that made it take effect (the last one completed it). */
  records: RecordId[]
  signers: PersonId[]
}

export interface PendingAction {
  action: GovernanceAction
  nonce: string
  signers: PersonId[]
  needed: number
  records: RecordId[]
}

export interface HeadsApproval {
  heads: ChangeHash[]
  reason: 'genesis' | 'edit' | 'merge' | 'update'
  /** For an update: the design whose canonical content was taken in, and its heads then. */
  from?: { design: DesignId; heads: ChangeHash[] }
  proposal: { proposal: string; revision: RecordId } | null
  signers: PersonId[]
  /** Signatures needed when the last one was made. */
  needed: number
  approved: boolean
  /** False while the content document does not yet hold these heads (still syncing). */
  available: boolean
  records: RecordId[]
  summary: string
}

/**
 * A design's verified state: what every read of it needs, small enough to cache per document
 * heads. The full record history is in `GovernanceHistory`.
 */
export interface DesignState {
  design: DesignId
  genesis: SignedRecord<GenesisPayload>
  maintainers: PersonId[]
  threshold: number
  canonicalHeads: ChangeHash[]
  /**
   * The approvals that still matter: those awaiting signatures, those whose heads the content
   * document does not hold yet, and every merge of a proposal (they say which revisions were
   * accepted). Approvals already folded into the canonical heads are in the history only.
   */
  approvals: HeadsApproval[]
  pending: PendingAction[]
  ignored: RejectedRecord[]
  /** Valid records no other valid record names in `prev`: what a new record should name. */
  recordHeads: RecordId[]
  records: { valid: number; ignored: number }
  /** The latest display name each author signed a valid record with. */
  names: NameClaim[]
  /** The latest time a valid record claims (informative: authors' clocks). */
  lastChange: number
}

/** Everything the fold saw, in its total order: for the log and for tests. */
export interface GovernanceHistory {
  state: DesignState
  valid: SignedRecord[]
  approvals: HeadsApproval[]
  applied: AppliedAction[]
}

interface Node {
  record: SignedRecord
  children: RecordId[]
}

interface Applied {
  action: GovernanceAction
  completing: RecordId
  anc: Set<RecordId>
  desc: Set<RecordId>
  records: RecordId[]
  signers: PersonId[]
}

interface Membership {
  maintainers: Set<PersonId>
  threshold: number
}

/**
 * The genesis bound to `design` among `records` (the lowest record id if its creator signed
 * several), and the genesis records that do not count, with why. Throws UnverifiableDesignError
 * when there is none: nothing of such a design can be trusted.
 */
export function findGenesis(
  design: DesignId,
  records: readonly SignedRecord[],
): { genesis: SignedRecord<GenesisPayload>; rejected: RejectedRecord[] } {
  const rejected: RejectedRecord[] = []
  const ignore = (r: SignedRecord, reason: string) => rejected.push({ id: r.id, kind: 'genesis', author: r.body.author, reason })
  const geneses = records
    .filter((r): r is SignedRecord<GenesisPayload> => r.body.payload.kind === 'genesis')
    .sort((a, b) => (a.id < b.id ? -1 : 1))
  let genesis: SignedRecord<GenesisPayload> | undefined
  for (const g of geneses) {
    if (!isGenesisBound(design, g.body.author, g.body.payload.nonce)) ignore(g, 'genesis not bound to this design id')
    else if (g.body.prev.length > 0) ignore(g, 'genesis names earlier records')
    else if (genesis !== undefined) ignore(g, 'a second genesis for this design')
    else genesis = g
  }
  if (genesis === undefined) {
    throw new UnverifiableDesignError(`design ${design} has no genesis bound to its id: it cannot be verified`, { design })
  }
  return { genesis, rejected }
}

/**
 * The fold over a design's valid records (signatures checked, bound to `design`). `contentDoc`
 * says which approved heads are held; null in table tests, where every heads set counts as held
 * and unrelated to the others.
 */
export function foldGovernance(
  design: DesignId,
  records: readonly SignedRecord[],
  contentDoc: A.Doc<unknown> | null,
  rejected: readonly RejectedRecord[] = [],
): GovernanceHistory {
  const ignored: RejectedRecord[] = [...rejected]
  const ignore = (r: SignedRecord, reason: string) =>
    ignored.push({ id: r.id, kind: r.body.payload.kind, author: r.body.author, reason })

  // 1. The genesis: the one record bound to this design id.
  const { genesis, rejected: badGeneses } = findGenesis(design, records)
  ignored.push(...badGeneses)

  // 2. The record graph. A record is placed once all it names in `prev` is placed.
  const nodes = new Map<RecordId, Node>()
  nodes.set(genesis.id, { record: genesis, children: [] })
  const candidates: SignedRecord[] = []
  for (const r of records) {
    if (r.body.payload.kind === 'genesis') continue
    if (!GOVERNANCE_KINDS.has(r.body.payload.kind)) {
      ignore(r, `a ${r.body.payload.kind} record does not belong in a governance document`)
      continue
    }
    if (r.body.prev.length === 0) {
      ignore(r, 'names no earlier record')
      continue
    }
    candidates.push(r)
  }
  const order = topologicalOrder(genesis, candidates, nodes, ignore)

  // 3. Governance actions, in order.
  const applied: Applied[] = []
  const pending = new Map<
    string,
    { action: GovernanceAction; nonce: string; signers: Set<PersonId>; records: RecordId[]; needed: number; done: boolean }
  >()
  const ancCache = new Map<RecordId, Set<RecordId>>()
  const ancestors = (id: RecordId) => ancestorsOf(id, nodes, ancCache)
  const stateAt = (id: RecordId) => fold(genesis!, applied.filter((a) => a.desc.has(id)))
  const removedConcurrently = (author: PersonId, id: RecordId) =>
    applied.some((a) => a.action.op === 'remove' && a.action.member === author && !a.desc.has(id) && !a.anc.has(id) && a.completing !== id)

  /** The membership at the record's base if its author may sign it (rule 6 and 10), else null (and reported). */
  const authorized = (r: SignedRecord): Membership | null => {
    const base = stateAt(r.id)
    if (!base.maintainers.has(r.body.author)) {
      ignore(r, "author was not a maintainer at the record's base")
      return null
    }
    if (removedConcurrently(r.body.author, r.id)) {
      ignore(r, 'author was removed by a concurrent record')
      return null
    }
    return base
  }

  const valid: SignedRecord[] = [genesis]
  const contentInOrder: SignedRecord<ContentPayload>[] = []
  for (const r of order) {
    if (r.body.payload.kind === 'content') {
      contentInOrder.push(r as SignedRecord<ContentPayload>)
      continue
    }
    const payload = r.body.payload as GovernancePayload
    const base = authorized(r)
    if (base === null) continue
    const key = `${actionKey(payload.action)}#${payload.nonce}`
    let entry = pending.get(key)
    if (entry === undefined) {
      entry = { action: payload.action, nonce: payload.nonce, signers: new Set(), records: [], needed: base.threshold, done: false }
      pending.set(key, entry)
    }
    if (entry.done || entry.signers.has(r.body.author)) {
      // A further signature of an action already in effect (or already signed by this author) changes nothing.
      valid.push(r)
      continue
    }
    entry.signers.add(r.body.author)
    entry.records.push(r.id)
    entry.needed = base.threshold
    if (entry.signers.size < base.threshold) {
      valid.push(r)
      continue
    }
    // Complete: check the effect against the state everyone will share.
    const candidate: Applied = {
      action: payload.action,
      completing: r.id,
      anc: ancestors(r.id),
      desc: descendantsOf(r.id, nodes),
      records: [...entry.records],
      signers: [...entry.signers].sort(),
    }
    const after = fold(genesis, [...applied, candidate])
    const problem = checkEffect(payload.action, after)
    if (problem !== null) {
      ignore(r, problem)
      entry.signers.delete(r.body.author)
      entry.records.pop()
      continue
    }
    applied.push(candidate)
    entry.done = true
    valid.push(r)
  }

  // 4. Content approvals, with the full set of governance actions known.
  const approvals = new Map<string, HeadsApproval>()
  approvals.set(headsKey(genesis.body.heads), {
    heads: genesis.body.heads,
    reason: 'genesis',
    proposal: null,
    signers: [genesis.body.author],
    needed: 1,
    approved: true,
    available: true,
    records: [genesis.id],
    summary: 'created',
  })
  for (const r of contentInOrder) {
    const base = authorized(r)
    if (base === null) continue
    if (r.body.heads.length === 0) {
      ignore(r, 'content record names no heads')
      continue
    }
    valid.push(r)
    const key = headsKey(r.body.heads)
    let approval = approvals.get(key)
    if (approval === undefined) {
      approval = {
        heads: r.body.heads,
        reason: r.body.payload.reason,
        proposal: r.body.payload.proposal,
        signers: [],
        needed: base.threshold,
        approved: false,
        available: true,
        records: [],
        summary: r.body.payload.summary,
        ...(r.body.payload.from === undefined ? {} : { from: r.body.payload.from }),
      }
      approvals.set(key, approval)
    }
    if (approval.approved || approval.signers.includes(r.body.author)) continue
    approval.signers.push(r.body.author)
    approval.records.push(r.id)
    approval.needed = base.threshold
    if (approval.signers.length >= base.threshold) approval.approved = true
  }

  // 5. Canonical heads: the frontier of every approved heads set this document holds.
  const allApprovals = [...approvals.values()]
  const canonicalHeads = canonicalFrontier(allApprovals, contentDoc)

  const final = fold(genesis, applied)
  const validIds = new Set(valid.map((r) => r.id))
  const named = new Set(valid.flatMap((r) => r.body.prev))
  const sortedValid = [genesis, ...order.filter((r) => validIds.has(r.id))]
  const state: DesignState = {
    design,
    genesis,
    maintainers: [...final.maintainers].sort(),
    threshold: Math.min(final.threshold, Math.max(1, final.maintainers.size)),
    canonicalHeads,
    approvals: allApprovals.filter((a) => !a.approved || !a.available || a.reason === 'merge'),
    pending: [...pending.values()]
      .filter((p) => !p.done && p.records.length > 0)
      .map((p) => ({ action: p.action, nonce: p.nonce, signers: [...p.signers].sort(), needed: p.needed, records: p.records })),
    ignored,
    recordHeads: [...validIds].filter((id) => !named.has(id as RecordId)).sort() as RecordId[],
    records: { valid: sortedValid.length, ignored: ignored.length },
    names: NameBook.from(sortedValid).claims(),
    lastChange: Math.max(...sortedValid.map((r) => r.body.time)),
  }
  return {
    state,
    valid: sortedValid,
    approvals: allApprovals,
    applied: applied.map((a) => ({ action: a.action, records: a.records, signers: a.signers })),
  }
}

/** Marks which approvals the content document holds, and returns the frontier of those approved. */
function canonicalFrontier(approvals: HeadsApproval[], contentDoc: A.Doc<unknown> | null): ChangeHash[] {
  const held: ChangeHash[][] = []
  for (const approval of approvals) {
    approval.available = contentDoc === null || holds(contentDoc, approval.heads)
    if (approval.approved && approval.available) held.push(approval.heads)
  }
  // Approvals are in the fold's order: reversed, the latest heads come first (see frontierNewestFirst).
  return contentDoc === null ? normalizeHeads(held.flat()) : frontierNewestFirst(contentDoc, held.reverse())
}

/**
 * The state again after the content document changed while the records did not: approvals whose
 * heads had not arrived may have, which only ever moves the canonical heads forward.
 */
export function refreshAvailability(state: DesignState, contentDoc: A.Doc<unknown>): DesignState {
  const arrived = state.approvals.filter((a) => a.approved && !a.available && holds(contentDoc, a.heads))
  if (arrived.length === 0) return state
  const approvals = state.approvals
    .map((a) => (arrived.includes(a) ? { ...a, available: true } : a))
    .filter((a) => !a.approved || !a.available || a.reason === 'merge')
  const canonicalHeads = frontierNewestFirst(contentDoc, [...arrived.map((a) => a.heads).reverse(), state.canonicalHeads])
  return { ...state, approvals, canonicalHeads }
}

function actionKey(a: GovernanceAction): string {
  return a.op === 'threshold' ? `threshold:${a.k}` : `${a.op}:${a.member}`
}

function checkEffect(action: GovernanceAction, after: Membership): string | null {
  if (after.maintainers.size === 0) return 'would leave the design without maintainers'
  if (after.maintainers.size > MAX_MAINTAINERS) return `would exceed ${MAX_MAINTAINERS} maintainers`
  if (after.threshold > after.maintainers.size) {
    return action.op === 'threshold'
      ? 'threshold larger than the number of maintainers'
      : 'would leave fewer maintainers than the threshold'
  }
  return null
}

/** Folds applied actions (in total order) into a membership. Remove wins over a concurrent add. */
function fold(genesis: SignedRecord, actions: readonly Applied[]): Membership {
  const maintainers = new Set<PersonId>([genesis.body.author])
  let threshold = 1
  const concurrent = (a: Applied, b: Applied) => !a.anc.has(b.completing) && !b.anc.has(a.completing) && a !== b
  actions.forEach((a, i) => {
    const earlier = actions.slice(0, i)
    switch (a.action.op) {
      case 'add': {
        const member = a.action.member
        const removed = earlier.some((b) => b.action.op === 'remove' && b.action.member === member && concurrent(a, b))
        if (!removed) maintainers.add(member)
        break
      }
      case 'remove':
        maintainers.delete(a.action.member)
        break
      case 'threshold': {
        const k = a.action.k
        const rival = earlier.some((b) => b.action.op === 'threshold' && concurrent(a, b))
        threshold = rival ? Math.max(threshold, k) : k
        break
      }
    }
  })
  return { maintainers, threshold }
}

/** Kahn's algorithm; among ready records: content, then adds and thresholds, then removals; then by id. */
function topologicalOrder(
  genesis: SignedRecord,
  candidates: readonly SignedRecord[],
  nodes: Map<RecordId, Node>,
  ignore: (r: SignedRecord, reason: string) => void,
): SignedRecord[] {
  // A record can be placed once everything it names is placed; one that names something we do not
  // hold can never be placed (yet). Worked out from the genesis outward, each record once.
  const placeable = new Set<RecordId>([genesis.id])
  const unmet = new Map<RecordId, number>()
  const waiting = new Map<RecordId, RecordId[]>()
  for (const r of candidates) {
    const prev = new Set(r.body.prev)
    unmet.set(r.id, prev.size)
    for (const p of prev) waiting.set(p, [...(waiting.get(p) ?? []), r.id])
  }
  const queue: RecordId[] = [genesis.id]
  while (queue.length > 0) {
    const id = queue.pop()!
    for (const child of waiting.get(id) ?? []) {
      const left = unmet.get(child)! - 1
      unmet.set(child, left)
      if (left === 0 && !placeable.has(child)) {
        placeable.add(child)
        queue.push(child)
      }
    }
  }
  for (const r of candidates) if (!placeable.has(r.id)) ignore(r, 'names a record that is missing or invalid')

  const indegree = new Map<RecordId, number>()
  for (const r of candidates) {
    if (!placeable.has(r.id)) continue
    nodes.set(r.id, { record: r, children: [] })
    indegree.set(r.id, r.body.prev.length)
  }
  for (const r of candidates) {
    if (!placeable.has(r.id)) continue
    for (const p of r.body.prev) nodes.get(p)!.children.push(r.id)
  }
  const rank = (r: SignedRecord) => {
    const p = r.body.payload
    if (p.kind === 'governance' && p.action.op === 'remove') return 2
    if (p.kind === 'governance') return 1
    return 0
  }
  const before = (a: SignedRecord, b: SignedRecord) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const ready: SignedRecord[] = []
  const release = (id: RecordId) => {
    for (const c of nodes.get(id)!.children) {
      const n = indegree.get(c)! - 1
      indegree.set(c, n)
      if (n === 0) ready.push(nodes.get(c)!.record)
    }
  }
  release(genesis.id)
  const out: SignedRecord[] = []
  while (ready.length > 0) {
    ready.sort(before)
    const next = ready.shift()!
    out.push(next)
    release(next.id)
  }
  return out
}

function ancestorsOf(id: RecordId, nodes: Map<RecordId, Node>, cache: Map<RecordId, Set<RecordId>>): Set<RecordId> {
  const hit = cache.get(id)
  if (hit) return hit
  const out = new Set<RecordId>()
  const stack = [...(nodes.get(id)?.record.body.prev ?? [])]
  while (stack.length > 0) {
    const p = stack.pop()!
    if (out.has(p)) continue
    out.add(p)
    stack.push(...(nodes.get(p)?.record.body.prev ?? []))
  }
  cache.set(id, out)
  return out
}

function descendantsOf(id: RecordId, nodes: Map<RecordId, Node>): Set<RecordId> {
  const out = new Set<RecordId>()
  const stack = [...(nodes.get(id)?.children ?? [])]
  while (stack.length > 0) {
    const c = stack.pop()!
    if (out.has(c)) continue
    out.add(c)
    stack.push(...(nodes.get(c)?.children ?? []))
  }
  return out
}
