// @vitest-environment node
import { Repo } from '@automerge/automerge-repo'
import { seedSampleCommons } from '@cosmolocal/cli'
import { Commons } from '@cosmolocal/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { arrange, facets, NO_FILTER, type CatalogueItem } from '../src/peer/catalogue.js'
import { itemFromDesign } from '../src/peer/library.js'
import { SEARCH_EXAMPLE } from '../src/peer/search-example.js'
import { searchIndex, singular } from '../src/peer/search.js'

/** The sample commons `npm start` serves, as catalogue items. */
let items: CatalogueItem[] = []
const titles = (urls: string[]) => urls.map((u) => items.find((i) => i.url === u)!.title)

beforeAll(async () => {
  const repo = new Repo({})
  const sample = await seedSampleCommons(repo)
  const c = new Commons(repo, null)
  items = await Promise.all([...sample.designs, sample.fork].map(async (u) => itemFromDesign(await c.design(u))))
}, 60_000)

describe('catalogue search over the sample commons', () => {
  it('finds each word of the search box’s example', () => {
    const index = searchIndex(items)
    const words = SEARCH_EXAMPLE.replace(/^e\.g\.\s*/, '').split(/,\s*/)
    expect(words.length).toBeGreaterThan(1)
    for (const w of words) expect(index.search(w), w).not.toEqual([])
  })

  it('ranks designs named after the query above those that only mention it', () => {
    const found = titles(searchIndex(items).search('loom'))
    expect(found.slice(0, 2).sort()).toEqual(['OHLOOM frame loom', 'OHLOOM, Nairobi edition'].sort())
    expect(titles(searchIndex(items).search('frame loom'))[0]).toBe('OHLOOM frame loom')
  })

  it('searches materials, part names, tags and word prefixes', () => {
    const index = searchIndex(items)
    expect(titles(index.search('beech')).sort()).toEqual(['OHLOOM frame loom', 'OHLOOM, Nairobi edition'])
    expect(titles(index.search('grevillea'))).toEqual(['OHLOOM, Nairobi edition'])
    expect(titles(index.search('polycarbonate'))).toEqual(['Solar food dryer'])
    expect(titles(index.search('weav')).sort()).toEqual(['OHLOOM frame loom', 'OHLOOM, Nairobi edition'])
    expect(titles(index.search('compost'))).toEqual(['Compost sifter'])
  })

  it('folds plurals: "looms", "trays" and "bolts" find a loom, a tray and a bolt', () => {
    const index = searchIndex(items)
    expect(titles(index.search('looms'))).toContain('OHLOOM frame loom')
    expect(titles(index.search('trays'))).toEqual(['Solar food dryer'])
    expect(titles(index.search('bolts'))).toContain('OHLOOM frame loom')
    expect(['looms', 'boxes', 'batteries', 'glass', 'bus'].map(singular)).toEqual(['loom', 'box', 'battery', 'glass', 'bus'])
  })

  it('forgives a typo: "bech" finds beech, "compots" the compost sifter', () => {
    const index = searchIndex(items)
    expect(titles(index.search('bech'))).toContain('OHLOOM frame loom')
    expect(titles(index.search('compots'))).toEqual(['Compost sifter'])
  })

  it('needs every word: "larch steel" is the sifter alone', () => {
    expect(titles(searchIndex(items).search('larch steel'))).toEqual(['Compost sifter'])
    expect(searchIndex(items).search('larch polycarbonate')).toEqual([])
  })

  it('filters by tag, licence and material, and sorts by name or last change', () => {
    const f = facets(items)
    expect(f.tags).toContain('woodwork')
    expect(f.licences).toContain('CERN-OHL-S-2.0')
    expect(titles(arrange(items, { ...NO_FILTER, tag: 'woodwork' }, 'name', null).map((i) => i.url))).toEqual(['Compost sifter', 'OHLOOM frame loom', 'OHLOOM, Nairobi edition'])
    expect(titles(arrange(items, { ...NO_FILTER, licence: 'CERN-OHL-W-2.0' }, 'name', null).map((i) => i.url))).toEqual(['Solar food dryer'])
    expect(titles(arrange(items, { ...NO_FILTER, material: 'sisal' }, 'name', null).map((i) => i.url))).toEqual(['OHLOOM, Nairobi edition'])
    // The fork was made last in the sample.
    expect(titles(arrange(items, NO_FILTER, 'recent', null).map((i) => i.url))[0]).toBe('OHLOOM, Nairobi edition')
  })
})
