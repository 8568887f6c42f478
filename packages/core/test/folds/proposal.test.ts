/**
 * The proposal fold, table by table: pure, no Repo. Records are really signed (the fold trusts its
 * input to be verified, so the table builds it as the record log would).
 */
import { describe, expect, it } from 'vitest'
import {
  createIdentity,
  designIdFor,
  foldProposal,
  proposalIdFor,
  signRecord,
  type ChangeHash,
  type DesignId,
  type HeadsApproval,
  type Identity,
  type SignedRecord,
  type SourceFacts,
} from '../../src/index.js'

const H = (c: string) => c.repeat(64) as ChangeHash
const people = { bob: await createIdentity('bob'), eve: await createIdentity('eve'), alice: await createIdentity('alice'), carol: await createIdentity('carol') }
const target = designIdFor(people.alice.id, 'target')
const source = designIdFor(people.bob.id, 'source')
const other = designIdFor(people.eve.id, 'other')
const proposal = proposalIdFor(people.bob.id, 'n1')

const sign = (who: Identity, payload: Parameters<typeof signRecord>[1]['payload'], extra: { prev?: string[]; heads?: ChangeHash[]; base?: ChangeHash[]; time?: number } = {}) =>
  signRecord(who, { design: target, heads: extra.heads ?? [], base: extra.base ?? [], prev: extra.prev as never, time: extra.time, payload })

const opening = await sign(people.bob, { kind: 'revision', proposal, source, title: 'Bolts', description: 'first', nonce: 'n1' }, { heads: [H('1')] })
const second = await sign(people.bob, { kind: 'revision', proposal, source, title: 'Bolts v2', description: '' }, { prev: [opening.id], heads: [H('2')] })
const byEve = await sign(people.eve, { kind: 'revision', proposal, source: other, title: 'Mine', description: '', nonce: 'n1' }, { heads: [H('e')], time: 0 })
const otherSource = await sign(people.bob, { kind: 'revision', proposal, source: other, title: 'elsewhere', description: '' }, { prev: [opening.id], heads: [H('3')] })
const unsigned = await sign(people.bob, { kind: 'revision', proposal, source, title: 'junk', description: '' }, { prev: [opening.id], heads: [H('9')] })
const accept = await sign(people.alice, { kind: 'verdict', proposal, revision: opening.id, verdict: 'accept', comment: '' })
const rejectByEve = await sign(people.eve, { kind: 'verdict', proposal, revision: opening.id, verdict: 'reject', comment: '' })
const reject = await sign(people.alice, { kind: 'verdict', proposal, revision: opening.id, verdict: 'reject', comment: 'no' }, { base: [H('0')] })
const comment = await sign(people.carol, { kind: 'comment', subject: proposal, text: 'nice' })
const reply = await sign(people.bob, { kind: 'comment', subject: proposal, text: 'thanks', replyTo: comment.id }, { prev: [comment.id] })
const stray = await sign(people.carol, { kind: 'fork-pointer', fork: other })

const facts = (approvals: HeadsApproval[] = []) => ({ id: target, maintainers: [people.alice.id], threshold: 1, approvals })
const signedHeads = new Set([H('1'), H('2'), H('3'), H('e')])
const src: SourceFacts = { id: source, signed: (heads) => heads.every((h) => signedHeads.has(h)) }
const merged = (revision: string): HeadsApproval => ({
  heads: [H('m')],
  reason: 'merge',
  proposal: { proposal, revision: revision as never },
  signers: [people.alice.id],
  needed: 1,
  approved: true,
  available: true,
  records: [],
  summary: '',
})

interface Row {
  name: string
  records: SignedRecord[]
  approvals?: HeadsApproval[]
  source?: SourceFacts | null
  expect: {
    author?: string
    title?: string
    revisions?: string[]
    statuses?: string[]
    status?: string
    verdicts?: number
    comments?: string[]
    ignored?: string[]
    none?: true
  }
}

const rows: Row[] = [
  { name: 'the opening alone: open, by its author, from its source', records: [opening], expect: { author: people.bob.id, title: 'Bolts', revisions: ['Bolts'], status: 'open' } },
  { name: 'no opening: nothing to show', records: [second, accept], expect: { none: true } },
  { name: 'a later revision by the author supersedes the opening', records: [opening, second], expect: { revisions: ['Bolts', 'Bolts v2'], statuses: ['superseded', 'open'], title: 'Bolts v2' } },
  {
    name: "someone else's revision (ground to sort first, with a nonce) is ignored",
    records: [byEve, opening],
    expect: { author: people.bob.id, revisions: ['Bolts'], ignored: ["revision by someone other than the proposal's author"] },
  },
  { name: "the author's revision from another source is ignored", records: [opening, otherSource], expect: { revisions: ['Bolts'], ignored: ['revision from another source design'] } },
  { name: 'a revision naming changes the source never signed is ignored', records: [opening, unsigned], expect: { revisions: ['Bolts'], ignored: ['revision names changes the source design has not signed'] } },
  { name: 'with the source not here, revisions are listed unchecked', records: [opening, unsigned], source: null, expect: { revisions: ['Bolts', 'junk'] } },
  { name: 'a merge of the revision makes it accepted', records: [opening, accept], approvals: [merged(opening.id)], expect: { status: 'accepted', statuses: ['accepted'], verdicts: 1 } },
  { name: 'an accept verdict without a merge leaves it open', records: [opening, accept], expect: { status: 'open' } },
  { name: "a maintainer's reject verdict rejects it", records: [opening, reject], expect: { status: 'rejected', verdicts: 1 } },
  { name: "a stranger's verdict is ignored", records: [opening, rejectByEve], expect: { status: 'open', verdicts: 0, ignored: ['verdict by someone who is not a maintainer of the target'] } },
  { name: 'anyone may comment, and reply', records: [opening, comment, reply], expect: { comments: ['nice', 'thanks'] } },
  { name: 'records of other kinds are reported', records: [opening, stray], expect: { ignored: ['a fork-pointer record does not belong in a proposal'] } },
]

describe('foldProposal', () => {
  for (const row of rows) {
    it(row.name, () => {
      const state = foldProposal(proposal, row.records, facts(row.approvals), row.source === undefined ? src : row.source)
      if (row.expect.none) {
        expect(state).toBeNull()
        return
      }
      expect(state).not.toBeNull()
      const e = row.expect
      if (e.author) expect(state!.author).toBe(e.author)
      if (e.title) expect(state!.title).toBe(e.title)
      if (e.revisions) expect(state!.revisions.map((r) => r.title)).toEqual(e.revisions)
      if (e.statuses) expect(state!.revisions.map((r) => r.status)).toEqual(e.statuses)
      if (e.status) expect(state!.status).toBe(e.status)
      if (e.verdicts !== undefined) expect(state!.verdicts).toHaveLength(e.verdicts)
      if (e.comments) expect(state!.comments.map((c) => c.text)).toEqual(e.comments)
      if (e.ignored) expect(state!.ignored.map((i) => i.reason)).toEqual(e.ignored)
      expect(state!.source).toBe(source)
    })
  }

  it('keeps the base a verdict was signed at, for diffs of reviewed proposals', () => {
    const state = foldProposal(proposal, [opening, reject], facts(), src)
    expect(state!.verdicts[0]!.base).toEqual([H('0')])
  })

  it('a reply names the comment it answers', () => {
    const state = foldProposal(proposal, [opening, comment, reply], facts(), src)
    expect(state!.comments[1]!.replyTo).toBe(comment.id)
  })
})
