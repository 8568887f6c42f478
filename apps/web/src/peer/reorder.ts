/** Up / down buttons as "move before" operations, the form core's moveBomRow and moveStep take. */

/**
 * The id to move the entry at `index` before: up is before the previous entry, down is before the
 * entry after next, or null (to the end). Undefined when the entry cannot move that way.
 */
export function moveBefore(ids: readonly string[], index: number, delta: -1 | 1): string | null | undefined {
  if (index < 0 || index >= ids.length) return undefined
  if (delta === -1) return index === 0 ? undefined : ids[index - 1]
  if (index === ids.length - 1) return undefined
  return ids[index + 2] ?? null
}
