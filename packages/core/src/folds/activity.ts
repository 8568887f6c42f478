/**
 * The activity inbox: what happened on the designs a person follows, newest first, and which of
 * it they have read. Pure: a function of verified states (each design's governance history,
 * inbox, needs and the proposals made to it) and of read marks, which are local to the person
 * (a file in their home, their browser's storage) and never travel to peers.
 *
 * Every item comes from a signed record that verification kept, so who did it is never in doubt;
 * when is the author's claim, so a time in the future is shown as now. Each actor has at most
 * MAX_ACTIVITY_PER_ACTOR items listed per design (their newest); the rest fold into one item
 * saying how many more: a stranger's flood is one screenful, and hides nobody else's items.
 */
import { cleanDisplayName } from '../identity.js'
import { toUrl, type AutomergeUrl, type DesignId, type PersonId, type RecordId } from '../ids.js'
import { MAX_ACTIVITY_PER_ACTOR } from '../limits.js'
import type { GovernanceAction } from '../records.js'
import type { DesignComment, ForkPointer, ProposalPointer } from './inbox.js'
import type { Need, NeedMerge } from './needs.js'
import type { ProposalState } from './proposal.js'

export type ActivityKind =
  | 'fork'
  | 'proposal'
  | 'revision'
  | 'verdict'
  | 'merge'
  | 'need-opened'
  | 'need-claimed'
  | 'need-released'
  | 'need-closed'
  | 'need-reopened'
  | 'comment'
  | 'maintainers'
  /** Older items of one actor on one design, folded into one (see MAX_ACTIVITY_PER_ACTOR). */
  | 'more'

export interface ActivityItem {
  /** Stable and unique within its design: what read marks remember. */
  key: string
  kind: ActivityKind
  design: AutomergeUrl
  actor: PersonId
  actorName: string | null
  /** When, as the actor claims (never later than `now`). */
  time: number
  summary: string
  read: boolean
  /** What it is about, when that is not the design itself: a proposal or fork URL, a need id. */
  subject: string | null
}

/** What one followed design says, from its verified states. */
export interface ActivitySource {
  design: DesignId
  title: string
  /** Maintainer changes that took effect: the record that completed each, its author and time. */
  maintainerChanges: { record: RecordId; actor: PersonId; time: number; action: GovernanceAction }[]
  forks: readonly ForkPointer[]
  /** Proposal pointers; those whose proposal is in `proposals` are listed from it instead. */
  proposalPointers: readonly ProposalPointer[]
  proposals: readonly ProposalState[]
  merges: readonly (NeedMerge & { title: string; revisionNumber: number })[]
  comments: readonly DesignComment[]
  needs: readonly Need[]
  /** Display names by person id (self-asserted; from the verified records read). */
  name(person: PersonId): string | null
}

/** What a person has read, per design: the keys of the items seen. Local, never sent anywhere. */
export interface ReadMarks {
  v: 1
  read: Record<string, string[]>
}

export interface Activity {
  /** Newest first. */
  items: ActivityItem[]
  unread: number
  /** Every item key each design has now (folded ones too): what marking it read remembers. */
  keys: Record<string, string[]>
}

export function emptyReadMarks(): ReadMarks {
  return { v: 1, read: {} }
}

/** Read marks from storage (a file, the browser's): anything malformed reads as unread. */
export function parseReadMarks(raw: unknown): ReadMarks {
  const out = emptyReadMarks()
  if (typeof raw !== 'object' || raw === null || !('read' in raw)) return out
  const read = (raw as { read: unknown }).read
  if (typeof read !== 'object' || read === null || Array.isArray(read)) return out
  for (const [design, keys] of Object.entries(read)) {
    if (Array.isArray(keys)) out.read[design] = keys.filter((k): k is string => typeof k === 'string')
  }
  return out
}

/**
 * Marks everything `activity` holds as read (or only the designs named). A design's marks become
 * exactly its current keys, so marks of items that are gone are forgotten and the marks stay as
 * large as the activity itself.
 */
export function markRead(marks: ReadMarks, activity: Pick<Activity, 'keys'>, designs?: readonly string[]): ReadMarks {
  const read = { ...marks.read }
  for (const [design, keys] of Object.entries(activity.keys)) {
    if (designs === undefined || designs.includes(design)) read[design] = [...keys]
  }
  return { v: 1, read }
}

/**
 * The items of the followed designs, newest first. Items by `me` are read: one's own acts are no
 * news. `now` caps claimed times (a time in the future is shown as now).
 */
export function activityOf(sources: readonly ActivitySource[], marks: ReadMarks, options: { me: PersonId | null; now: number }): Activity {
  const items: ActivityItem[] = []
  const keys: Record<string, string[]> = {}
  for (const s of sources) {
    const read = new Set(marks.read[s.design] ?? [])
    const raw = itemsOf(s).map((i) => ({ ...i, time: Math.min(i.time, options.now) }))
    keys[s.design] = raw.map((i) => i.key)
    const byActor = new Map<PersonId, typeof raw>()
    for (const i of raw) byActor.set(i.actor, [...(byActor.get(i.actor) ?? []), i])
    for (const [actor, mine] of byActor) {
      mine.sort(newestFirst)
      const shown = mine.slice(0, MAX_ACTIVITY_PER_ACTOR)
      const folded = mine.slice(MAX_ACTIVITY_PER_ACTOR)
      const isRead = (k: string) => read.has(k) || actor === options.me
      for (const i of shown) items.push({ ...i, design: toUrl(s.design), actorName: s.name(actor), read: isRead(i.key) })
      if (folded.length > 0) {
        items.push({
          key: `more/${actor}`,
          kind: 'more',
          design: toUrl(s.design),
          actor,
          actorName: s.name(actor),
          time: folded[0]!.time,
          summary: `and ${folded.length} older item(s) on "${quote(s.title)}"`,
          read: folded.every((i) => isRead(i.key)),
          subject: null,
        })
      }
    }
  }
  items.sort(newestFirst)
  return { items, unread: items.filter((i) => !i.read).length, keys }
}

type RawItem = Omit<ActivityItem, 'design' | 'actorName' | 'read'>

function newestFirst(a: { time: number; key: string }, b: { time: number; key: string }): number {
  return b.time - a.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
}

/** A text someone else wrote, as one short line (control and invisible characters dropped). */
function quote(text: string): string {
  return cleanDisplayName(text) ?? ''
}

function itemsOf(s: ActivitySource): RawItem[] {
  const out: RawItem[] = []
  const on = `"${quote(s.title)}"`
  for (const f of s.forks) {
    out.push({ key: f.record, kind: 'fork', actor: f.author, time: f.time, summary: `forked ${on}`, subject: toUrl(f.design) })
  }
  const held = new Set(s.proposals.map((p) => p.id))
  for (const p of s.proposalPointers) {
    if (held.has(p.proposal)) continue
    out.push({ key: p.record, kind: 'proposal', actor: p.author, time: p.time, summary: `proposed changes to ${on} (not in this store yet)`, subject: toUrl(p.proposal) })
  }
  const merged = new Set(s.merges.map((m) => m.revision))
  for (const p of s.proposals) {
    const url = toUrl(p.id)
    for (const r of p.revisions) {
      const cites = r.needs.length === 0 ? '' : `, resolving ${r.needs.length} need(s)`
      out.push(
        r.number === 1
          ? { key: r.record, kind: 'proposal', actor: r.author, time: r.time, summary: `proposed "${quote(r.title)}" to ${on}${cites}`, subject: url }
          : { key: r.record, kind: 'revision', actor: r.author, time: r.time, summary: `revised "${quote(r.title)}" (revision ${r.number})${cites}`, subject: url },
      )
    }
    for (const v of p.verdicts) {
      // An accepted revision that merged is listed once, as its merge.
      if (v.verdict === 'accept' && merged.has(v.revision)) continue
      const rev = p.revisions.find((r) => r.record === v.revision)
      const what = `"${quote(rev?.title ?? p.title)}"${rev === undefined ? '' : ` (revision ${rev.number})`}`
      out.push({ key: v.record, kind: 'verdict', actor: v.author, time: v.time, summary: `${v.verdict === 'accept' ? 'accepted' : 'rejected'} ${what}`, subject: url })
    }
    for (const c of p.comments) {
      out.push({ key: c.record, kind: 'comment', actor: c.author, time: c.time, summary: `commented on "${quote(p.title)}": "${quote(c.text)}"`, subject: url })
    }
  }
  for (const m of s.merges) {
    const actor = m.signers.at(-1)
    if (actor === undefined) continue
    const closes = m.needs.length === 0 ? '' : `, closing ${m.needs.length} need(s)`
    out.push({ key: m.records.at(-1) ?? m.revision, kind: 'merge', actor, time: m.time, summary: `merged "${quote(m.title)}" (revision ${m.revisionNumber})${closes}`, subject: toUrl(m.proposal) })
  }
  for (const c of s.comments) {
    out.push({ key: c.record, kind: 'comment', actor: c.author, time: c.time, summary: `${c.replyTo === null ? 'commented on' : 'replied on'} ${on}: "${quote(c.text)}"`, subject: null })
  }
  for (const n of s.needs) {
    const need = `need "${quote(n.title)}"`
    for (const e of n.events) {
      // A need closed by a merge shares the merge's record: its key says which need.
      const key = e.merge === undefined ? e.record : `${e.record}/${n.id}`
      const kind = e.op === 'open' ? 'need-opened' : e.op === 'claim' ? 'need-claimed' : e.op === 'release' ? 'need-released' : e.op === 'close' ? 'need-closed' : 'need-reopened'
      const summary =
        e.op === 'open'
          ? `opened ${need} on ${on}`
          : e.op === 'claim'
            ? `claimed ${need}`
            : e.op === 'release'
              ? `released ${need}`
              : e.op === 'reopen'
                ? `reopened ${need}`
                : e.merge !== undefined
                  ? `closed ${need} by merging a proposal`
                  : `closed ${need}`
      out.push({ key, kind, actor: e.actor, time: e.time, summary, subject: n.id })
    }
  }
  for (const g of s.maintainerChanges) {
    const a = g.action
    const who = a.op === 'threshold' ? '' : s.name(a.member) === null ? a.member : `${s.name(a.member)} (${a.member})`
    const summary = a.op === 'threshold' ? `set the threshold of ${on} to ${a.k}` : `${a.op === 'add' ? 'added' : 'removed'} maintainer ${who} ${a.op === 'add' ? 'to' : 'from'} ${on}`
    out.push({ key: g.record, kind: 'maintainers', actor: g.actor, time: g.time, summary, subject: null })
  }
  return out
}

/**
 * The designs a person follows unless they unfollowed them: those they maintain, and the
 * upstreams of those (their forks' upstreams).
 */
export function defaultFollows(designs: readonly { id: DesignId; state: { maintainers: readonly PersonId[] }; forkedFrom: { design: DesignId } | null }[], me: PersonId): DesignId[] {
  const out = new Set<DesignId>()
  for (const d of designs) {
    if (!d.state.maintainers.includes(me)) continue
    out.add(d.id)
    if (d.forkedFrom !== null) out.add(d.forkedFrom.design)
  }
  return [...out].sort()
}
