/**
 * Creating designs and editing their content: the honest maintainer write. A maintainer's edit is
 * applied at the canonical heads (never on top of changes nobody signed) and the resulting heads
 * are signed; everyone else forks.
 */
import * as A from '@automerge/automerge'
import type { DocHandle } from '@automerge/automerge-repo'
import { applyDetailsPatch, detailsDoc, detailsPatchFields, parseDetailsInput, type DetailsInput } from '../details.js'
import { InvalidInputError } from '../errors.js'
import { applyPlacePatch, parsePlaceInput, placePatchFields, type PlaceInput } from '../place.js'
import { designIdFor, newNonce } from '../genesis.js'
import { headsKey, type ChangeHash, type DesignId } from '../ids.js'
import {
  CONTENT_SCHEMA,
  GOVERNANCE_SCHEMA,
  INBOX_SCHEMA,
  LICENCE_KINDS,
  parseField,
  parseLicence,
  parseLongText,
  parseQuantity,
  parseTag,
  type BomRowDoc,
  type ContentDoc,
  type LicenceKind,
  type StepDoc,
} from '../schema.js'
import type { Context } from './context.js'
import { findEntry, insertEntry, moveEntry, newEntryId, removeEntry, sectionOf } from './entries.js'
import type { VerifiedDesign } from './verifier.js'

export interface DesignInit extends DetailsInput {
  title: string
  summary?: string
  readme?: string
  version?: string
  tags?: string[]
  licenses?: Partial<Record<LicenceKind, string | null>>
}

export interface DesignPatch extends Omit<DetailsInput, 'parts' | 'software'>, PlaceInput {
  title?: string
  summary?: string
  readme?: string
  version?: string
  tags?: string[]
  licenses?: Partial<Record<LicenceKind, string | null>>
}

export interface BomRowInput {
  name?: string
  quantity?: number | string
  unit?: string
  material?: string
  notes?: string
}

export interface StepInput {
  title?: string
  body?: string
}

type Ref = string | VerifiedDesign

export class Editing {
  constructor(private readonly ctx: Context) {}

  async createDesign(init: DesignInit): Promise<DesignId> {
    this.ctx.me()
    const title = parseField(init.title, 'title', { required: true })
    const licences = await Promise.all(LICENCE_KINDS.map(async (k) => [k, await parseLicence(init.licenses?.[k], k)] as const))
    const content: Record<string, unknown> = {
      schema: CONTENT_SCHEMA,
      title: new A.ImmutableString(title),
      summary: new A.ImmutableString(parseField(init.summary, 'summary')),
      readme: parseLongText(init.readme, 'readme'),
      version: new A.ImmutableString(parseField(init.version, 'version')),
      tags: Object.fromEntries((init.tags ?? []).map((t) => [parseTag(t), true])),
      licenses: Object.fromEntries(licences.map(([k, l]) => [k, l === null ? null : new A.ImmutableString(l)])),
      bom: {},
      steps: {},
      files: {},
      ...detailsDoc(parseDetailsInput(init), newEntryId),
    }
    const contentHandle = this.ctx.store.create<ContentDoc>(content as unknown as ContentDoc)
    return await this.genesis(contentHandle, null)
  }

  /** A new design's governance document (with its genesis) and inbox, around a content document. */
  async genesis(contentHandle: DocHandle<unknown>, forkedFrom: { design: DesignId; heads: ChangeHash[] } | null, title = ''): Promise<DesignId> {
    const me = this.ctx.me()
    const nonce = newNonce()
    const design = designIdFor(me.id, nonce)
    const inbox = this.ctx.store.create({ schema: INBOX_SCHEMA, design, entries: [] })
    const genesis = await this.ctx.sign({
      design,
      heads: A.getHeads(contentHandle.doc() as A.Doc<unknown>),
      payload: { kind: 'genesis', nonce, content: contentHandle.documentId, inbox: inbox.documentId, forkedFrom, title },
    })
    const doc = A.from({ schema: GOVERNANCE_SCHEMA, records: [] } as Record<string, unknown>)
    const withGenesis = A.change(doc, (d) => {
      ;(d.records as Uint8Array[]).push(genesis.bytes)
    })
    this.ctx.store.import(A.save(withGenesis), design)
    return design
  }

  /**
   * The honest maintainer write: apply `fn` at the canonical heads and sign the resulting heads.
   * Returns the new heads, or the canonical heads unchanged when `fn` changed nothing.
   */
  async changeContent(ref: Ref, summary: string, fn: (doc: ContentDoc) => void): Promise<ChangeHash[]> {
    const d = await this.ctx.requireMaintainer(ref)
    const handle = await this.ctx.store.find<ContentDoc>(d.contentId, 'content document')
    const heads = this.ctx.store.changeAt(handle, d.state.canonicalHeads, fn)
    if (heads === null || headsKey(heads) === headsKey(d.state.canonicalHeads)) return d.state.canonicalHeads
    await this.ctx.appendGovernance(d, { base: d.state.canonicalHeads, heads, payload: { kind: 'content', reason: 'edit', summary, proposal: null } })
    return heads
  }

  async editDesign(ref: Ref, patch: DesignPatch): Promise<ChangeHash[]> {
    const title = patch.title === undefined ? undefined : parseField(patch.title, 'title', { required: true })
    const summary = patch.summary === undefined ? undefined : parseField(patch.summary, 'summary')
    const version = patch.version === undefined ? undefined : parseField(patch.version, 'version')
    const readme = patch.readme === undefined ? undefined : parseLongText(patch.readme, 'readme')
    const tags = patch.tags?.map(parseTag)
    const licenses = await Promise.all(Object.entries(patch.licenses ?? {}).map(async ([k, v]) => [k, await parseLicence(v, k as LicenceKind)] as const))
    const details = parseDetailsInput({ ...patch, parts: undefined, software: undefined } as DetailsInput)
    const place = parsePlaceInput(patch)
    const what = [
      title !== undefined && 'title',
      summary !== undefined && 'summary',
      readme !== undefined && 'readme',
      version !== undefined && 'version',
      tags !== undefined && 'tags',
      licenses.length > 0 && 'licences',
      ...detailsPatchFields(details),
      ...placePatchFields(place),
    ].filter(Boolean)
    if (what.length === 0) throw new InvalidInputError('nothing to edit: give at least one field')
    const d = await this.ctx.design(ref)
    return await this.changeContent(d, `edited ${what.join(', ')}`, (doc) => {
      if (title !== undefined && doc.title?.val !== title) doc.title = new A.ImmutableString(title)
      if (summary !== undefined && doc.summary?.val !== summary) doc.summary = new A.ImmutableString(summary)
      if (version !== undefined && doc.version?.val !== version) doc.version = new A.ImmutableString(version)
      if (readme !== undefined && doc.readme !== readme) A.updateText(doc, ['readme'], readme)
      if (tags !== undefined) {
        if (typeof doc.tags !== 'object' || doc.tags === null) doc.tags = {}
        for (const t of Object.keys(doc.tags)) if (!tags.includes(t)) delete doc.tags[t]
        for (const t of tags) if (doc.tags[t] !== true) doc.tags[t] = true
      }
      if (licenses.length > 0) {
        if (typeof doc.licenses !== 'object' || doc.licenses === null) doc.licenses = { hardware: null, documentation: null, software: null }
        for (const [k, v] of licenses) {
          const current = doc.licenses[k as LicenceKind]
          if ((current?.val ?? null) !== v) doc.licenses[k as LicenceKind] = v === null ? null : new A.ImmutableString(v)
        }
      }
      applyDetailsPatch(doc, details)
      applyPlacePatch(doc, d.id, place)
    })
  }

  async addBomRow(ref: Ref, input: BomRowInput, options: { before?: string } = {}): Promise<{ id: string; heads: ChangeHash[] }> {
    const name = parseField(input.name, 'name', { required: true })
    const quantity = parseQuantity(input.quantity)
    const unit = parseField(input.unit ?? 'pcs', 'unit') || 'pcs'
    const material = parseField(input.material, 'material')
    const notes = parseLongText(input.notes, 'notes')
    const d = await this.ctx.design(ref)
    if (options.before !== undefined) findEntry(d.content, 'bom', options.before, { design: d.id, what: 'to insert before' })
    const id = newEntryId()
    const row: Omit<BomRowDoc, 'position'> = {
      name: new A.ImmutableString(name),
      quantity,
      unit: new A.ImmutableString(unit),
      material: new A.ImmutableString(material),
      notes,
    }
    const heads = await this.changeContent(d, `added BOM row "${name}"`, (doc) => {
      insertEntry(doc as unknown as Record<string, unknown>, 'bom', id, row, options.before)
    })
    return { id, heads }
  }

  async setBomRow(ref: Ref, rowId: string, input: BomRowInput): Promise<ChangeHash[]> {
    const d = await this.ctx.design(ref)
    const row = findEntry(d.content, 'bom', rowId, { design: d.id })
    const name = input.name === undefined ? undefined : parseField(input.name, 'name', { required: true })
    const quantity = input.quantity === undefined ? undefined : parseQuantity(input.quantity)
    const unit = input.unit === undefined ? undefined : parseField(input.unit, 'unit', { required: true })
    const material = input.material === undefined ? undefined : parseField(input.material, 'material')
    const notes = input.notes === undefined ? undefined : parseLongText(input.notes, 'notes')
    if ([name, quantity, unit, material, notes].every((v) => v === undefined)) {
      throw new InvalidInputError('nothing to change: give at least one of --name, --quantity, --unit, --material, --notes')
    }
    return await this.changeContent(d, `changed BOM row "${name ?? row.name}"`, (doc) => {
      const r = sectionOf<BomRowDoc>(doc as unknown as Record<string, unknown>, 'bom')[rowId]!
      if (name !== undefined && r.name?.val !== name) r.name = new A.ImmutableString(name)
      if (quantity !== undefined && r.quantity !== quantity) r.quantity = quantity
      if (unit !== undefined && r.unit?.val !== unit) r.unit = new A.ImmutableString(unit)
      if (material !== undefined && r.material?.val !== material) r.material = new A.ImmutableString(material)
      if (notes !== undefined && r.notes !== notes) {
        if (typeof r.notes === 'string') A.updateText(doc, ['bom', rowId, 'notes'], notes)
        else r.notes = notes
      }
    })
  }

  async removeBomRow(ref: Ref, rowId: string): Promise<ChangeHash[]> {
    const d = await this.ctx.design(ref)
    const row = findEntry(d.content, 'bom', rowId, { design: d.id })
    return await this.changeContent(d, `removed BOM row "${row.name}"`, (doc) => removeEntry(doc as unknown as Record<string, unknown>, 'bom', rowId))
  }

  /** Moves a BOM row before another one (or to the end). Only the moved row's position changes. */
  async moveBomRow(ref: Ref, rowId: string, before: string | null): Promise<ChangeHash[]> {
    const d = await this.ctx.design(ref)
    const row = findEntry(d.content, 'bom', rowId, { design: d.id })
    if (before !== null) findEntry(d.content, 'bom', before, { design: d.id, what: 'to move before' })
    return await this.changeContent(d, `moved BOM row "${row.name}"`, (doc) => moveEntry(doc as unknown as Record<string, unknown>, 'bom', rowId, before))
  }

  async addStep(ref: Ref, input: StepInput): Promise<{ id: string; heads: ChangeHash[] }> {
    const title = parseField(input.title, 'title', { required: true })
    const body = parseLongText(input.body, 'body')
    const id = newEntryId()
    const step: Omit<StepDoc, 'position'> = { title: new A.ImmutableString(title), body }
    const heads = await this.changeContent(ref, `added step "${title}"`, (doc) => {
      insertEntry(doc as unknown as Record<string, unknown>, 'steps', id, step)
    })
    return { id, heads }
  }

  async setStep(ref: Ref, stepId: string, input: StepInput): Promise<ChangeHash[]> {
    const d = await this.ctx.design(ref)
    const step = findEntry(d.content, 'steps', stepId, { design: d.id })
    const title = input.title === undefined ? undefined : parseField(input.title, 'title', { required: true })
    const body = input.body === undefined ? undefined : parseLongText(input.body, 'body')
    if (title === undefined && body === undefined) throw new InvalidInputError('nothing to change: give --title or --body')
    return await this.changeContent(d, `changed step "${title ?? step.title}"`, (doc) => {
      const s = sectionOf<StepDoc>(doc as unknown as Record<string, unknown>, 'steps')[stepId]!
      if (title !== undefined && s.title?.val !== title) s.title = new A.ImmutableString(title)
      if (body !== undefined && s.body !== body) {
        if (typeof s.body === 'string') A.updateText(doc, ['steps', stepId, 'body'], body)
        else s.body = body
      }
    })
  }

  async removeStep(ref: Ref, stepId: string): Promise<ChangeHash[]> {
    const d = await this.ctx.design(ref)
    const step = findEntry(d.content, 'steps', stepId, { design: d.id })
    return await this.changeContent(d, `removed step "${step.title}"`, (doc) => removeEntry(doc as unknown as Record<string, unknown>, 'steps', stepId))
  }

  /** Moves a step before another one (or to the end). Only the moved step's position changes. */
  async moveStep(ref: Ref, stepId: string, before: string | null): Promise<ChangeHash[]> {
    const d = await this.ctx.design(ref)
    const step = findEntry(d.content, 'steps', stepId, { design: d.id })
    if (before !== null) findEntry(d.content, 'steps', before, { design: d.id, what: 'to move before' })
    return await this.changeContent(d, `moved step "${step.title}"`, (doc) => moveEntry(doc as unknown as Record<string, unknown>, 'steps', stepId, before))
  }
}
