import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { baseName, bomTotals, zipName } from '../src/peer/make.js'
import { personView, proposalsBy } from '../src/peer/person.js'
import { zipFiles } from '../src/peer/zip.js'
import type { CatalogueItem } from '../src/peer/catalogue.js'

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b)

describe('make-ability', () => {
  it('zips every file under its name, makes same names unique, and lists what could not be fetched', () => {
    const zip = zipFiles(
      [
        { name: 'frame.stl', bytes: new Uint8Array([1, 2, 3]) },
        { name: 'frame.stl', bytes: new Uint8Array([4]) },
        { name: 'photo.png', bytes: new Uint8Array([5, 6]) },
      ],
      ['heddle.svg'],
    )
    const files = unzipSync(zip)
    expect(Object.keys(files).sort()).toEqual(['MISSING.txt', 'frame (2).stl', 'frame.stl', 'photo.png'])
    expect([...files['frame.stl']!]).toEqual([1, 2, 3])
    expect([...files['frame (2).stl']!]).toEqual([4])
    expect(text(files['MISSING.txt'])).toContain('- heddle.svg')
    expect(zipName('OHLOOM frame loom / v2')).toBe('OHLOOM-frame-loom-v2-files.zip')
    expect(baseName('—')).toBe('design')
  })

  it('adds BOM quantities up per unit, in order of first use', () => {
    const row = (quantity: number, unit: string) => ({ id: unit + quantity, name: 'x', quantity, unit, material: '', notes: '', position: 0 })
    expect(bomTotals([row(0.1, 'm'), row(2, 'pcs'), row(0.2, 'm')])).toEqual([
      { unit: 'm', quantity: 0.3, rows: 2 },
      { unit: 'pcs', quantity: 2, rows: 1 },
    ])
  })
})

describe('a person’s page', () => {
  const item = (url: string, maintainers: string[], forkedFrom: string | null, names: Record<string, string> = {}): CatalogueItem => ({
    url, title: url, summary: '', tags: [], materials: [], forkedFrom, maintainers, names, local: true, hub: false,
  })
  it('lists the designs they maintain and the forks they made apart, with the name their records sign', () => {
    const made = { ...item('G', ['amara', 'wanjiru'], 'L'), creator: 'amara' }
    const v = personView([item('L', ['amara'], null, { amara: 'Amara' }), item('F', ['wanjiru'], 'L', { wanjiru: 'Wanjiru' }), item('D', ['amara'], null), made], 'wanjiru')
    expect(v).toMatchObject({ id: 'wanjiru', name: 'Wanjiru', designs: [], forks: [{ url: 'F' }] })
    expect(personView([made], 'amara').forks.map((f) => f.url)).toEqual(['G'])
    expect(personView([], 'nobody').name).toBeNull()
  })

  it('reads their proposals from each fork’s upstream, once per upstream', async () => {
    const asked: string[] = []
    const proposals = async (u: string) => {
      asked.push(u)
      return [
        { proposal: 'automerge:P1', author: 'wanjiru', source: 'F' },
        { proposal: 'automerge:P2', author: 'jonas', source: 'G' },
      ] as never
    }
    const found = await proposalsBy('wanjiru', [item('F', ['wanjiru'], 'L'), item('F2', ['wanjiru'], 'L')], proposals)
    expect(found.map((p) => p.proposal)).toEqual(['automerge:P1'])
    expect(asked).toEqual(['L'])
  })
})
