/**
 * Sorting files people picked or dropped into those to attach and those to refuse, with the
 * reason. The file input's `accept` only filters the picker; a drop bypasses it, so it is checked
 * here for both paths.
 */
import { extensionOf, formatBytes } from './media.js'

export interface PickedFiles {
  accepted: File[]
  tooLarge: File[]
  wrongType: File[]
}

/** Whether a file matches an `accept` list like ".stl, image/*, application/pdf" (empty: anything). */
export function acceptsFile(accept: string | undefined, file: Pick<File, 'name' | 'type'>): boolean {
  const patterns = (accept ?? '')
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '')
  if (patterns.length === 0) return true
  const type = file.type.toLowerCase()
  const ext = extensionOf(file.name)
  return patterns.some((p) => {
    if (p.startsWith('.')) return ext !== '' && `.${ext}` === p
    if (p.endsWith('/*')) return type.startsWith(p.slice(0, -1))
    return type === p
  })
}

export function sortPicked(files: readonly File[], maxBytes: number, accept?: string): PickedFiles {
  const picked: PickedFiles = { accepted: [], tooLarge: [], wrongType: [] }
  for (const file of files) {
    if (!acceptsFile(accept, file)) picked.wrongType.push(file)
    else if (file.size > maxBytes) picked.tooLarge.push(file)
    else picked.accepted.push(file)
  }
  return picked
}

/** One sentence per kind of refusal, naming every refused file. */
export function refusalMessages(picked: PickedFiles, maxBytes: number, accept?: string): string[] {
  const messages: string[] = []
  if (picked.tooLarge.length > 0) {
    const list = picked.tooLarge.map((f) => `${f.name} (${formatBytes(f.size)})`).join(', ')
    messages.push(`Not attached, larger than the ${formatBytes(maxBytes)} limit: ${list}.`)
  }
  if (picked.wrongType.length > 0) {
    const list = picked.wrongType.map((f) => f.name).join(', ')
    messages.push(`Not attached, not one of the accepted types (${accept}): ${list}.`)
  }
  return messages
}
