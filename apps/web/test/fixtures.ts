/** A verified design's shape for component tests (what core's `design()` returns). */
import type { DesignContent, VerifiedDesign } from '@cosmolocal/core'

export function content(extra: Partial<DesignContent> = {}): DesignContent {
  return {
    title: 'Frame loom',
    summary: 'A small loom',
    readme: '# Loom',
    version: '1.0',
    tags: ['weaving'],
    licenses: { hardware: 'CERN-OHL-S-2.0', documentation: null, software: null },
    bom: [],
    steps: [],
    files: [],
    ...extra,
  } as DesignContent
}

export function design(url: string, extra: Partial<DesignContent> = {}, forkedFrom: string | null = null): VerifiedDesign {
  return {
    id: url.replace('automerge:', ''),
    url,
    state: { maintainers: ['alice-id'], threshold: 1 },
    contentId: 'c',
    inboxId: 'i',
    forkedFrom: forkedFrom === null ? null : { design: forkedFrom.replace('automerge:', ''), url: forkedFrom, heads: [] },
    content: content(extra),
    problems: [],
  } as unknown as VerifiedDesign
}
