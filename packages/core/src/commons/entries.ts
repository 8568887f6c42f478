/**
 * Ordered entries, once: BOM rows, steps, files, parts and software are maps keyed by stable ids
 * with an explicit `position`, so that concurrent inserts, edits and moves merge cleanly. This is
 * the one place that finds an entry (or says which one is missing, in which design), places a new
 * one, moves one, and removes one.
 */
import { NotFoundError } from '../errors.js'
import type { DesignContent } from '../schema.js'

export type SectionKey = 'bom' | 'steps' | 'files' | 'parts' | 'software'

interface Positioned {
  id: string
  position: number
}

/** How people name an entry of each section in messages. */
export const SECTION_LABEL: Record<SectionKey, string> = {
  bom: 'BOM row',
  steps: 'step',
  files: 'file',
  parts: 'part',
  software: 'software reference',
}

/** The entry `id` of a section of verified content, or NotFoundError saying what is missing where. */
export function findEntry<K extends SectionKey>(content: DesignContent, section: K, id: string, where: { design: string; what?: string }): DesignContent[K][number] {
  const entry = (content[section] as Positioned[]).find((e) => e.id === id)
  if (entry === undefined) {
    throw new NotFoundError(`no ${SECTION_LABEL[section]} ${id} in "${content.title}"${where.what ? ` ${where.what}` : ''}`, {
      design: where.design,
      section,
      id,
    })
  }
  return entry as DesignContent[K][number]
}

/** The section's map in a content document being changed, made if a document lacks it. */
export function sectionOf<T>(doc: Record<string, unknown>, section: SectionKey): Record<string, T & { position: number }> {
  const current = doc[section]
  if (typeof current !== 'object' || current === null || Array.isArray(current)) doc[section] = {}
  return doc[section] as Record<string, T & { position: number }>
}

/** Positions of a section's entries in a content document, except `except`. */
function positions(map: Record<string, { position?: unknown }>, except?: string): Positioned[] {
  return Object.entries(map)
    .filter(([k, v]) => k !== except && typeof v === 'object' && v !== null)
    .map(([id, v]) => ({ id, position: typeof v.position === 'number' && Number.isFinite(v.position) ? v.position : 0 }))
}

/** A position after all others, or between `before` and its predecessor. */
export function positionFor(entries: readonly Positioned[], before?: string | null): number {
  const sorted = [...entries].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1))
  if (before === undefined || before === null) return (sorted.at(-1)?.position ?? 0) + 1
  const i = sorted.findIndex((e) => e.id === before)
  if (i < 0) return (sorted.at(-1)?.position ?? 0) + 1
  const next = sorted[i]!.position
  const prev = i === 0 ? next - 2 : sorted[i - 1]!.position
  return (prev + next) / 2
}

/** Inserts a new entry (its position computed here) into a content document being changed. */
export function insertEntry<T extends object>(doc: Record<string, unknown>, section: SectionKey, id: string, value: T, before?: string | null): number {
  const map = sectionOf<T>(doc, section)
  const position = positionFor(positions(map), before)
  map[id] = { ...value, position } as T & { position: number }
  return position
}

/** Moves an entry before another one (or to the end); only the moved entry's position changes. */
export function moveEntry(doc: Record<string, unknown>, section: SectionKey, id: string, before: string | null): void {
  const map = sectionOf<object>(doc, section)
  map[id]!.position = positionFor(positions(map, id), before)
}

export function removeEntry(doc: Record<string, unknown>, section: SectionKey, id: string): void {
  delete sectionOf<object>(doc, section)[id]
}

/** A new entry id: 12 hex characters, unique enough within one design. */
export function newEntryId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('')
}
