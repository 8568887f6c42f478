/** A verified design as the pages get it, built by hand for component tests (no repo needed). */
import { emptyDetails, type BlobHash, type DesignContent, type FileRef, type VerifiedDesign } from '@cosmolocal/core'

export function content(extra: Partial<DesignContent> = {}): DesignContent {
  return {
    ...emptyDetails(),
    title: 'Frame loom',
    summary: '',
    readme: '',
    version: '',
    tags: [],
    licenses: { hardware: null, documentation: null, software: null },
    bom: [],
    steps: [],
    files: [],
    ...extra,
  }
}

export function design(extra: Partial<DesignContent> = {}, forkedFrom: string | null = null): VerifiedDesign {
  return {
    id: 'D1',
    url: 'automerge:D1',
    state: { maintainers: [], threshold: 1, approvals: [], pending: [], ignored: [] },
    contentId: 'C1',
    inboxId: 'I1',
    forkedFrom: forkedFrom === null ? null : { design: forkedFrom, url: `automerge:${forkedFrom}`, heads: [] },
    content: content(extra),
    problems: [],
  } as unknown as VerifiedDesign
}

export function fileRef(id: string, name: string, extra: Partial<FileRef> = {}): FileRef {
  return {
    id,
    name,
    hash: id.padEnd(64, '0') as BlobHash,
    root: id.padEnd(64, '1') as BlobHash,
    size: 3,
    mediaType: 'application/octet-stream',
    role: 'document',
    position: 1,
    ...extra,
  }
}
