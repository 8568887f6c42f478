/**
 * Enumerates the documents a NodeFS store holds. The NodeFS adapter keeps each document under
 * `<base>/<first two characters of its id>/<rest of its id>/`, so listing two directory levels
 * finds them without reading any document.
 */
import { isValidDocumentId, type DocumentId } from '@automerge/automerge-repo'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

export async function storedDocumentIds(base: string): Promise<DocumentId[]> {
  const out: DocumentId[] = []
  let prefixes: string[]
  try {
    prefixes = await readdir(base)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  for (const prefix of prefixes) {
    if (prefix.length !== 2) continue
    let rests: string[]
    try {
      rests = await readdir(join(base, prefix))
    } catch {
      continue
    }
    for (const rest of rests) {
      const id = prefix + rest
      if (isValidDocumentId(id)) out.push(id)
    }
  }
  return out.sort()
}
