/** The activity inbox, table by table: pure, no Repo. What is listed, in what order, what is read, and floods. */
import { describe, expect, it } from 'vitest'
import {
  activityOf,
  createIdentity,
  defaultFollows,
  designIdFor,
  emptyReadMarks,
  markRead,
  MAX_ACTIVITY_PER_ACTOR,
  parseReadMarks,
  proposalIdFor,
  toUrl,
  type ActivitySource,
  type Need,
  type PersonId,
  type ProposalState,
  type RecordId,
} from '../../src/index.js'

const [alice, bob, carol, flooder] = (await Promise.all(['Alice', 'Bob', 'Carol', 'flooder'].map((n) => createIdentity(n)))).map((i) => i.id) as [PersonId, PersonId, PersonId, PersonId]
const names: Record<string, string> = { [alice]: 'Alice', [bob]: 'Bob', [carol]: 'Carol' }
const design = designIdFor(alice, 'loom')
const fork = designIdFor(bob, 'fork')
const proposal = proposalIdFor(bob, 'p')
const rec = (c: string) => c.repeat(64).slice(0, 64) as RecordId

const need: Need = {
  id: rec('1'),
  design,
  author: carol,
  time: 100,
  title: 'A cheaper hinge',
  body: '',
  labels: [],
  about: null,
  status: 'closed',
  claims: [],
  closed: null,
  reopened: 0,
  events: [
    { op: 'open', actor: carol, time: 100, record: rec('1') },
    { op: 'claim', actor: bob, time: 200, record: rec('2') },
    { op: 'close', actor: alice, time: 600, record: rec('9'), by: proposal, merge: { proposal, revision: rec('3') } },
  ],
  updated: 600,
  heads: [],
}

const proposalState = {
  id: proposal,
  target: design,
  source: fork,
  author: bob,
  opening: rec('3'),
  sourceAvailable: true,
  title: 'Strap hinges',
  description: '',
  revisions: [{ number: 1, status: 'accepted', record: rec('3'), author: bob, time: 300, heads: [], base: [], title: 'Strap hinges', description: '', needs: [need.id] }],
  verdicts: [{ record: rec('4'), author: alice, time: 600, revision: rec('3'), verdict: 'accept', comment: '', base: [] }],
  comments: [{ record: rec('5'), author: carol, time: 400, text: 'Nice\u001b[31m one', replyTo: null }],
  status: 'accepted',
  approvals: { signers: [alice], needed: 1 },
  ignored: [],
} as ProposalState

const source = (over: Partial<ActivitySource> = {}): ActivitySource => ({
  design,
  title: 'Loom',
  maintainerChanges: [{ record: rec('6'), actor: alice, time: 50, action: { op: 'add', member: bob } }],
  forks: [{ design: fork, author: bob, time: 250, record: rec('7') }],
  proposalPointers: [{ proposal, author: bob, time: 300, record: rec('8') }],
  proposals: [proposalState],
  merges: [{ proposal, revision: rec('3'), needs: [need.id], records: [rec('9')], signers: [alice], time: 600, title: 'Strap hinges', revisionNumber: 1 }],
  comments: [{ record: rec('a'), author: bob, time: 500, text: 'Does brass matter?', replyTo: null, about: null }],
  needs: [need],
  name: (p) => names[p] ?? null,
  ...over,
})

describe('activityOf', () => {
  it('lists what happened, newest first, each item by who did it', () => {
    const { items, unread } = activityOf([source()], emptyReadMarks(), { me: null, now: 1_000 })
    expect(items.map((i) => [i.kind, i.actorName, i.time])).toEqual([
      ['merge', 'Alice', 600],
      ['need-closed', 'Alice', 600],
      ['comment', 'Bob', 500],
      ['comment', 'Carol', 400],
      ['proposal', 'Bob', 300],
      ['fork', 'Bob', 250],
      ['need-claimed', 'Bob', 200],
      ['need-opened', 'Carol', 100],
      ['maintainers', 'Alice', 50],
    ])
    expect(unread).toBe(items.length)
    expect(items[0]).toMatchObject({ design: toUrl(design), summary: 'merged "Strap hinges" (revision 1), closing 1 need(s)', subject: toUrl(proposal), read: false })
    expect(items.find((i) => i.kind === 'maintainers')!.summary).toBe(`added maintainer Bob (${bob}) to "Loom"`)
    // an accepted revision that merged is listed once, as its merge; someone else's text comes out as one clean line
    expect(items.some((i) => i.kind === 'verdict')).toBe(false)
    expect(items.find((i) => i.actor === carol && i.kind === 'comment')!.summary).toBe('commented on "Strap hinges": "Nice [31m one"')
  })

  it("one's own acts are read", () => {
    const { items } = activityOf([source()], emptyReadMarks(), { me: alice, now: 1_000 })
    expect(items.filter((i) => i.read).map((i) => i.kind).sort()).toEqual(['maintainers', 'merge', 'need-closed'])
  })

  it('marked read, everything is read; what comes after is not; marks of items gone are forgotten', () => {
    const first = activityOf([source()], emptyReadMarks(), { me: null, now: 1_000 })
    const marks = markRead({ v: 1, read: { [design]: ['gone'] } }, first)
    expect(marks.read[design]).not.toContain('gone')
    expect(activityOf([source()], marks, { me: null, now: 1_000 }).unread).toBe(0)
    const later = source({ comments: [...source().comments, { record: rec('b'), author: carol, time: 700, text: 'Thanks', replyTo: rec('a'), about: null }] })
    const after = activityOf([later], marks, { me: null, now: 1_000 })
    expect(after.items.filter((i) => !i.read).map((i) => i.summary)).toEqual(['replied on "Loom": "Thanks"'])
    // read marks survive storage, and junk in storage reads as unread
    expect(parseReadMarks(JSON.parse(JSON.stringify(marks)))).toEqual(marks)
    expect(parseReadMarks({ read: { [design]: [1, 'x'], other: 'no' } })).toEqual({ v: 1, read: { [design]: ['x'] } })
    expect(parseReadMarks('junk')).toEqual(emptyReadMarks())
  })

  it('a time in the future is shown as now', () => {
    const liar = source({ comments: [{ record: rec('c'), author: flooder, time: 9e15, text: 'me first', replyTo: null, about: null }] })
    const { items } = activityOf([liar], emptyReadMarks(), { me: null, now: 1_000 })
    expect(items[0]).toMatchObject({ actor: flooder, time: 1_000 })
  })

  it("one actor's flood is folded into one item and hides nobody else's", () => {
    const flood = Array.from({ length: MAX_ACTIVITY_PER_ACTOR + 30 }, (_, i) => ({ record: `f${i}` as RecordId, author: flooder, time: 900, text: 'junk', replyTo: null, about: null }))
    const { items, keys } = activityOf([source({ comments: [...source().comments, ...flood] })], emptyReadMarks(), { me: null, now: 1_000 })
    expect(items.filter((i) => i.actor === flooder && i.kind === 'comment')).toHaveLength(MAX_ACTIVITY_PER_ACTOR)
    expect(items.filter((i) => i.kind === 'more')).toEqual([expect.objectContaining({ actor: flooder, summary: 'and 30 older item(s) on "Loom"', read: false })])
    expect(items.filter((i) => i.actor !== flooder)).toHaveLength(9)
    // marking read covers the folded items too
    expect(keys[design]).toHaveLength(9 + MAX_ACTIVITY_PER_ACTOR + 30)
  })

  it('rejections and accepts that did not merge are listed as verdicts', () => {
    const rejected = { ...proposalState, verdicts: [{ ...proposalState.verdicts[0]!, verdict: 'reject' as const }] }
    const { items } = activityOf([source({ proposals: [rejected], merges: [] })], emptyReadMarks(), { me: null, now: 1_000 })
    expect(items.find((i) => i.kind === 'verdict')!.summary).toBe('rejected "Strap hinges" (revision 1)')
  })
})

describe('defaultFollows', () => {
  it('follows the designs one maintains and their upstreams', () => {
    const designs = [
      { id: design, state: { maintainers: [alice] }, forkedFrom: null },
      { id: fork, state: { maintainers: [bob] }, forkedFrom: { design } },
    ]
    expect(defaultFollows(designs, bob)).toEqual([design, fork].sort())
    expect(defaultFollows(designs, alice)).toEqual([design])
    expect(defaultFollows(designs, carol)).toEqual([])
  })
})
