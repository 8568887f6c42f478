/** The governance fold, table by table: pure, no Repo (no content document: every heads set counts as held). */
import { describe, expect, it } from 'vitest'
import { createIdentity, designIdFor, foldGovernance, signRecord, type ChangeHash, type DesignId, type GovernanceAction, type Identity, type RecordId, type SignedRecord } from '../../src/index.js'

const H = (c: string) => [c.repeat(64) as ChangeHash]
const alice = await createIdentity('alice')
const bob = await createIdentity('bob')
const mallory = await createIdentity('mallory')
const design = designIdFor(alice.id, 'g')
const genesis = await signRecord(alice, {
  design,
  heads: H('0'),
  payload: { kind: 'genesis', nonce: 'g', content: design, inbox: design, forkedFrom: null, title: '' },
})
const sign = (who: Identity, prev: SignedRecord[], payload: Parameters<typeof signRecord>[1]['payload'], heads: ChangeHash[] = []) =>
  signRecord(who, { design: design as DesignId, prev: prev.map((r) => r.id) as RecordId[], heads, payload })
const edit = (who: Identity, prev: SignedRecord[], heads: ChangeHash[]) => sign(who, prev, { kind: 'content', reason: 'edit', summary: 'edit', proposal: null }, heads)
const gov = (who: Identity, prev: SignedRecord[], action: GovernanceAction, nonce = 'n') =>
  sign(who, prev, { kind: 'governance', action, nonce })

const addBob = await gov(alice, [genesis], { op: 'add', member: bob.id })
const aliceEdit = await edit(alice, [genesis], H('1'))
const bobEdit = await edit(bob, [addBob], H('2'))
const bobTooEarly = await edit(bob, [genesis], H('3'))
const malloryEdit = await edit(mallory, [genesis], H('4'))
const threshold2 = await gov(alice, [addBob], { op: 'threshold', k: 2 })
const halfSigned = await edit(alice, [threshold2], H('5'))
const cosigned = await edit(bob, [halfSigned], H('5'))
const removeBob = await gov(alice, [addBob], { op: 'remove', member: bob.id })
const bobConcurrent = await edit(bob, [addBob], H('6'))

const rows: { name: string; records: SignedRecord[]; maintainers: string[]; threshold?: number; canonical: ChangeHash[]; ignored?: string[] }[] = [
  { name: 'the genesis alone: its author maintains its heads', records: [genesis], maintainers: [alice.id], canonical: H('0') },
  { name: "a maintainer's edit becomes canonical", records: [genesis, aliceEdit], maintainers: [alice.id], canonical: [...H('0'), ...H('1')].sort() as ChangeHash[] },
  { name: 'an added maintainer may edit after being added', records: [genesis, addBob, bobEdit], maintainers: [alice.id, bob.id].sort(), canonical: [...H('0'), ...H('2')].sort() as ChangeHash[] },
  {
    name: 'a record by someone not yet a maintainer at its base is ignored',
    records: [genesis, addBob, bobTooEarly],
    maintainers: [alice.id, bob.id].sort(),
    canonical: H('0'),
    ignored: ["author was not a maintainer at the record's base"],
  },
  { name: "a stranger's edit is ignored", records: [genesis, malloryEdit], maintainers: [alice.id], canonical: H('0'), ignored: ["author was not a maintainer at the record's base"] },
  {
    name: 'with threshold 2, heads become canonical once two maintainers signed them',
    records: [genesis, addBob, threshold2, halfSigned],
    maintainers: [alice.id, bob.id].sort(),
    threshold: 2,
    canonical: H('0'),
  },
  { name: 'and the second signature makes them canonical', records: [genesis, addBob, threshold2, halfSigned, cosigned], maintainers: [alice.id, bob.id].sort(), threshold: 2, canonical: [...H('0'), ...H('5')].sort() as ChangeHash[] },
  {
    name: "a removed maintainer's content concurrent with the removal never counts",
    records: [genesis, addBob, removeBob, bobConcurrent],
    maintainers: [alice.id],
    canonical: H('0'),
    ignored: ['author was removed by a concurrent record'],
  },
]

describe('foldGovernance', () => {
  for (const row of rows) {
    it(row.name, () => {
      const { state } = foldGovernance(design, row.records, null)
      expect(state.maintainers).toEqual(row.maintainers)
      expect(state.threshold).toBe(row.threshold ?? 1)
      expect(state.canonicalHeads).toEqual(row.canonical)
      expect(state.ignored.map((i) => i.reason)).toEqual(row.ignored ?? [])
    })
  }

  it('keeps pending approvals and merges in the compact state, and every approval in the history', () => {
    const history = foldGovernance(design, [genesis, addBob, threshold2, halfSigned, aliceEdit], null)
    expect(history.state.approvals.map((a) => a.approved)).toEqual([false])
    expect(history.approvals.length).toBeGreaterThan(history.state.approvals.length)
    expect(history.valid.map((r) => r.id)).toContain(aliceEdit.id)
    expect(history.state.records.valid).toBe(history.valid.length)
  })
})
