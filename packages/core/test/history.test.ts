/**
 * Records out of a document's changes: a change that is nothing but appended records is read
 * straight from its bytes, any other is decoded op by op, and the two give what decoding every
 * change gives (the same candidates, the same junk counted).
 */
import * as A from '@automerge/automerge'
import { describe, expect, it } from 'vitest'
import { createIdentity, designIdFor, scanChanges, signRecord, type ChangeHash, type RecordId, type ScanCounters } from '../src/index.js'
import { decodeRecord } from '../src/records.js'
import { prng } from './helpers.js'

type Doc = { records: Uint8Array[]; note?: string; blob?: Uint8Array }

const alice = await createIdentity('alice')
const design = designIdFor(alice.id, 'g')
let n = 0
const record = async () =>
  (await signRecord(alice, { design, payload: { kind: 'comment', subject: design, text: `comment ${n++}` } })).bytes

const counters = (): ScanCounters => ({ changesDecoded: 0, changesDecodedByOps: 0, signaturesVerified: 0 })

/** What reading every change op by op finds: record ids, and byte strings that are not records. */
function decodedEveryChange(doc: A.Doc<unknown>): { ids: string[]; junk: number } {
  const ids = new Set<string>()
  let junk = 0
  for (const change of A.getAllChanges(doc)) {
    for (const op of A.decodeChange(change).ops) {
      if (op.action !== 'set') continue
      const v: unknown = op.value
      const bytes = v instanceof Uint8Array ? v : Array.isArray(v) ? Uint8Array.from(v as number[]) : null
      if (bytes === null || bytes.length === 0) continue
      try {
        ids.add(decodeRecord(bytes).id)
      } catch {
        junk++
      }
    }
  }
  return { ids: [...ids].sort(), junk }
}

describe('scanChanges', () => {
  it('appended records are read from the changes’ bytes: only a change holding something else is decoded op by op', async () => {
    let doc = A.from<Doc>({ records: [] })
    for (let i = 0; i < 20; i++) {
      const bytes = await record()
      doc = A.change(doc, (d) => void d.records.push(bytes))
    }
    const c = counters()
    const scan = scanChanges(doc, null, new Set(), c)
    expect(scan.candidates).toHaveLength(20)
    expect(c.changesDecoded).toBe(21)
    // the first change made the list
    expect(c.changesDecodedByOps).toBe(1)
  })

  it('junk beside a record in one change is still counted, and the record still read', async () => {
    const bytes = await record()
    const doc = A.change(A.from<Doc>({ records: [] }), (d) => {
      d.records.push(bytes)
      d.records.push(new Uint8Array([1, 2, 3, 4]))
    })
    const scan = scanChanges(doc, null, new Set())
    expect(scan.candidates.map((r) => r.id)).toEqual([decodeRecord(bytes).id])
    expect(scan.discarded).toBe(1)
  })

  it('finds what decoding every change finds, on randomized histories of records, junk, edits and deletions (seed 12)', { timeout: 60_000 }, async () => {
    const random = prng(12)
    for (let round = 0; round < 6; round++) {
      let doc = A.from<Doc>({ records: [] })
      let since: ChangeHash[] | null = null
      const seen = new Set<string>()
      let discarded = 0
      const found: RecordId[] = []
      for (let step = 0; step < 25; step++) {
        const kind = Math.floor(random() * 6)
        const bytes = await record()
        doc = A.change(doc, (d) => {
          if (kind <= 1) d.records.push(bytes)
          else if (kind === 2) d.records.push(new Uint8Array(Array.from({ length: 1 + Math.floor(random() * 80) }, () => Math.floor(random() * 256))))
          else if (kind === 3) (d.records.push(bytes), (d.note = `edit ${step}`))
          else if (kind === 4 && d.records.length > 0) d.records.splice(0, 1)
          else d.blob = bytes.slice(0, 70)
        })
        // incremental, as a record log reads: the changes since the last scan
        if (step % 5 === 4) {
          const scan = scanChanges(doc, since, seen)
          found.push(...scan.candidates.map((r) => r.id))
          discarded += scan.discarded
          since = scan.heads
        }
      }
      const reference = decodedEveryChange(doc)
      expect([...found].sort()).toEqual(reference.ids)
      expect(discarded).toBe(reference.junk)
    }
  })
})
