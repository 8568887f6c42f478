/**
 * `<home>/follows.json`: the designs this person follows or stopped following, and what of their
 * activity they have read. Local to the home: nothing in it is ever sent to a peer (read state is
 * nobody else's business). Written atomically, like the index.
 */
import { readFile } from 'node:fs/promises'
import { InvalidInputError } from '@cosmolocal/core/errors'
import { emptyReadMarks, parseReadMarks, type ReadMarks } from '@cosmolocal/core'
import { atomicWriteFile } from '@cosmolocal/storage/atomic-file'
import { isMissingFile } from './files.js'

interface FollowsShape {
  version: 1
  /** Designs followed explicitly (`cosmo follow`), by id. */
  follow: string[]
  /** Designs unfollowed (`cosmo unfollow`): not followed, even where followed by default. */
  unfollow: string[]
  read: ReadMarks['read']
}

export class FollowsFile {
  private dirty = false

  private constructor(
    readonly path: string,
    private file: FollowsShape,
  ) {}

  static async load(path: string): Promise<FollowsFile> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      if (isMissingFile(err)) return new FollowsFile(path, { version: 1, follow: [], unfollow: [], read: {} })
      throw err
    }
    let raw: Partial<FollowsShape>
    try {
      raw = JSON.parse(text) as Partial<FollowsShape>
    } catch {
      throw new InvalidInputError(`${path} is not valid JSON`)
    }
    if (raw.version !== 1 || !Array.isArray(raw.follow) || !Array.isArray(raw.unfollow)) throw new InvalidInputError(`${path} is not a Cosmolocal follows file`)
    const strings = (v: unknown[]) => v.filter((x): x is string => typeof x === 'string')
    return new FollowsFile(path, { version: 1, follow: strings(raw.follow), unfollow: strings(raw.unfollow), read: parseReadMarks(raw).read })
  }

  get followed(): readonly string[] {
    return this.file.follow
  }

  get unfollowed(): readonly string[] {
    return this.file.unfollow
  }

  get marks(): ReadMarks {
    return { ...emptyReadMarks(), read: this.file.read }
  }

  follow(design: string): void {
    this.file.unfollow = this.file.unfollow.filter((d) => d !== design)
    if (!this.file.follow.includes(design)) this.file.follow.push(design)
    this.dirty = true
  }

  unfollow(design: string): void {
    this.file.follow = this.file.follow.filter((d) => d !== design)
    if (!this.file.unfollow.includes(design)) this.file.unfollow.push(design)
    delete this.file.read[design]
    this.dirty = true
  }

  setMarks(marks: ReadMarks): void {
    this.file.read = marks.read
    this.dirty = true
  }

  /** The designs followed: those followed by default or explicitly, less those unfollowed. */
  following(defaults: readonly string[]): string[] {
    const out = new Set([...defaults, ...this.file.follow])
    for (const d of this.file.unfollow) out.delete(d)
    return [...out].sort()
  }

  async save(): Promise<void> {
    if (!this.dirty) return
    await atomicWriteFile(this.path, `${JSON.stringify(this.file, null, 2)}\n`)
    this.dirty = false
  }
}
