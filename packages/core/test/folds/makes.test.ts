/** The makes fold, table by table: pure, no Repo; every bound per author. */
import { describe, expect, it } from 'vitest'
import { createIdentity, designIdFor, foldMakes, MAX_MAKE_PHOTO_BYTES, MAX_MAKES_PER_AUTHOR, signRecord, type ChangeHash, type Identity, type SignedRecord } from '../../src/index.js'

const H = (c: string) => [c.repeat(64) as ChangeHash]
const [alice, bob, flooder] = (await Promise.all(['alice', 'bob', 'flooder'].map((n) => createIdentity(n)))) as [Identity, Identity, Identity]
const design = designIdFor(alice.id, 'd')
const other = designIdFor(alice.id, 'o')
const photo = { name: 'built.jpg', hash: 'a'.repeat(64), size: 1000, root: 'b'.repeat(64), mediaType: 'image/jpeg' }
const make = (who: typeof alice, o: { heads?: ChangeHash[]; place?: string; size?: number; design?: typeof design } = {}) =>
  signRecord(who, {
    design: o.design ?? design,
    heads: o.heads ?? H('1'),
    payload: { kind: 'make', place: o.place ?? 'Nairobi, KE', result: 'works', changes: '', notes: '', photos: o.size === undefined ? [] : [{ ...photo, size: o.size }] },
  })

const bobs = await make(bob, { place: 'Lyon, FR' })
const unsigned = await make(bob, { heads: H('9'), place: 'nowhere' })
const noHeads = await make(bob, { heads: [] })
const huge = await make(bob, { size: MAX_MAKE_PHOTO_BYTES + 1 })
const elsewhere = await make(bob, { design: other })
const flood = await Promise.all(Array.from({ length: MAX_MAKES_PER_AUTHOR + 3 }, (_, i) => make(flooder, { place: `p${i}` })))
const signed = (heads: readonly string[]) => (heads[0]!.startsWith('9') ? false : true)

const rows: { name: string; records: SignedRecord[]; places: string[]; ignored?: RegExp[] }[] = [
  { name: 'a build report counts, with its place', records: [bobs], places: ['Lyon, FR'] },
  { name: 'a report naming heads the maintainers never signed is ignored', records: [bobs, unsigned], places: ['Lyon, FR'], ignored: [/never signed/] },
  { name: 'a report naming no version is ignored', records: [noHeads], places: [], ignored: [/name the version built/] },
  { name: 'a report with a photo over the bound is ignored', records: [huge], places: [], ignored: [/photo larger than/] },
  { name: 'a report bound to another design is not this design’s', records: [elsewhere], places: [] },
  {
    name: "one author's flood is cut at their own bound and hides nobody else's",
    records: [...flood, bobs],
    places: [...Array.from({ length: MAX_MAKES_PER_AUTHOR }, () => '(one of the flood)'), 'Lyon, FR'],
    ignored: Array.from({ length: 3 }, () => new RegExp(`more than ${MAX_MAKES_PER_AUTHOR} build reports`)),
  },
]

describe('foldMakes', () => {
  for (const row of rows) {
    it(row.name, () => {
      const state = foldMakes(design, row.records, signed)
      expect(state.makes).toHaveLength(row.places.length)
      if (row.places.length < 10) expect(state.makes.map((m) => m.place).sort()).toEqual([...row.places].sort())
      else expect(state.makes.map((m) => m.place)).toContain(row.places.at(-1))
      const reasons = state.ignored.map((i) => i.reason)
      expect(reasons).toHaveLength(row.ignored?.length ?? 0)
      row.ignored?.forEach((re, i) => expect(reasons[i]).toMatch(re))
    })
  }

  it('keeps the same reports whatever order they arrive in (the lowest record ids per author)', () => {
    const a = foldMakes(design, [...flood].reverse()).makes.map((m) => m.make).sort()
    const b = foldMakes(design, flood).makes.map((m) => m.make).sort()
    expect(a).toEqual(b)
  })

  it('counts while this store cannot tell whether the heads were signed', () => {
    expect(foldMakes(design, [unsigned], () => null).makes).toHaveLength(1)
  })
})
