/**
 * A design's files: attachment bytes go to the blob store once (by hash, verified there); the
 * design's content gets a reference (name, hash, size, root, media type, role), signed like any
 * edit. Bytes are never copied between designs: forks share them by hash.
 */
import * as A from '@automerge/automerge'
import type { BlobHash, BlobInfo, BlobSource, BlobStore } from '../blobs/blob.js'
import { NotFoundError, StateError } from '../errors.js'
import type { ChangeHash } from '../ids.js'
import { guessFileType, parseFileName, parseFileRole, parseMediaType, type FileRef, type FileRefDoc, type FileRole } from '../schema.js'
import type { Context } from './context.js'
import { findEntry, insertEntry, newEntryId, removeEntry, sectionOf } from './entries.js'
import type { Editing } from './editing.js'
import type { VerifiedDesign } from './verifier.js'

export interface FileInput {
  /** Shown to people and suggested on download; one line, no path. */
  name: string
  /** The bytes: whole, or a stream (a file read from disk). */
  data: BlobSource
  /** Default: guessed from the name's extension. */
  mediaType?: string
  /** Default: guessed from the name's extension (`document` when unknown). */
  role?: FileRole | string
}

/** A file of a design, and whether its bytes are in this store. */
export interface FileEntry extends FileRef {
  present: boolean
}

type Ref = string | VerifiedDesign

export class Files {
  constructor(
    private readonly ctx: Context,
    private readonly editing: Editing,
  ) {}

  #blobs(): BlobStore {
    if (this.ctx.blobs === null) throw new StateError('this store has no place for attachment bytes (no blob store)')
    return this.ctx.blobs
  }

  /** Stores the bytes, then references them from the design (a maintainer's signed edit). */
  async attachFile(ref: Ref, input: FileInput): Promise<{ id: string; hash: BlobHash; heads: ChangeHash[]; file: FileRef }> {
    const blobs = this.#blobs()
    const meta = describe(input)
    const d = await this.ctx.requireMaintainer(ref)
    const info = await blobs.put(input.data)
    return await this.attachBlob(d, meta, info)
  }

  /** References bytes already in the blob store (an upload that streamed there first). */
  async attachBlob(
    ref: Ref,
    meta: { name: string; mediaType?: string; role?: FileRole | string },
    info: BlobInfo,
  ): Promise<{ id: string; hash: BlobHash; heads: ChangeHash[]; file: FileRef }> {
    const blobs = this.#blobs()
    const { name, mediaType, role } = describe(meta)
    const stored = await blobs.info(info.hash)
    if (stored === null || stored.root !== info.root || stored.size !== info.size) {
      throw new NotFoundError(`blob ${info.hash} is not in this store: store the bytes before attaching them`, { hash: info.hash })
    }
    const d = await this.ctx.design(ref)
    const id = newEntryId()
    let position = 0
    const value: Omit<FileRefDoc, 'position'> = {
      name: new A.ImmutableString(name),
      hash: new A.ImmutableString(stored.hash),
      size: stored.size,
      root: new A.ImmutableString(stored.root),
      mediaType: new A.ImmutableString(mediaType),
      role: new A.ImmutableString(role),
    }
    const heads = await this.editing.changeContent(d, `attached "${name}"`, (doc) => {
      position = insertEntry(doc as unknown as Record<string, unknown>, 'files', id, value)
    })
    return { id, hash: stored.hash, heads, file: { id, name, hash: stored.hash, size: stored.size, root: stored.root, mediaType, role, position } }
  }

  /** The design's canonical files, each saying whether its bytes are in this store. */
  async files(ref: Ref): Promise<FileEntry[]> {
    const d = await this.ctx.design(ref)
    const out: FileEntry[] = []
    for (const f of d.content.files) out.push({ ...f, present: (await this.ctx.blobs?.has(f.hash)) ?? false })
    return out
  }

  /** One canonical file of a design. Throws NotFoundError. */
  async file(ref: Ref, fileId: string): Promise<FileRef> {
    const d = await this.ctx.design(ref)
    return findEntry(d.content, 'files', fileId, { design: d.id })
  }

  /** Removes a file reference (the bytes stay in stores: other designs and forks may share them). */
  async removeFile(ref: Ref, fileId: string): Promise<ChangeHash[]> {
    const d = await this.ctx.design(ref)
    const f = findEntry(d.content, 'files', fileId, { design: d.id })
    return await this.editing.changeContent(d, `removed file "${f.name}"`, (doc) => removeEntry(doc as unknown as Record<string, unknown>, 'files', fileId))
  }

  /** Renames a file or changes what it is for (its role); the bytes do not change. */
  async setFile(ref: Ref, fileId: string, input: { name?: string; role?: FileRole | string }): Promise<ChangeHash[]> {
    const d = await this.ctx.design(ref)
    const f = findEntry(d.content, 'files', fileId, { design: d.id })
    const name = input.name === undefined ? undefined : parseFileName(input.name)
    const role = input.role === undefined ? undefined : parseFileRole(input.role)
    const what = [name !== undefined && name !== f.name && 'renamed', role !== undefined && role !== f.role && `now ${role}`].filter(Boolean).join(', ')
    return await this.editing.changeContent(d, `file "${f.name}": ${what || 'unchanged'}`, (doc) => {
      const entry = sectionOf<FileRefDoc>(doc as unknown as Record<string, unknown>, 'files')[fileId]!
      if (name !== undefined && entry.name?.val !== name) entry.name = new A.ImmutableString(name)
      if (role !== undefined && entry.role?.val !== role) entry.role = new A.ImmutableString(role)
    })
  }
}

function describe(meta: { name: string; mediaType?: string; role?: FileRole | string }): { name: string; mediaType: string; role: FileRole } {
  const name = parseFileName(meta.name)
  const guess = guessFileType(name)
  return { name, mediaType: parseMediaType(meta.mediaType ?? guess.mediaType), role: parseFileRole(meta.role ?? guess.role) }
}
