/**
 * What a need or a comment can be about: a BOM row, a step or a file of the design. The options a
 * form offers, and the label an anchor is shown with (an entry since removed says so).
 */
import type { Anchor, DesignContent } from '@cosmolocal/core'

export interface AnchorOption {
  id: string
  label: string
}

export function anchorOptions(content: Pick<DesignContent, 'bom' | 'steps' | 'files'>): { group: string; options: AnchorOption[] }[] {
  return [
    { group: 'Bill of materials', options: content.bom.map((r) => ({ id: r.id, label: `Part: ${r.name}` })) },
    { group: 'Build steps', options: content.steps.map((s) => ({ id: s.id, label: `Step: ${s.title}` })) },
    { group: 'Files', options: content.files.map((f) => ({ id: f.id, label: `File: ${f.name}` })) },
  ].filter((g) => g.options.length > 0)
}

/** "Part: Side bar", or "a part since removed" when the canonical design no longer has it. */
export function anchorLabel(content: Pick<DesignContent, 'bom' | 'steps' | 'files'>, anchor: Anchor): string {
  const option = anchorOptions(content)
    .flatMap((g) => g.options)
    .find((o) => o.id === anchor.id)
  if (option !== undefined && anchor.present) return option.label
  const what = anchor.section === 'bom' ? 'a part' : anchor.section === 'steps' ? 'a step' : anchor.section === 'files' ? 'a file' : 'an entry'
  return `${what} since removed`
}
