/**
 * The chunk check against real Automerge output: whole documents and incremental saves check
 * out, and every way a file can be torn or damaged is caught, without loading a document.
 */
import * as A from '@automerge/automerge'
import { deflateRawSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkChunks, CHUNK_MAGIC } from '../src/chunks.js'
import { seeded } from './helpers.js'

function documentWithHistory(): { full: Uint8Array; first: Uint8Array; increments: Uint8Array[] } {
  let doc = A.from<{ title: string; rows: { name: string; qty: number }[]; readme?: string }>({ title: 'Loom', rows: [] })
  const first = A.save(doc)
  const increments: Uint8Array[] = []
  for (let i = 0; i < 5; i++) {
    doc = A.change(doc, (d) => {
      d.rows.push({ name: `part ${i}`, qty: i })
      if (i === 3) d.readme = 'x'.repeat(20_000)
    })
    increments.push(A.saveIncremental(doc))
  }
  return { full: A.save(doc), first, increments }
}

describe('checkChunks', () => {
  const { full, first, increments } = documentWithHistory()

  it('accepts what A.save and A.saveIncremental write, alone and concatenated', () => {
    expect(checkChunks(full)).toEqual({ ok: true, chunks: 1 })
    expect(checkChunks(first)).toEqual({ ok: true, chunks: 1 })
    for (const inc of increments) expect(checkChunks(inc).ok).toBe(true)
    const all = Buffer.concat([first, ...increments])
    expect(checkChunks(all)).toEqual({ ok: true, chunks: 1 + increments.length })
    // Automerge reads the same bytes as the same document: the check agrees with the loader.
    expect(A.getHeads(A.load(all))).toEqual(A.getHeads(A.load(full)))
  })

  it('reports an empty file as empty', () => {
    expect(checkChunks(new Uint8Array())).toMatchObject({ ok: false, problem: 'empty' })
  })

  it('catches a file cut short at every length', () => {
    const all = Buffer.concat([first, increments[0]!, increments[3]!])
    const whole = new Set([first.length, first.length + increments[0]!.length, all.length])
    for (let n = 1; n < all.length; n++) {
      if (whole.has(n)) continue
      expect(checkChunks(all.subarray(0, n)), `cut at ${n}`).toMatchObject({ ok: false, problem: 'truncated' })
    }
  })

  it('catches any damaged byte (checksum, type, length or contents), seeded', () => {
    const random = seeded(1717)
    for (let i = 0; i < 300; i++) {
      const bytes = Uint8Array.from(full)
      const at = Math.floor(random() * bytes.length)
      bytes[at] = bytes[at]! ^ (1 + Math.floor(random() * 255))
      expect(checkChunks(bytes).ok, `byte ${at}`).toBe(false)
    }
  })

  it('refuses bytes that are not Automerge at all', () => {
    expect(checkChunks(new TextEncoder().encode('{"not":"automerge"}'))).toMatchObject({ ok: false, problem: 'bad-magic' })
    expect(checkChunks(Buffer.concat([full, Buffer.from('trailing junk')]))).toMatchObject({ ok: false, problem: 'bad-magic', offset: full.length })
  })

  it('checks a deflated change chunk against the change it inflates to, as Automerge does', () => {
    const change = increments[3]!
    // Rebuild the change as a type-2 chunk: same checksum, deflated contents.
    const { contents, checksum } = splitChunk(change)
    const deflated = deflateRawSync(contents)
    const chunk = Buffer.concat([CHUNK_MAGIC, checksum, Uint8Array.of(2), uleb(deflated.length), deflated])
    expect(checkChunks(chunk)).toEqual({ ok: true, chunks: 1 })
    // Automerge loads it: our reading of the format is Automerge's.
    const doc = A.loadIncremental(A.load(Buffer.concat([first, ...increments.slice(0, 3)])), chunk)
    expect(A.getHeads(doc)).toEqual(A.getHeads(A.load(Buffer.concat([first, ...increments.slice(0, 4)]))))
    const damaged = Buffer.concat([CHUNK_MAGIC, Uint8Array.of(0, 0, 0, 0), Uint8Array.of(2), uleb(deflated.length), deflated])
    expect(checkChunks(damaged)).toMatchObject({ ok: false, problem: 'bad-checksum' })
    const junk = Buffer.from('not deflate at all')
    expect(checkChunks(Buffer.concat([CHUNK_MAGIC, checksum, Uint8Array.of(2), uleb(junk.length), junk]))).toMatchObject({ ok: false, problem: 'bad-deflate' })
  })

  it('computes the checksum Automerge computes: sha-256 of type, length and contents', () => {
    const { type, length, contents, checksum } = splitChunk(full)
    const digest = createHash('sha256').update(Uint8Array.of(type)).update(length).update(contents).digest()
    expect([...digest.subarray(0, 4)]).toEqual([...checksum])
  })
})

function splitChunk(chunk: Uint8Array): { type: number; length: Uint8Array; contents: Uint8Array; checksum: Uint8Array } {
  let at = 9
  while (chunk[at]! & 0x80) at++
  return { type: chunk[8]!, checksum: chunk.subarray(4, 8), length: chunk.subarray(9, at + 1), contents: chunk.subarray(at + 1) }
}

function uleb(n: number): Uint8Array {
  const out: number[] = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return Uint8Array.from(out)
}
