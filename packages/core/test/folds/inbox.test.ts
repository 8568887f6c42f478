/** The inbox fold, table by table: pure, no Repo; every bound per author. */
import { describe, expect, it } from 'vitest'
import {
  createIdentity,
  designIdFor,
  foldInbox,
  MAX_COMMENTS_PER_AUTHOR,
  MAX_POINTERS_PER_AUTHOR,
  proposalIdFor,
  signRecord,
  type SignedRecord,
} from '../../src/index.js'

const alice = await createIdentity('alice')
const bob = await createIdentity('bob')
const flooder = await createIdentity('flooder')
const design = designIdFor(alice.id, 'd')
const otherDesign = designIdFor(alice.id, 'o')
const fork = designIdFor(bob.id, 'f')
const record = (who: typeof alice, payload: Parameters<typeof signRecord>[1]['payload']) => signRecord(who, { design, payload })

const forkPointer = await record(bob, { kind: 'fork-pointer', fork })
const forkAgain = await record(alice, { kind: 'fork-pointer', fork })
const proposalPointer = await record(bob, { kind: 'proposal-pointer', proposal: proposalIdFor(bob.id, 'p') })
const discussion = await record(bob, { kind: 'comment', subject: design, text: 'does it fold?', about: 'row1' })
const offTopic = await record(bob, { kind: 'comment', subject: otherDesign, text: 'elsewhere' })
const wrongKind = await record(bob, { kind: 'verdict', proposal: proposalIdFor(bob.id, 'p'), revision: '0'.repeat(64) as never, verdict: 'accept', comment: '' })
const flood = await Promise.all(
  Array.from({ length: MAX_POINTERS_PER_AUTHOR + 10 }, (_, i) => record(flooder, { kind: 'proposal-pointer', proposal: proposalIdFor(flooder.id, `p${i}`) })),
)

const rows: { name: string; records: SignedRecord[]; forks?: number; proposals?: number; comments?: string[]; ignored?: RegExp[] }[] = [
  { name: 'a fork pointer and a proposal pointer', records: [forkPointer, proposalPointer], forks: 1, proposals: 1 },
  { name: 'a second pointer to the same fork counts once', records: [forkPointer, forkAgain], forks: 1 },
  { name: "a design's discussion, anchored to a row", records: [discussion], comments: ['does it fold?'] },
  { name: 'a comment on something else is reported', records: [offTopic], comments: [], ignored: [/comment on something else/] },
  { name: 'a record of a kind that does not belong is reported', records: [wrongKind], ignored: [/does not belong in an inbox/] },
  {
    name: "one author's flood is cut at their own bound and hides nobody else",
    records: [...flood, proposalPointer],
    proposals: MAX_POINTERS_PER_AUTHOR + 1,
    ignored: Array.from({ length: 10 }, () => /more than 64 proposal pointer records by one author/),
  },
]

describe('foldInbox', () => {
  for (const row of rows) {
    it(row.name, () => {
      const state = foldInbox(design, row.records)
      if (row.forks !== undefined) expect(state.forks).toHaveLength(row.forks)
      if (row.proposals !== undefined) expect(state.proposals).toHaveLength(row.proposals)
      if (row.proposals !== undefined && row.records.includes(proposalPointer)) {
        expect(state.proposals.map((p) => p.author)).toContain(bob.id)
      }
      if (row.comments !== undefined) expect(state.comments.map((c) => c.text)).toEqual(row.comments)
      const reasons = state.ignored.map((i) => i.reason)
      expect(reasons).toHaveLength(row.ignored?.length ?? 0)
      row.ignored?.forEach((re, i) => expect(reasons[i]).toMatch(re))
    })
  }

  it('keeps what a comment is about, even when that entry no longer exists', () => {
    expect(foldInbox(design, [discussion]).comments[0]).toMatchObject({ about: 'row1', replyTo: null })
  })

  it('names come only from the records that counted', () => {
    const state = foldInbox(design, [...flood, offTopic])
    expect(state.names.map((n) => n.person)).toEqual([flooder.id])
    expect(MAX_COMMENTS_PER_AUTHOR).toBeGreaterThan(0)
  })
})
