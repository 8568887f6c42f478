import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { concatBytes, utf8 } from '../src/bytes.js'
import {
  cleanDisplayName,
  Commons,
  createIdentity,
  designIdFor,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_FIELD_LENGTH,
  NameBook,
  recordName,
  RECORD_SIGNING_DOMAIN,
  signRecord,
  verifyRecord,
  type DesignId,
  type Identity,
} from '../src/index.js'
import { designDocs, exchange, injectRecord, person } from './helpers.js'

const comment = { kind: 'comment' as const, subject: 's', text: 'hello' }

/** Signs an arbitrary body, as a client with other rules (or a hostile one) could. */
async function signRaw(me: Identity, body: Record<string, unknown>): Promise<Uint8Array> {
  const sig = await me.privateKey.sign(concatBytes(utf8.encode(RECORD_SIGNING_DOMAIN), dagCbor.encode(body)))
  return dagCbor.encode({ body, sig })
}

async function setup() {
  const me = await createIdentity('Wanjiru (Nairobi makerspace)')
  const design = designIdFor(me.id, 'n') as DesignId
  const body = (extra: Record<string, unknown> = {}) => ({ v: 1, design, author: me.id, time: 1, prev: [], base: [], heads: [], payload: comment, ...extra })
  return { me, design, body }
}

describe('names in signed records', () => {
  it('a record carries its signer\'s name, verifies, and exposes it', async () => {
    const { me, design } = await setup()
    const r = await signRecord(me, { design, payload: comment })
    const v = await verifyRecord(r.bytes, design)
    expect(v.body.name).toBe('Wanjiru (Nairobi makerspace)')
    expect(recordName(v)).toBe('Wanjiru (Nairobi makerspace)')
  })

  it('a record without a name, as written before names travelled, still verifies; its author is unnamed', async () => {
    const { me, design, body } = await setup()
    const v = await verifyRecord(await signRaw(me, body()), design)
    expect(v.body).not.toHaveProperty('name')
    expect(recordName(v)).toBeNull()
  })

  it('a name cannot be changed, added or removed without invalidating the signature', async () => {
    const { me, design, body } = await setup()
    const r = await signRecord(me, { design, payload: comment })
    const env = dagCbor.decode(r.bytes) as { body: Record<string, unknown>; sig: Uint8Array }
    await expect(verifyRecord(dagCbor.encode({ ...env, body: { ...env.body, name: 'Mallory' } }), design)).rejects.toThrow('signature does not verify')
    const { name: _dropped, ...nameless } = env.body
    await expect(verifyRecord(dagCbor.encode({ ...env, body: nameless }), design)).rejects.toThrow('signature does not verify')
    const old = dagCbor.decode(await signRaw(me, body())) as { body: Record<string, unknown>; sig: Uint8Array }
    await expect(verifyRecord(dagCbor.encode({ ...old, body: { ...old.body, name: 'Mallory' } }), design)).rejects.toThrow('signature does not verify')
  })

  it('a record whose name is not a string or is longer than MAX_FIELD_LENGTH is malformed, even when signed', async () => {
    const { me, design, body } = await setup()
    for (const name of [42, null, ['Wanjiru'], { first: 'Wanjiru' }, new Uint8Array([65]), 'x'.repeat(MAX_FIELD_LENGTH + 1)]) {
      await expect(verifyRecord(await signRaw(me, body({ name })), design)).rejects.toThrow('malformed record: name')
    }
  })

  it('a long or unruly name verifies as signed and is cleaned for display', async () => {
    const { me, design, body } = await setup()
    const long = await verifyRecord(await signRaw(me, body({ name: 'w'.repeat(MAX_FIELD_LENGTH) })), design)
    expect(long.body.name).toHaveLength(MAX_FIELD_LENGTH)
    expect(recordName(long)).toBe(`${'w'.repeat(MAX_DISPLAY_NAME_LENGTH - 1)}…`)
    const unruly = await verifyRecord(await signRaw(me, body({ name: ' Ali\u202Ece\n\tthe   maker\u200B ' })), design)
    expect(recordName(unruly)).toBe('Alice the maker')
    expect(recordName(await verifyRecord(await signRaw(me, body({ name: ' \n\u2066 ' })), design))).toBeNull()
  })

  it('display cleaning keeps letters, accents and emoji sequences, and cuts on a character boundary', () => {
    expect(cleanDisplayName('Ngũgĩ 👩‍🔧')).toBe('Ngũgĩ 👩‍🔧')
    expect(cleanDisplayName('Cafe\u0301')).toBe('Café')
    const cut = cleanDisplayName('👩‍🔧'.repeat(MAX_DISPLAY_NAME_LENGTH + 5))!
    expect(cut).toBe(`${'👩‍🔧'.repeat(MAX_DISPLAY_NAME_LENGTH - 1)}…`)
  })
})

describe('the name book', () => {
  it('keeps the latest name each person signed, by the records\' own time, whatever order they are read in', async () => {
    const { me, design } = await setup()
    const renamed: Identity = { ...me, name: 'Wanjiru K.' }
    const first = await signRecord(me, { design, payload: comment, time: 1_000 })
    const second = await signRecord(renamed, { design, payload: comment, time: 2_000 })
    expect(NameBook.from([first, second]).get(me.id)).toBe('Wanjiru K.')
    expect(NameBook.from([second, first]).get(me.id)).toBe('Wanjiru K.')
    expect(new NameBook().add([second]).merge(NameBook.from([first])).get(me.id)).toBe('Wanjiru K.')
    expect(NameBook.from([first]).get('12D3KooWsomeoneelse')).toBeNull()
  })

  it('two people with the same name stay distinct by id', async () => {
    const { design } = await setup()
    const a = await createIdentity('Alice')
    const b = await createIdentity('Alice')
    const book = NameBook.from([await signRecord(a, { design, payload: comment }), await signRecord(b, { design, payload: comment })])
    expect(a.id).not.toBe(b.id)
    expect(book.size).toBe(2)
    expect(book.toJSON()).toEqual({ [a.id]: 'Alice', [b.id]: 'Alice' })
  })
})

describe('names in a commons', () => {
  async function withImpostor() {
    const alice = await person('Alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    await alice.commons.addBomRow(design, { name: 'frame', quantity: 4 })
    // Someone else, calling themself Alice too, forks the design and proposes a change.
    const impostor = await person('Alice')
    await exchange(alice.repo, impostor.repo, await designDocs(alice, design))
    const fork = await impostor.commons.fork(design)
    await impostor.commons.addBomRow(fork, { name: 'bolt', quantity: 8 })
    const { proposal } = await impostor.commons.propose({ from: fork, to: design, title: 'Bolts' })
    await exchange(impostor.repo, alice.repo, [...(await designDocs(impostor, fork)), ...(await designDocs(impostor, design)), proposal])
    return { alice, impostor, design, fork, proposal }
  }

  it('log, proposals, forks and the design\'s name book carry each author\'s name beside their id', async () => {
    const { alice, impostor, design, proposal } = await withImpostor()
    const log = await alice.commons.log(design)
    expect(log.map((e) => [e.author, e.authorName])).toEqual(log.map(() => [alice.me.id, 'Alice']))
    expect(await alice.commons.proposals(design)).toEqual([expect.objectContaining({ author: impostor.me.id, authorName: 'Alice' })])
    const inbox = await alice.commons.inbox(await alice.commons.design(design))
    expect(inbox.forks).toEqual([expect.objectContaining({ author: impostor.me.id, authorName: 'Alice' })])
    await alice.commons.commentOnProposal(proposal, 'Which bolts?')
    const p = await alice.commons.proposal(proposal)
    expect(p.names.toJSON()).toEqual({ [alice.me.id]: 'Alice', [impostor.me.id]: 'Alice' })
    const names = await alice.commons.names(design)
    expect(names.toJSON()).toEqual({ [alice.me.id]: 'Alice', [impostor.me.id]: 'Alice' })
    // The design's own governance holds only the real maintainer's records.
    expect((await alice.commons.design(design)).names.toJSON()).toEqual({ [alice.me.id]: 'Alice' })
  })

  it('a renamed key is known by its latest name everywhere in the design', async () => {
    const { alice, design } = await withImpostor()
    const renamed = new Commons(alice.repo, { ...alice.me, name: 'Alice (weaving guild)' })
    await renamed.addStep(design, { title: 'Oil' })
    expect((await alice.commons.log(design)).every((e) => e.authorName === 'Alice (weaving guild)')).toBe(true)
    expect((await alice.commons.names(design)).get(alice.me.id)).toBe('Alice (weaving guild)')
  })

  it('a non-maintainer\'s signed record written into the design adds nothing to its names', async () => {
    const { alice, impostor, design } = await withImpostor()
    const d = await alice.commons.design(design)
    const junk = await signRecord(impostor.me, { design: d.id, prev: d.state.recordHeads, payload: { kind: 'content', reason: 'edit', summary: 'mine now', proposal: null } })
    await injectRecord(alice.repo, design, junk.bytes)
    const after = await alice.commons.design(design)
    expect(after.state.ignored).toEqual([expect.objectContaining({ author: impostor.me.id })])
    expect(after.names.toJSON()).toEqual({ [alice.me.id]: 'Alice' })
  })

  it('a copy of a maintainer\'s record with another name in it is rejected and changes nobody\'s name', async () => {
    const { alice, impostor, design } = await withImpostor()
    const genuine = (await alice.commons.design(design)).state.genesis
    const env = dagCbor.decode(genuine.bytes) as { body: Record<string, unknown>; sig: Uint8Array }
    const forged = dagCbor.encode({ ...env, body: { ...env.body, name: 'Mallory', time: Date.now() + 1e9 } })
    await injectRecord(impostor.repo, design, forged)
    await exchange(impostor.repo, alice.repo, [design])
    const d = await alice.commons.design(design)
    expect(d.state.ignored).toEqual([expect.objectContaining({ author: alice.me.id, reason: 'signature does not verify' })])
    expect(d.names.get(alice.me.id)).toBe('Alice')
  })
})
