/**
 * The keys a hub's operator denied (`cosmo hub deny ID`), persisted as `<home>/denied.json`:
 * `{ "v": 1, "denied": [{ "id", "since", "note" }] }`. Read at start-up and on every command that
 * changes it; a file that does not parse is an error that names it, never an empty list (that
 * would quietly let every denied key back in).
 */
import { MAX_FIELD_LENGTH, parsePersonId, type PersonId } from '@cosmolocal/core'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PolicyFileError } from './errors.js'

export const DENY_FILE = 'denied.json'

export function denyListPath(home: string): string {
  return join(home, DENY_FILE)
}

export interface DeniedKey {
  readonly id: PersonId
  /** When it was denied (ISO 8601). */
  readonly since: string
  /** What the operator noted, if anything. */
  readonly note: string | null
}

export class DenyList {
  readonly #file: string | null
  readonly #entries: Map<string, DeniedKey>
  #writing: Promise<unknown> = Promise.resolve()

  private constructor(file: string | null, entries: DeniedKey[]) {
    this.#file = file
    this.#entries = new Map(entries.map((e) => [e.id, e]))
  }

  /** An empty list kept in memory only. */
  static inMemory(): DenyList {
    return new DenyList(null, [])
  }

  /** The list in `file` (empty when there is no file yet). */
  static async load(file: string): Promise<DenyList> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new DenyList(file, [])
      throw new PolicyFileError(`cannot read ${file}: ${(err as Error).message}`, { file })
    }
    return new DenyList(file, parseDenyFile(text, file))
  }

  has(id: string): boolean {
    return this.#entries.has(id)
  }

  list(): DeniedKey[] {
    return [...this.#entries.values()].sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.id < b.id ? -1 : 1))
  }

  /** Denies `id` (already denied: its entry is kept as it was). */
  async deny(id: PersonId, note: string | null = null, now: Date = new Date()): Promise<DeniedKey> {
    const existing = this.#entries.get(id)
    if (existing !== undefined) return existing
    if (note !== null && note.length > MAX_FIELD_LENGTH) throw new PolicyFileError(`a note is at most ${MAX_FIELD_LENGTH} characters`)
    const entry: DeniedKey = { id, since: now.toISOString(), note }
    this.#entries.set(id, entry)
    await this.#save()
    return entry
  }

  /** Lets `id` in again; false if it was not denied. */
  async allow(id: PersonId): Promise<boolean> {
    if (!this.#entries.delete(id)) return false
    await this.#save()
    return true
  }

  /** Writes are queued, each written whole (temp file, then rename). */
  #save(): Promise<void> {
    const file = this.#file
    if (file === null) return Promise.resolve()
    const text = `${JSON.stringify({ v: 1, denied: this.list() }, null, 2)}\n`
    const write = this.#writing.then(async () => {
      const tmp = `${file}.${process.pid}.tmp`
      await writeFile(tmp, text)
      await rename(tmp, file)
    })
    this.#writing = write.catch(() => undefined)
    return write
  }
}

function parseDenyFile(text: string, file: string): DeniedKey[] {
  const bad = (why: string) => new PolicyFileError(`${file} is not a deny list (${why}); fix or remove it`, { file })
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw bad((err as Error).message)
  }
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1 || !Array.isArray((raw as { denied?: unknown }).denied)) {
    throw bad('expected { "v": 1, "denied": [...] }')
  }
  return ((raw as { denied: unknown[] }).denied).map((e, i) => {
    if (typeof e !== 'object' || e === null) throw bad(`entry ${i} is not an object`)
    const { id, since, note } = e as Record<string, unknown>
    let person: PersonId
    try {
      person = parsePersonId(id)
    } catch {
      throw bad(`entry ${i} does not name a key`)
    }
    if (typeof since !== 'string' || Number.isNaN(Date.parse(since))) throw bad(`entry ${i} has no valid "since" time`)
    if (!(note === null || note === undefined || (typeof note === 'string' && note.length <= MAX_FIELD_LENGTH))) throw bad(`entry ${i} has a malformed note`)
    return { id: person, since, note: typeof note === 'string' ? note : null }
  })
}
