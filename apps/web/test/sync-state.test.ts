// @vitest-environment node
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import * as A from '@automerge/automerge/slim'
import { CATALOGUE_PROTOCOL as HUB_CATALOGUE_PROTOCOL } from '@cosmolocal/hub'
import { beforeAll, describe, expect, it } from 'vitest'
import { CATALOGUE_PROTOCOL, parseHeadsAnswer } from '../src/peer/hub-heads.js'
import { combine, documentSync } from '../src/peer/sync-state.js'

beforeAll(async () => {
  const wasm = createRequire(import.meta.url).resolve('@automerge/automerge/automerge.wasm')
  await A.initializeWasm(await readFile(wasm))
})

describe('sync state', () => {
  it('is in sync when the hub stored exactly the local heads', () => {
    const doc = A.from({ n: 1 })
    expect(documentSync(doc, A.getHeads(doc))).toEqual({ status: 'in-sync', pending: 0 })
  })

  it('counts the local changes the hub has not acknowledged', () => {
    const base = A.from({ n: 1 })
    const acked = A.getHeads(base)
    let doc = A.change(base, (d) => void (d.n = 2))
    doc = A.change(doc, (d) => void (d.n = 3))
    expect(documentSync(doc, acked)).toEqual({ status: 'pending', pending: 2 })
  })

  it('counts every change of a document the hub does not hold or was never asked about', () => {
    const doc = A.change(A.from({ n: 1 }), (d) => void (d.n = 2))
    expect(documentSync(doc, null)).toEqual({ status: 'pending', pending: 2 })
    expect(documentSync(doc, undefined)).toEqual({ status: 'pending', pending: 2 })
  })

  it('is behind when the hub holds changes this browser lacks', () => {
    const doc = A.from({ n: 1 })
    const ahead = A.change(A.clone(doc), (d) => void (d.n = 2))
    expect(documentSync(doc, A.getHeads(ahead))).toEqual({ status: 'behind', pending: 0 })
    expect(documentSync(undefined, A.getHeads(ahead))).toEqual({ status: 'behind', pending: 0 })
  })

  it('a design is pending if any document is, and counts one edit (a record and its content change) once', () => {
    expect(combine([{ status: 'in-sync', pending: 0 }, { status: 'pending', pending: 2 }, { status: 'behind', pending: 0 }])).toEqual({ status: 'pending', pending: 2 })
    // One edit: one governance record, one content change.
    expect(combine([{ status: 'pending', pending: 1 }, { status: 'pending', pending: 1 }, { status: 'in-sync', pending: 0 }])).toEqual({ status: 'pending', pending: 1 })
    expect(combine([{ status: 'pending', pending: 3 }, { status: 'pending', pending: 4 }, { status: 'pending', pending: 1 }])).toEqual({ status: 'pending', pending: 3 })
    expect(combine([{ status: 'in-sync', pending: 0 }, { status: 'behind', pending: 0 }])).toEqual({ status: 'behind', pending: 0 })
    expect(combine([{ status: 'in-sync', pending: 0 }])).toEqual({ status: 'in-sync', pending: 0 })
    expect(combine([])).toEqual({ status: 'unknown', pending: 0 })
  })
})

describe("the hub's heads answer", () => {
  const h = 'a'.repeat(64)
  it('speaks the protocol the hub serves', () => {
    expect(CATALOGUE_PROTOCOL).toBe(HUB_CATALOGUE_PROTOCOL)
  })

  it('keeps only documents that were asked about, with well-formed heads', () => {
    const answer = { v: 1, want: 'heads', heads: [{ id: 'x', heads: [h] }, { id: 'y', heads: null }, { id: 'z', heads: [h] }, { id: 'w', heads: ['nope'] }] }
    expect([...parseHeadsAnswer(answer, ['x', 'y', 'w'])]).toEqual([
      ['x', [h]],
      ['y', null],
    ])
  })

  it('reports a refusal and rejects a malformed answer', () => {
    expect(() => parseHeadsAnswer({ v: 1, error: 'busy' }, [])).toThrow('the hub refused the heads request: busy')
    expect(() => parseHeadsAnswer({ v: 2 }, [])).toThrow('malformed')
    expect(() => parseHeadsAnswer('junk', [])).toThrow('malformed')
  })
})
