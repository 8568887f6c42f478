/** The needs fold, table by table: pure, no Repo. Who may close, claims, concurrency, anchors, merges, bounds. */
import { describe, expect, it } from 'vitest'
import {
  createIdentity,
  designIdFor,
  foldNeeds,
  matchesNeed,
  MAX_NEED_LABELS,
  MAX_NEED_OPS_PER_AUTHOR,
  MAX_NEEDS_PER_AUTHOR,
  MAX_NEEDS_SUMMARY_LABELS,
  needsSummary,
  summaryMatches,
  proposalIdFor,
  signRecord,
  type ChangeHash,
  type Identity,
  type NeedMerge,
  type NeedSection,
  type NeedsFacts,
  type RecordId,
  type SignedRecord,
} from '../../src/index.js'
import { prng } from '../helpers.js'

const [alice, bob, carol, mallory, flooder] = (await Promise.all(['alice', 'bob', 'carol', 'mallory', 'flooder'].map((n) => createIdentity(n)))) as [Identity, Identity, Identity, Identity, Identity]
const design = designIdFor(alice.id, 'needs')
const base = ['a'.repeat(64) as ChangeHash]

type NeedBody = { op: 'open'; title: string; labels?: string[]; about?: string | null } | { op: 'claim' | 'release' | 'reopen'; need: SignedRecord } | { op: 'close'; need: SignedRecord; by?: string | null }

function sign(who: Identity, prev: readonly (SignedRecord | string)[], body: NeedBody, time = 1_000): Promise<SignedRecord> {
  const payload =
    body.op === 'open'
      ? { kind: 'need' as const, op: 'open' as const, title: body.title, body: '', labels: body.labels ?? [], about: body.about ?? null }
      : body.op === 'close'
        ? { kind: 'need' as const, op: 'close' as const, need: body.need.id, by: (body.by ?? null) as never }
        : { kind: 'need' as const, op: body.op, need: body.need.id }
  const ids = prev.map((p) => (typeof p === 'string' ? p : p.id))
  return signRecord(who, { design, prev: ids as RecordId[], base, payload, time })
}

const facts = (over: Partial<NeedsFacts> = {}): NeedsFacts => ({
  design,
  maintainers: [alice.id],
  merges: [],
  section: (id) => (id === 'row1' ? 'bom' : id === 'step1' ? 'steps' : null),
  ...over,
})

// carol opens a need on alice's design (alice maintains it)
const opened = await sign(carol, [], { op: 'open', title: 'A cheaper hinge', labels: ['hardware', 'help wanted'], about: 'row1' })
const bobClaims = await sign(bob, [opened], { op: 'claim', need: opened }, 2_000)
const malloryClaims = await sign(mallory, [opened], { op: 'claim', need: opened }, 2_500)
const bobReleases = await sign(bob, [bobClaims], { op: 'release', need: opened }, 3_000)
const carolReleases = await sign(carol, [opened], { op: 'release', need: opened })
const authorCloses = await sign(carol, [opened], { op: 'close', need: opened, by: proposalIdFor(bob.id, 'p') }, 4_000)
const maintainerCloses = await sign(alice, [opened], { op: 'close', need: opened }, 4_000)
const strangerCloses = await sign(mallory, [opened], { op: 'close', need: opened })
const strangerReopens = await sign(mallory, [authorCloses], { op: 'reopen', need: opened })
const reopened = await sign(carol, [authorCloses], { op: 'reopen', need: opened }, 5_000)
// concurrent: alice closes again after seeing the reopen; carol, who saw only the first close, reopens too
const closedAgain = await sign(alice, [reopened], { op: 'close', need: opened }, 6_000)
const reopenedToo = await sign(carol, [authorCloses], { op: 'reopen', need: opened }, 6_000)
const closedOverBoth = await sign(carol, [closedAgain, reopenedToo], { op: 'close', need: opened }, 7_000)
const secondCloseSeen = await sign(alice, [authorCloses], { op: 'close', need: opened })
const reopenOpen = await sign(carol, [opened], { op: 'reopen', need: opened })
const claimAfterClose = await sign(bob, [authorCloses], { op: 'claim', need: opened })
const claimUnseen = await sign(bob, [opened], { op: 'claim', need: opened }, 3_500)
const closeSawClaim = await sign(carol, [bobClaims], { op: 'close', need: opened }, 4_000)
const reopenAfterClaimEnded = await sign(carol, [closeSawClaim], { op: 'reopen', need: opened }, 5_000)
const claimAgain = await sign(bob, [reopenAfterClaimEnded], { op: 'claim', need: opened }, 6_000)
const releaseEnded = await sign(bob, [reopenAfterClaimEnded], { op: 'release', need: opened }, 6_000)
const unknownNeed = await sign(bob, [], { op: 'claim', need: await sign(bob, [], { op: 'open', title: 'elsewhere' }) })
const goneAnchor = await sign(bob, [], { op: 'open', title: 'Untested with 6 mm plywood', about: 'row-removed' })

const proposal = proposalIdFor(bob.id, 'fix')
const revision = 'b'.repeat(64) as RecordId
const mergeRecord = 'c'.repeat(64) as RecordId
const merge = (needs: RecordId[]): NeedMerge => ({ proposal, revision, needs, records: [mergeRecord], signers: [alice.id], time: 8_000 })
const reopenAfterMerge = await sign(carol, [opened, mergeRecord], { op: 'reopen', need: opened }, 9_000)
const reopenBlind = await sign(carol, [opened], { op: 'reopen', need: opened }, 9_000)

interface Row {
  name: string
  records: SignedRecord[]
  facts?: Partial<NeedsFacts>
  status: 'open' | 'claimed' | 'closed'
  claims?: Identity[]
  closedBy?: Identity
  ignored?: RegExp[]
}

const rows: Row[] = [
  { name: 'anyone opens a need: it is open, unclaimed', records: [opened], status: 'open', claims: [] },
  { name: 'several people claim it: all are listed, in the order they claimed', records: [opened, bobClaims, malloryClaims], status: 'claimed', claims: [bob, mallory] },
  { name: 'a claimer releases their claim; the others stand', records: [opened, bobClaims, malloryClaims, bobReleases], status: 'claimed', claims: [mallory] },
  { name: 'a release without a claim is ignored and reported', records: [opened, carolReleases], status: 'open', ignored: [/release without a claim/] },
  { name: "the need's author may close it, citing what resolved it", records: [opened, bobClaims, authorCloses], status: 'closed', claims: [], closedBy: carol },
  { name: 'a maintainer may close it', records: [opened, maintainerCloses], status: 'closed', closedBy: alice },
  {
    name: 'a close by someone who is neither its author nor a maintainer is ignored and reported',
    records: [opened, strangerCloses],
    status: 'open',
    ignored: [/close by someone who is neither the need's author nor a maintainer/],
  },
  {
    name: "a stranger's reopen is ignored too",
    records: [opened, authorCloses, strangerReopens],
    status: 'closed',
    ignored: [/reopen by someone who is neither the need's author nor a maintainer/],
  },
  { name: 'a closed need is reopened by its author', records: [opened, authorCloses, reopened], status: 'open' },
  { name: 'a close and a reopen made without seeing each other leave it open', records: [opened, authorCloses, reopened, closedAgain, reopenedToo], status: 'open' },
  { name: 'and a close that names both closes it', records: [opened, authorCloses, reopened, closedAgain, reopenedToo, closedOverBoth], status: 'closed', closedBy: carol },
  { name: 'two closes made concurrently both count: it is closed', records: [opened, authorCloses, maintainerCloses], status: 'closed' },
  { name: 'a close of a need its author saw closed is ignored', records: [opened, authorCloses, secondCloseSeen], status: 'closed', closedBy: carol, ignored: [/close of a need already closed/] },
  { name: 'a reopen of a need that is not closed is ignored', records: [opened, reopenOpen], status: 'open', ignored: [/reopen of a need that is not closed/] },
  { name: 'a claim on a need its author saw closed is ignored', records: [opened, authorCloses, claimAfterClose], status: 'closed', ignored: [/claim on a need its author saw closed/] },
  { name: 'a claim the closer did not see stands again once the need is reopened', records: [opened, authorCloses, claimUnseen, reopened], status: 'claimed', claims: [bob] },
  { name: 'a close that saw a claim ends it: reopened, nobody claims it', records: [opened, bobClaims, closeSawClaim, reopenAfterClaimEnded], status: 'open', claims: [] },
  { name: 'whose claim a close ended may claim it again once it is reopened', records: [opened, bobClaims, closeSawClaim, reopenAfterClaimEnded, claimAgain], status: 'claimed', claims: [bob] },
  { name: 'but cannot release a claim a close ended', records: [opened, bobClaims, closeSawClaim, reopenAfterClaimEnded, releaseEnded], status: 'open', ignored: [/release without a claim/] },
  { name: 'a record about a need this design does not hold is reported', records: [opened, unknownNeed], status: 'open', ignored: [/names a need this design does not hold/] },
  { name: 'a merge of a revision citing the need closes it, by the merge', records: [opened, bobClaims], facts: { merges: [merge([opened.id])] }, status: 'closed', claims: [], closedBy: alice },
  { name: 'a reopen that saw the merge reopens it', records: [opened, reopenAfterMerge], facts: { merges: [merge([opened.id])] }, status: 'open' },
  {
    name: 'a reopen that did not see the merge is ignored',
    records: [opened, reopenBlind],
    facts: { merges: [merge([opened.id])] },
    status: 'closed',
    ignored: [/reopen of a need that is not closed/],
  },
  {
    name: 'a merge citing a need this design does not hold is reported and closes nothing',
    records: [opened],
    facts: { merges: [merge(['d'.repeat(64) as RecordId])] },
    status: 'open',
    ignored: [/cites need d{64}, which this design does not hold/],
  },
  {
    name: 'closes judged against today\'s maintainers: a removed maintainer\'s close no longer counts',
    records: [opened, maintainerCloses],
    facts: { maintainers: [bob.id] },
    status: 'open',
    ignored: [/close by someone who is neither/],
  },
]

describe('foldNeeds', () => {
  for (const row of rows) {
    it(row.name, () => {
      const state = foldNeeds(row.records, facts(row.facts))
      const need = state.needs.find((n) => n.id === opened.id)!
      expect(need.status).toBe(row.status)
      if (row.claims !== undefined) expect(need.claims).toEqual(row.claims.map((p) => p.id))
      if (row.closedBy !== undefined) expect(need.closed?.actor).toBe(row.closedBy.id)
      if (row.status !== 'closed') expect(need.closed).toBeNull()
      const reasons = state.ignored.map((i) => i.reason)
      expect(reasons).toHaveLength(row.ignored?.length ?? 0)
      row.ignored?.forEach((re, i) => expect(reasons[i]).toMatch(re))
    })
  }

  it('gives the same state whatever order the records arrive in', () => {
    const records = [opened, bobClaims, malloryClaims, bobReleases, authorCloses, reopened, closedAgain, reopenedToo, claimUnseen, strangerCloses]
    const expected = foldNeeds(records, facts())
    const random = prng(13)
    for (let i = 0; i < 20; i++) {
      const shuffled = [...records].sort(() => random() - 0.5)
      expect(foldNeeds(shuffled, facts())).toEqual(expected)
    }
  })

  it('a close by the merge says which proposal and revision resolved it, and is in the need\'s events', () => {
    const need = foldNeeds([opened], facts({ merges: [merge([opened.id])] })).needs[0]!
    expect(need.closed).toEqual({ actor: alice.id, record: mergeRecord, time: 8_000, by: proposal, merge: { proposal, revision } })
    expect(need.events.map((e) => e.op)).toEqual(['open', 'close'])
    // a reopen names the merge's record in `prev`: the need's heads hold it
    expect(need.heads).toEqual([...new Set([mergeRecord, opened.id])].sort())
  })

  it('keeps the anchor of a need whose row was later removed, and says it is gone (and what it was)', () => {
    const sectionAt = (id: string, heads: readonly ChangeHash[]): NeedSection | null => (id === 'row-removed' && heads[0] === base[0] ? 'bom' : null)
    const state = foldNeeds([opened, goneAnchor], facts({ sectionAt }))
    const byTitle = Object.fromEntries(state.needs.map((n) => [n.title, n.about]))
    expect(byTitle['A cheaper hinge']).toEqual({ id: 'row1', section: 'bom', present: true })
    expect(byTitle['Untested with 6 mm plywood']).toEqual({ id: 'row-removed', section: 'bom', present: false })
    expect(foldNeeds([goneAnchor], facts()).needs[0]!.about).toEqual({ id: 'row-removed', section: null, present: false })
  })

  it('records the history of a need, and what a new record should name', () => {
    const need = foldNeeds([opened, bobClaims, bobReleases, authorCloses, reopened], facts()).needs[0]!
    expect(need.events.map((e) => [e.op, e.actor])).toEqual([
      ['open', carol.id],
      ['claim', bob.id],
      ['release', bob.id],
      ['close', carol.id],
      ['reopen', carol.id],
    ])
    expect(need.reopened).toBe(1)
    expect(need.updated).toBe(5_000)
    expect(need.heads).toEqual([bobReleases.id, reopened.id].sort())
  })

  it("one key's flood of needs is cut at its own bound and hides nobody else's", { timeout: 60_000 }, async () => {
    const flood = await Promise.all(Array.from({ length: MAX_NEEDS_PER_AUTHOR + 5 }, (_, i) => sign(flooder, [], { op: 'open', title: `junk ${i}`, labels: ['aaa'] })))
    const state = foldNeeds([...flood, opened], facts())
    expect(state.needs.filter((n) => n.author === flooder.id)).toHaveLength(MAX_NEEDS_PER_AUTHOR)
    expect(state.needs.map((n) => n.id)).toContain(opened.id)
    expect(state.ignored.map((i) => i.reason)).toEqual(Array(5).fill(`more than ${MAX_NEEDS_PER_AUTHOR} needs opened by one author`))
    // its labels weigh as one person's: carol's show in the summary beside them
    expect(needsSummary(state).labels).toEqual(expect.arrayContaining(['aaa', 'hardware', 'help wanted']))
  })

  it("one key's flood of records on one need is cut at its own bound", { timeout: 60_000 }, async () => {
    const ops: SignedRecord[] = []
    let prev: SignedRecord = opened
    for (let i = 0; i < MAX_NEED_OPS_PER_AUTHOR + 2; i++) {
      prev = await sign(flooder, [prev], { op: i % 2 === 0 ? 'claim' : 'release', need: opened })
      ops.push(prev)
    }
    const state = foldNeeds([opened, ...ops, malloryClaims], facts())
    expect(state.needs[0]!.claims).toEqual([mallory.id])
    expect(state.ignored.map((i) => i.reason)).toEqual(Array(2).fill(`more than ${MAX_NEED_OPS_PER_AUTHOR} records by one author on one need`))
  })
})

describe('needsSummary and matchesNeed', () => {
  it('counts needs by status and lists the labels of those not closed, the most widely used first', async () => {
    const other = await sign(bob, [], { op: 'open', title: 'Laser cutter in Lyon', labels: ['help wanted', 'lyon'] })
    const done = await sign(bob, [], { op: 'open', title: 'done', labels: ['closed-label'] })
    const doneClose = await sign(bob, [done], { op: 'close', need: done })
    const state = foldNeeds([opened, bobClaims, other, done, doneClose], facts())
    expect(needsSummary(state)).toEqual({ open: 1, claimed: 1, closed: 1, labels: ['help wanted', 'hardware', 'lyon'] })
  })

  it("each author adds at most MAX_NEED_LABELS labels to the summary", async () => {
    const many = await sign(flooder, [], { op: 'open', title: 'many', labels: Array.from({ length: MAX_NEED_LABELS }, (_, i) => `l${i}`) })
    const more = await sign(flooder, [], { op: 'open', title: 'more', labels: ['zz'] })
    const labels = needsSummary(foldNeeds([many, more], facts())).labels
    expect(labels).toHaveLength(MAX_NEED_LABELS)
    expect(labels).not.toContain('zz')
  })

  it('says from a summary whether a design may hold needs a filter wants', () => {
    const summary = { open: 1, claimed: 0, closed: 2, labels: ['hardware'] }
    expect(summaryMatches(summary)).toBe(true)
    expect(summaryMatches(summary, { label: 'Hardware' })).toBe(true)
    expect(summaryMatches(summary, { label: 'lyon' })).toBe(false)
    expect(summaryMatches(summary, { status: 'claimed' })).toBe(false)
    expect(summaryMatches(summary, { status: 'closed', label: 'lyon' })).toBe(true)
    // labels cut at the bound cannot rule a label out
    const full = { ...summary, labels: Array.from({ length: MAX_NEEDS_SUMMARY_LABELS }, (_, i) => `l${i}`) }
    expect(summaryMatches(full, { label: 'lyon' })).toBe(true)
  })

  it('filters by status (default: not closed), label and words', () => {
    const need = foldNeeds([opened, bobClaims], facts()).needs[0]!
    expect(matchesNeed(need)).toBe(true)
    expect(matchesNeed(need, { status: 'claimed' })).toBe(true)
    expect(matchesNeed(need, { status: 'open' })).toBe(false)
    expect(matchesNeed(need, { label: 'Help Wanted' })).toBe(true)
    expect(matchesNeed(need, { label: 'lyon' })).toBe(false)
    expect(matchesNeed(need, { text: 'hinge cheaper' })).toBe(true)
    expect(matchesNeed(need, { text: 'plywood' })).toBe(false)
    const closed = foldNeeds([opened, authorCloses], facts()).needs[0]!
    expect(matchesNeed(closed)).toBe(false)
    expect(matchesNeed(closed, { status: 'closed' })).toBe(true)
  })
})
