/**
 * The contributions fold, table by table: pure, no Repo. Records are really signed and go through
 * the governance and proposal folds as verification would hand them over; the content document is
 * a small table of changes (which change follows which, and which entries each one created).
 */
import { describe, expect, it } from 'vitest'
import {
  createIdentity,
  creditDesign,
  designIdFor,
  foldContributions,
  foldGovernance,
  foldProposal,
  proposalIdFor,
  signRecord,
  type ChangeHash,
  type ContentFacts,
  type Contributions,
  type CreditDesign,
  type DesignId,
  type Identity,
  type RecordPayload,
  type SignedRecord,
} from '../../src/index.js'

/** Change hashes are hex: each change of the table below is named by a letter, spelt as one hex digit. */
const CODE: Record<string, string> = { g: '0', a: 'a', c: 'c', b: 'b', d: 'd', q: '1', x: '2' }
const H = (c: string) => CODE[c]!.repeat(64) as ChangeHash
const [alice, bob, carol, dan, eve] = (await Promise.all(['alice', 'bob', 'carol', 'dan', 'eve'].map((n) => createIdentity(n)))) as [Identity, Identity, Identity, Identity, Identity]

/**
 * The content history every design here shares: g (alice creates) → a (alice: row frame) →
 * c (carol, in bob's fork: row bolt) → b (bob: step assemble) → d (dan, in his fork of the fork:
 * row strap); q (carol: step oil) follows c.
 */
const PARENT: Record<string, string | null> = { g: null, a: 'g', c: 'a', b: 'c', d: 'b', q: 'c', x: 'a' }
const CREATES: Record<string, { bom?: string[]; steps?: string[] }> = { g: {}, a: { bom: ['frame'] }, c: { bom: ['bolt'] }, b: { steps: ['assemble'] }, d: { bom: ['strap'] }, q: { steps: ['oil'] }, x: { bom: ['eve-row'] } }
const letter = (h: string) => Object.keys(CODE).find((k) => CODE[k] === h[0])!
const ancestors = (heads: readonly string[]) => {
  const out = new Set<string>()
  for (let h of heads.map(letter)) for (let c: string | null = h; c !== null; c = PARENT[c]!) out.add(c)
  return out
}
const content: ContentFacts = {
  covers: (of, heads) => heads.every((h) => ancestors(of).has(letter(h))),
  introduced: (base, heads) => {
    const before = ancestors(base)
    const changes = [...ancestors(heads)].filter((c) => !before.has(c))
    return { bom: changes.flatMap((c) => CREATES[c]!.bom ?? []), steps: changes.flatMap((c) => CREATES[c]!.steps ?? []), files: [] }
  },
}

const U = designIdFor(alice.id, 'u')
const F = designIdFor(bob.id, 'f')
const D = designIdFor(dan.id, 'd')
const P = proposalIdFor(bob.id, 'p')
const Q = proposalIdFor(carol.id, 'q')
const R = proposalIdFor(dan.id, 'r')
const P2 = proposalIdFor(bob.id, 'p2')

type Payload = RecordPayload
const sign = (who: Identity, design: DesignId, payload: Payload, o: { prev?: SignedRecord[]; heads?: string[]; base?: string[] } = {}) =>
  signRecord(who, { design, payload, prev: (o.prev ?? []).map((r) => r.id), heads: (o.heads ?? []).map(H), base: (o.base ?? []).map(H) })
const genesis = (who: Identity, design: DesignId, nonce: string, heads: string, forkedFrom: { design: DesignId; heads: string } | null) =>
  sign(who, design, { kind: 'genesis', nonce, content: design, inbox: design, forkedFrom: forkedFrom === null ? null : { design: forkedFrom.design, heads: [H(forkedFrom.heads)] }, title: '' }, { heads: [heads] })
const edit = (who: Identity, design: DesignId, prev: SignedRecord, base: string, heads: string) =>
  sign(who, design, { kind: 'content', reason: 'edit', summary: `edit ${heads}`, proposal: null }, { prev: [prev], base: [base], heads: [heads] })
const merge = (who: Identity, design: DesignId, prev: SignedRecord, base: string, heads: string, proposal: string, revision: SignedRecord) =>
  sign(who, design, { kind: 'content', reason: 'merge', summary: 'merged', proposal: { proposal: proposal as never, revision: revision.id } }, { prev: [prev], base: [base], heads: [heads] })
const opening = (who: Identity, target: DesignId, id: string, nonce: string, source: DesignId, title: string, heads: string) =>
  sign(who, target, { kind: 'revision', proposal: id as never, source, title, description: '', nonce }, { heads: [heads] })
const verdict = (who: Identity, target: DesignId, id: string, revision: SignedRecord, v: 'accept' | 'reject') =>
  sign(who, target, { kind: 'verdict', proposal: id as never, revision: revision.id, verdict: v, comment: '' }, { prev: [revision] })

// Upstream U (alice): created at g, frame added at a.
const uGenesis = await genesis(alice, U, 'u', 'g', null)
const uFrame = await edit(alice, U, uGenesis, 'g', 'a')
// Fork F (bob) of U at a; carol co-maintains; carol adds bolt (c), bob adds the step (b).
const fGenesis = await genesis(bob, F, 'f', 'a', { design: U, heads: 'a' })
const addCarol = await sign(bob, F, { kind: 'governance', action: { op: 'add', member: carol.id }, nonce: 'n' }, { prev: [fGenesis] })
const carolBolt = await edit(carol, F, addCarol, 'a', 'c')
const bobStep = await edit(bob, F, carolBolt, 'c', 'b')
// P: bob proposes F (at b) to U; alice merges it.
const pOpen = await opening(bob, U, P, 'p', F, 'Bolted frame', 'b')
const pMerge = await merge(alice, U, uFrame, 'a', 'b', P, pOpen)
const pAccept = await verdict(alice, U, P, pOpen, 'accept')
// Q: carol proposes her oiling step (q); alice rejects it.
const qOpen = await opening(carol, U, Q, 'q', F, 'Oil it', 'q')
const qReject = await verdict(alice, U, Q, qOpen, 'reject')
// D (dan) forks F at b, adds the strap (d); bob merges it into F; bob proposes F to U again; alice merges.
const dGenesis = await genesis(dan, D, 'd', 'b', { design: F, heads: 'b' })
const danStrap = await edit(dan, D, dGenesis, 'b', 'd')
const rOpen = await opening(dan, F, R, 'r', D, 'A strap', 'd')
const rMerge = await merge(bob, F, bobStep, 'b', 'd', R, rOpen)
const p2Open = await opening(bob, U, P2, 'p2', F, 'Strap too', 'd')
const p2Merge = await merge(alice, U, pMerge, 'b', 'd', P2, p2Open)
// Eve, a stranger: a signed edit of U, a merge record, a verdict; none of them hers to sign.
const eveEdit = await edit(eve, U, uFrame, 'a', 'x')
const eveMerge = await merge(eve, U, uFrame, 'a', 'b', P, pOpen)
const eveVerdict = await verdict(eve, U, P, pOpen, 'accept')

function design(id: DesignId, records: SignedRecord[], proposals: { id: string; records: SignedRecord[] }[] = []): CreditDesign {
  const history = foldGovernance(id, records, null)
  const states = proposals.map((p) =>
    foldProposal(p.id as never, p.records, { id, maintainers: history.state.maintainers, threshold: history.state.threshold, approvals: history.state.approvals }, null)!,
  )
  return creditDesign(history, states)
}

interface Row {
  name: string
  u: SignedRecord[]
  proposals: { id: string; records: SignedRecord[] }[]
  related?: ('F' | 'D')[]
  expect: Record<string, Partial<Record<'merged' | 'rows' | 'steps' | 'reviews' | 'merges' | 'cited', number>> | null>
  missing?: DesignId[]
}

const F_RECORDS = [fGenesis, addCarol, carolBolt, bobStep]
const rows: Row[] = [
  {
    name: 'a merged proposal credits its author and the fork’s content authors; the maintainer the review and the merge',
    u: [uGenesis, uFrame, pMerge],
    proposals: [{ id: P, records: [pOpen, pAccept] }],
    related: ['F'],
    expect: { alice: { rows: 1, reviews: 1, merges: 1, merged: 0 }, bob: { merged: 1, steps: 1, rows: 0 }, carol: { merged: 1, rows: 1, steps: 0 } },
  },
  {
    name: 'a rejected proposal credits only the review',
    u: [uGenesis, uFrame, pMerge],
    proposals: [
      { id: P, records: [pOpen, pAccept] },
      { id: Q, records: [qOpen, qReject] },
    ],
    related: ['F'],
    expect: { alice: { reviews: 2, merges: 1 }, carol: { merged: 1, steps: 0 } },
  },
  {
    name: 'a fork’s later merge upstream credits the fork’s authors upstream, through the fork’s own merge',
    u: [uGenesis, uFrame, pMerge, p2Merge],
    proposals: [
      { id: P, records: [pOpen, pAccept] },
      { id: P2, records: [p2Open] },
    ],
    related: ['F', 'D'],
    expect: { dan: { merged: 1, rows: 1 }, bob: { merged: 2, steps: 1, merges: 0 }, carol: { merged: 1, rows: 1 }, alice: { merges: 2, rows: 1 } },
  },
  {
    name: 'hostile signed writes by a stranger credit nobody',
    u: [uGenesis, uFrame, eveEdit, eveMerge],
    proposals: [{ id: P, records: [pOpen, eveVerdict] }],
    related: ['F'],
    expect: { eve: null, alice: { rows: 1, merges: 0, reviews: 0 }, bob: null, carol: null },
  },
  {
    name: 'when the source design is not here, the proposal’s author is credited and the source listed missing',
    u: [uGenesis, uFrame, pMerge],
    proposals: [{ id: P, records: [pOpen, pAccept] }],
    related: [],
    expect: { bob: { merged: 1, steps: 1, rows: 1 }, carol: null },
    missing: [F],
  },
]

const people: Record<string, Identity> = { alice, bob, carol, dan, eve }

describe('foldContributions', () => {
  const f = design(F, [...F_RECORDS, rMerge], [{ id: R, records: [rOpen] }])
  const d = design(D, [dGenesis, danStrap])
  for (const row of rows) {
    it(row.name, () => {
      const related = new Map<DesignId, CreditDesign>()
      if (row.related?.includes('F')) related.set(F, f)
      if (row.related?.includes('D')) related.set(D, d)
      const result = foldContributions({ design: design(U, row.u, row.proposals), related: (id) => related.get(id) ?? null, content, comments: [], needs: [], makes: [] })
      for (const [name, counts] of Object.entries(row.expect)) {
        const c = result.contributors.find((x) => x.id === people[name]!.id)
        if (counts === null) expect(c, name).toBeUndefined()
        else expect(c, name).toMatchObject(counts)
      }
      expect(result.missing).toEqual(row.missing ?? [])
    })
  }

  it('the fork cites its upstream’s authors, and credits its own', () => {
    const result = foldContributions({ design: f, related: (id) => (id === U ? design(U, [uGenesis, uFrame]) : id === D ? d : null), content, comments: [], needs: [], makes: [] })
    const by = (who: Identity) => result.contributors.find((c) => c.id === who.id)
    expect(by(alice)).toMatchObject({ cited: 1, rows: 0 })
    expect(by(carol)).toMatchObject({ rows: 1, maintainer: [{ until: null }] })
    expect(by(bob)).toMatchObject({ steps: 1, merges: 1, maintainer: [{ until: null }] })
    expect(by(dan)).toMatchObject({ merged: 1, rows: 1 })
    expect(result.events.filter((e) => e.kind === 'cited').map((e) => e.design)).toEqual([U])
  })

  it('counts comments, needs and makes as given, each once', () => {
    const u = design(U, [uGenesis])
    const c = { record: uFrame.id, author: carol.id, time: 1 }
    const result: Contributions = foldContributions({
      design: u,
      related: () => null,
      content,
      comments: [c, c],
      needs: [{ ...c, record: pOpen.id, title: 'a heddle' }],
      makes: [{ make: qOpen.id, author: dan.id, time: 2, place: 'Nairobi, KE', result: 'works', changes: '', notes: '', heads: [H('a')], photos: [] }],
    })
    expect(result.contributors.find((x) => x.id === carol.id)).toMatchObject({ comments: 1, needs: 1 })
    expect(result.contributors.find((x) => x.id === dan.id)).toMatchObject({ makes: 1 })
    expect(result.events.find((e) => e.kind === 'make')!.detail).toBe('Nairobi, KE')
  })

  it('a removed maintainer’s period ends at the removal', () => {
    const remove = sign(bob, F, { kind: 'governance', action: { op: 'remove', member: carol.id }, nonce: 'r' }, { prev: [bobStep] })
    return remove.then((r) => {
      const c = foldContributions({ design: design(F, [...F_RECORDS, r]), related: () => null, content, comments: [], needs: [], makes: [] })
      expect(c.contributors.find((x) => x.id === carol.id)!.maintainer).toEqual([{ since: expect.any(Number), until: r.body.time }])
    })
  })
})
