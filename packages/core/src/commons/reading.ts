/**
 * Reports on a design, from its verified state: the verification report (`cosmo verify`) and the
 * signed log (`cosmo log`), and how records and actions are described to people.
 */
import type { ContentProblem } from '../schema.js'
import type { RejectedRecord } from '../history.js'
import { toUrl, type AutomergeUrl, type ChangeHash, type DocumentId, type PersonId, type RecordId } from '../ids.js'
import { NameBook, type PersonNames } from '../names.js'
import type { GovernanceAction, RecordPayload } from '../records.js'
import type { Context } from './context.js'
import type { VerifiedDesign } from './verifier.js'

export interface LogEntry {
  record: RecordId
  kind: string
  author: PersonId
  /** The author's latest display name in this design's records (self-asserted), if any. */
  authorName: string | null
  time: number
  summary: string
  heads: ChangeHash[]
  /** For a merge: the proposal merged and who proposed it (null when this store cannot read the proposal). */
  merged?: { proposal: AutomergeUrl; title: string; author: PersonId; authorName: string | null } | null
}

export interface VerificationReport {
  design: AutomergeUrl
  genesis: { record: RecordId; author: PersonId; time: number; bound: true }
  maintainers: PersonId[]
  threshold: number
  canonicalHeads: ChangeHash[]
  forkedFrom: AutomergeUrl | null
  records: { valid: number; ignored: number }
  pending: { kind: 'content' | 'governance'; summary: string; signers: PersonId[]; needed: number }[]
  ignored: RejectedRecord[]
  contentProblems: ContentProblem[]
  /** Display names signed into the design's valid records, by person id (self-asserted). */
  names: PersonNames
}

type Ref = string | VerifiedDesign

export class Reading {
  constructor(private readonly ctx: Context) {}

  async verify(ref: Ref): Promise<VerificationReport> {
    const d = await this.ctx.design(ref)
    const s = d.state
    return {
      design: d.url,
      genesis: { record: s.genesis.id, author: s.genesis.body.author, time: s.genesis.body.time, bound: true },
      maintainers: s.maintainers,
      threshold: s.threshold,
      canonicalHeads: s.canonicalHeads,
      forkedFrom: d.forkedFrom?.url ?? null,
      records: s.records,
      pending: [
        ...s.approvals
          .filter((a) => !a.approved)
          .map((a) => ({ kind: 'content' as const, summary: a.summary, signers: a.signers, needed: a.needed })),
        ...s.pending.map((p) => ({ kind: 'governance' as const, summary: describeAction(p.action), signers: p.signers, needed: p.needed })),
      ],
      ignored: s.ignored,
      contentProblems: d.problems,
      names: d.names.toJSON(),
    }
  }

  /** The design's valid signed records: who did what, when (in the fold's order). */
  async log(ref: Ref): Promise<LogEntry[]> {
    const d = await this.ctx.design(ref)
    const history = await this.ctx.verifier.history(d.id)
    const names = NameBook.fromClaims(history.state.names)
    const proposers = new Map<string, LogEntry['merged']>()
    for (const r of history.valid) {
      const p = r.body.payload
      if (p.kind !== 'content' || p.proposal === null || proposers.has(p.proposal.proposal)) continue
      proposers.set(p.proposal.proposal, await this.#proposer(p.proposal.proposal))
    }
    return history.valid.map((r) => {
      const p = r.body.payload
      return {
        record: r.id,
        kind: p.kind,
        author: r.body.author,
        authorName: names.get(r.body.author),
        time: r.body.time,
        summary: describeRecord(p),
        heads: r.body.heads,
        ...(p.kind === 'content' && p.proposal !== null ? { merged: proposers.get(p.proposal.proposal) ?? null } : {}),
      }
    })
  }

  /** Who proposed a merged proposal, from its verified opening (held only: a log asks no peer). */
  async #proposer(id: string): Promise<LogEntry['merged']> {
    try {
      const p = await this.ctx.verifier.proposal(id as DocumentId, { held: true })
      return { proposal: p.url, title: p.title, author: p.author, authorName: p.names.get(p.author) }
    } catch {
      return null
    }
  }
}

export function describeAction(a: GovernanceAction): string {
  switch (a.op) {
    case 'add':
      return `add maintainer ${a.member}`
    case 'remove':
      return `remove maintainer ${a.member}`
    case 'threshold':
      return `set threshold to ${a.k}`
  }
}

export function describeRecord(p: RecordPayload): string {
  switch (p.kind) {
    case 'genesis':
      return p.forkedFrom === null ? 'created the design' : `forked from ${toUrl(p.forkedFrom.design)}`
    case 'content':
      return p.summary || (p.reason === 'merge' ? 'merged a proposal' : 'edited')
    case 'governance':
      return describeAction(p.action)
    case 'revision':
      return `proposed "${p.title}"`
    case 'verdict':
      return `${p.verdict === 'accept' ? 'accepted' : 'rejected'} a revision`
    case 'comment':
      return 'commented'
    case 'fork-pointer':
      return `forked into ${toUrl(p.fork)}`
    case 'proposal-pointer':
      return 'opened a proposal'
    case 'need':
      return p.op === 'open' ? `opened need "${p.title}"` : `${p.op === 'close' ? 'closed' : p.op === 'claim' ? 'claimed' : p.op === 'release' ? 'released' : 'reopened'} a need`
    case 'make':
      return `made it${p.place === '' ? '' : ` in ${p.place}`}: ${p.result}`
  }
}
