/** A proposal's conversation in time order: its revisions, the verdicts on them, and comments. */
import type { Revision, VerifiedProposal } from '@cosmolocal/core'

export type TimelineEntry =
  | { kind: 'revision'; key: string; time: number; author: string; number: number; status: Revision['status']; title: string; description: string }
  | { kind: 'verdict'; key: string; time: number; author: string; verdict: 'accept' | 'reject'; comment: string; revision: number }
  | { kind: 'comment'; key: string; time: number; author: string; text: string }

export function timeline(p: Pick<VerifiedProposal, 'revisions' | 'verdicts' | 'comments'>): TimelineEntry[] {
  const numberOf = new Map(p.revisions.map((r) => [r.record as string, r.number]))
  const entries: TimelineEntry[] = [
    ...p.revisions.map((r): TimelineEntry => ({
      kind: 'revision',
      key: r.record,
      time: r.time,
      author: r.author,
      number: r.number,
      status: r.status,
      title: r.title,
      description: r.description,
    })),
    ...p.verdicts.map((v): TimelineEntry => ({
      kind: 'verdict',
      key: v.record,
      time: v.time,
      author: v.author,
      verdict: v.verdict,
      comment: v.comment,
      revision: numberOf.get(v.revision) ?? 0,
    })),
    ...p.comments.map((c): TimelineEntry => ({ kind: 'comment', key: c.record, time: c.time, author: c.author, text: c.text })),
  ]
  // Signers' clocks differ; within the same millisecond a revision comes before what answers it.
  const rank = { revision: 0, comment: 1, verdict: 2 }
  return entries.sort((a, b) => a.time - b.time || rank[a.kind] - rank[b.kind] || a.key.localeCompare(b.key))
}
