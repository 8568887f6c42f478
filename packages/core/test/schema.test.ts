import * as A from '@automerge/automerge'
import { describe, expect, it } from 'vitest'
import { parseContent, parseLicence, parseQuantity, parseField, parseTag } from '../src/index.js'

describe('content parsing and input validation', () => {
  it('parses a content document into typed, ordered content', () => {
    const doc = A.from({
      schema: 'cosmolocal/content@1',
      title: new A.ImmutableString('Loom'),
      summary: new A.ImmutableString(''),
      readme: '# Loom',
      version: new A.ImmutableString('1.0'),
      tags: { weaving: true },
      licenses: { hardware: new A.ImmutableString('CERN-OHL-S-2.0'), documentation: null, software: null },
      bom: {
        b: { name: new A.ImmutableString('second'), quantity: 2, unit: new A.ImmutableString('pcs'), material: new A.ImmutableString(''), notes: '', position: 2 },
        a: { name: new A.ImmutableString('first'), quantity: 1, unit: new A.ImmutableString('m'), material: new A.ImmutableString('oak'), notes: '', position: 1 },
      },
      steps: {},
      files: {},
    } as Record<string, unknown>)
    const { content, problems } = parseContent(doc)
    expect(problems).toEqual([])
    expect(content.bom.map((r) => r.name)).toEqual(['first', 'second'])
    expect(content.licenses.hardware).toBe('CERN-OHL-S-2.0')
    expect(content.tags).toEqual(['weaving'])
  })

  it('keeps what it can of malformed content and reports the rest', () => {
    const { content, problems } = parseContent({ schema: 'x', title: 5, bom: { r: { name: 'n', quantity: -1 }, q: 'nope' } })
    expect(content.title).toBe('')
    expect(content.bom).toEqual([])
    expect(problems.map((p) => p.path)).toEqual(['schema', 'bom.r.quantity'])
  })

  it('validates what people type', async () => {
    expect(parseQuantity('2.5')).toBe(2.5)
    expect(() => parseQuantity('0')).toThrow(/positive number/)
    expect(() => parseQuantity('abc')).toThrow(/positive number/)
    expect(() => parseField('a\nb', 'title')).toThrow(/single line/)
    expect(() => parseField('', 'title', { required: true })).toThrow(/required/)
    expect(await parseLicence('CERN-OHL-S-2.0', 'hardware')).toBe('CERN-OHL-S-2.0')
    expect(await parseLicence('MIT OR Apache-2.0', 'software')).toBe('MIT OR Apache-2.0')
    await expect(parseLicence('MIT OR', 'software')).rejects.toThrow(/SPDX/)
    await expect(parseLicence('not a licence!', 'software')).rejects.toThrow(/SPDX/)
    expect(parseTag('Weaving')).toBe('weaving')
  })
})
