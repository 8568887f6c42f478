/**
 * Generated designs for the scale rows. Each design starts as a real `Commons.createDesign` (its
 * genesis, governance, content and inbox documents as core makes them); its history is then grown
 * directly with Automerge and core's `signRecord`: content changes, and content records signed by
 * the maintainer at the heads they name, exactly what `changeContent` writes, without verifying the
 * whole design again before every edit (which is what makes going through `Commons` one edit at a
 * time too slow for 50,000 changes). The results are real designs: `Commons` verifies them.
 *
 * A design is a `Draft` while it is grown; `writeDocuments` puts documents into a NodeFS store.
 */
import * as A from '@automerge/automerge'
import { encodeHeads, generateAutomergeUrl, parseAutomergeUrl, Repo } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
import {
  Commons,
  designIdFor,
  GOVERNANCE_SCHEMA,
  INBOX_SCHEMA,
  signRecord,
  type ChangeHash,
  type DesignId,
  type DocumentId,
  type Identity,
  type RecordId,
} from '@cosmolocal/core'
import { randomBytes } from 'node:crypto'
import { headsKey } from './heads.ts'

/** Bump whenever what the generators make changes: cached fixtures of other versions are rebuilt. */
export const GENERATOR_VERSION = 2

export interface DesignDocs {
  design: DesignId
  content: DocumentId
  inbox: DocumentId
}

type AnyDoc = A.Doc<Record<string, unknown>>

/** Detached copy (own actor, no repo behind it) of a document, to grow with A.change. */
const detach = (doc: A.Doc<unknown>): AnyDoc => A.load(A.save(doc)) as AnyDoc

/** A design being grown: its documents and the maintainer's position in its record log. */
export class Draft {
  /** Content records signed so far (the genesis not counted). */
  signed = 0
  readonly me: Identity
  readonly ids: DesignDocs
  gov: AnyDoc
  content: AnyDoc
  inbox: AnyDoc
  /** The record a new record names in `prev`. */
  prev: RecordId[]
  /** The canonical heads (the last signed ones). */
  canon: ChangeHash[]

  private constructor(me: Identity, ids: DesignDocs, docs: { gov: AnyDoc; content: AnyDoc; inbox: AnyDoc }, prev: RecordId[], canon: ChangeHash[]) {
    this.me = me
    this.ids = ids
    this.gov = docs.gov
    this.content = docs.content
    this.inbox = docs.inbox
    this.prev = prev
    this.canon = canon
  }

  /** A new design made by core (`Commons.createDesign` on a throwaway in-memory repo). */
  static async create(me: Identity, init: Parameters<Commons['createDesign']>[0]): Promise<Draft> {
    const repo = new Repo({ network: [] })
    try {
      const commons = new Commons(repo, me)
      const id = await commons.createDesign(init)
      return await Draft.fromRepo(repo, commons, id)
    } finally {
      await repo.shutdown()
    }
  }

  /**
   * A new design written the way `Commons.createDesign` writes one (content document, inbox,
   * governance document with a genesis bound to the design id), without a repo: for generating
   * thousands. `template` is a content document core made (`contentTemplate`); `fields` replace
   * some of its top-level fields. The fixtures check a sample of such designs with `Commons`.
   */
  static async direct(me: Identity, template: A.Doc<unknown>, fields: Record<string, unknown>): Promise<Draft> {
    const newId = () => parseAutomergeUrl(generateAutomergeUrl()).documentId as DocumentId
    const content = A.from({ ...(copyValue(template) as Record<string, unknown>), ...fields }) as AnyDoc
    const nonce = randomBytes(16).toString('hex')
    const design = designIdFor(me.id, nonce)
    const inboxId = newId()
    const contentId = newId()
    const inbox = A.from({ schema: INBOX_SCHEMA, design, entries: [] } as Record<string, unknown>) as AnyDoc
    const genesis = await signRecord(me, {
      design,
      heads: A.getHeads(content),
      payload: { kind: 'genesis', nonce, content: contentId, inbox: inboxId, forkedFrom: null, title: '' },
    })
    const gov = A.change(A.from({ schema: GOVERNANCE_SCHEMA, records: [] } as Record<string, unknown>), (d) => {
      ;(d.records as Uint8Array[]).push(genesis.bytes)
    }) as AnyDoc
    return new Draft(me, { design, content: contentId, inbox: inboxId }, { gov, content, inbox }, [genesis.id], A.getHeads(content) as ChangeHash[])
  }

  /** A design held by `repo`, to grow further as `commons`'s identity (a maintainer of it). */
  static async fromRepo(repo: Repo, commons: Commons, id: DesignId): Promise<Draft> {
    const d = await commons.design(id)
    const doc = (docId: DocumentId) => detach(repo.handles[docId]!.doc() as A.Doc<unknown>)
    return new Draft(
      commons.identity!,
      { design: d.id, content: d.contentId, inbox: d.inboxId },
      { gov: doc(d.id), content: doc(d.contentId), inbox: doc(d.inboxId) },
      d.state.recordHeads,
      d.state.canonicalHeads,
    )
  }

  /** One content change (one Automerge change), not signed yet. */
  change(fn: (doc: Record<string, unknown>) => void): void {
    this.content = A.change(this.content, fn)
  }

  /** Signs the content's current heads as the new canonical heads (what `changeContent` does). */
  async sign(summary: string): Promise<void> {
    const heads = A.getHeads(this.content) as ChangeHash[]
    if (heads.join() === this.canon.join()) return
    const record = await signRecord(this.me, {
      design: this.ids.design,
      prev: this.prev,
      base: this.canon,
      heads,
      payload: { kind: 'content', reason: 'edit', summary, proposal: null },
    })
    this.gov = A.change(this.gov, (d) => {
      ;(d.records as Uint8Array[]).push(record.bytes)
    })
    this.prev = [record.id]
    this.canon = heads
    this.signed++
  }

  /** `changes` content changes, the heads signed after every `signEvery` of them (and at the end). */
  async grow(changes: number, signEvery: number, onProgress?: (done: number) => void): Promise<void> {
    for (let i = 0; i < changes; i++) {
      const edit = contentEdit(i)
      this.change(edit.apply)
      if ((i + 1) % signEvery === 0 || i === changes - 1) await this.sign(edit.summary)
      if (onProgress !== undefined && (i + 1) % 5000 === 0) onProgress(i + 1)
    }
  }

  documents(): [DocumentId, AnyDoc][] {
    return [
      [this.ids.design, this.gov],
      [this.ids.content, this.content],
      [this.ids.inbox, this.inbox],
    ]
  }
}

/** A content document as `Commons.createDesign` makes it, to copy for `Draft.direct`. */
export async function contentTemplate(me: Identity): Promise<A.Doc<unknown>> {
  const draft = await Draft.create(me, { title: 'template', licenses: { hardware: 'CERN-OHL-S-2.0' } })
  return draft.content
}

/** A plain copy of a document's value, ImmutableStrings kept as such (for A.from). */
function copyValue(v: unknown): unknown {
  if (v instanceof A.ImmutableString) return new A.ImmutableString(v.val)
  if (v instanceof Uint8Array) return new Uint8Array(v)
  if (Array.isArray(v)) return v.map(copyValue)
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyValue(x)]))
  return typeof v === 'string' ? `${v}` : v
}

/** BOM rows a grown design ends up with; later changes edit them and the readme. */
const ROWS = 50
const rowId = (n: number) => n.toString(16).padStart(12, '0')

/**
 * The i-th change of a grown design: the first ROWS add BOM rows (a row as `addBomRow` writes it),
 * then every third appends a word to the readme (collaborative text) and the others change a row's
 * quantity. The document stays the size of a real design while its history grows.
 */
function contentEdit(i: number): { summary: string; apply: (doc: Record<string, unknown>) => void } {
  if (i < ROWS) {
    return {
      summary: `added BOM row "part ${i}"`,
      apply: (doc) => {
        ;(doc.bom as Record<string, unknown>)[rowId(i)] = {
          name: new A.ImmutableString(`part ${i}`),
          quantity: 1,
          unit: new A.ImmutableString('pcs'),
          material: new A.ImmutableString(i % 2 === 0 ? 'steel' : 'birch plywood'),
          notes: '',
          position: i + 1,
        }
      },
    }
  }
  if (i % 3 === 0) {
    return {
      summary: 'edited readme',
      apply: (doc) => {
        const readme = typeof doc.readme === 'string' ? doc.readme : ''
        A.splice(doc as A.Doc<unknown>, ['readme'], readme.length, 0, `${i % 7 === 0 ? '\n' : ''}step${i} `)
      },
    }
  }
  const row = i % ROWS
  return {
    summary: `changed BOM row "part ${row}"`,
    apply: (doc) => {
      ;((doc.bom as Record<string, Record<string, unknown>>)[rowId(row)]!).quantity = (i % 97) + 1
    },
  }
}

/** A small design as a person makes one: created, then three BOM rows added (four signed records). */
export async function smallDesign(me: Identity, template: A.Doc<unknown>, i: number): Promise<Draft> {
  const draft = await Draft.direct(me, template, {
    title: new A.ImmutableString(`Bench design ${i}`),
    summary: new A.ImmutableString('A design made by the benchmark'),
    tags: { bench: true, [`batch-${i % 10}`]: true },
  })
  const rows = [
    { name: 'frame', quantity: 4, unit: 'pcs', material: 'birch plywood', notes: '' },
    { name: 'M4 bolt', quantity: 16, unit: 'pcs', material: 'steel', notes: '' },
    { name: 'belt', quantity: 1.5, unit: 'm', material: '', notes: 'GT2, 6 mm' },
  ]
  for (const [n, r] of rows.entries()) {
    draft.change((doc) => {
      ;(doc.bom as Record<string, unknown>)[rowId(n)] = {
        name: new A.ImmutableString(r.name),
        quantity: r.quantity,
        unit: new A.ImmutableString(r.unit),
        material: new A.ImmutableString(r.material),
        notes: r.notes,
        position: n + 1,
      }
    })
    await draft.sign(`added BOM row "${r.name}"`)
  }
  return draft
}

/** Writes documents into the NodeFS store at `dir` (merged with what it holds), flushed to disk. */
export async function writeDocuments(dir: string, docs: Iterable<readonly [DocumentId, A.Doc<unknown>]>): Promise<void> {
  const repo = new Repo({ storage: new NodeFSStorageAdapter(dir), network: [] })
  try {
    for (const [id, doc] of docs) repo.import(A.save(doc), { docId: id })
    await repo.flush()
  } finally {
    await repo.shutdown()
  }
}

/** A document's heads as heads.ts compares them (automerge-repo's encoding, as `DocHandle.heads()` gives them). */
export function headsOf(doc: A.Doc<unknown>): string {
  return headsKey(encodeHeads(A.getHeads(doc)))
}
