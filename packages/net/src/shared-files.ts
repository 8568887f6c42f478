/**
 * Which blobs a peer serves (the blob protocol's policy, for hubs, commands and browsers alike): a
 * blob is shared when a verified design this peer holds references it in its canonical content, or
 * a verified build report of it names it as a photo (bounded per author: MAX_MAKES_PER_AUTHOR,
 * MAX_MAKE_PHOTOS, MAX_MAKE_PHOTO_BYTES).
 * The owner says which designs it holds (a hub its catalogue, a command its home's index, a browser
 * its library). Rebuilt at most every FILE_SHARE_REFRESH_MS, and on a miss (a design that just
 * arrived), so that asking for random hashes cannot make it re-verify every design each time;
 * designs whose documents did not change since the last build are not verified again.
 */
import { makePhotoFiles, type BlobHash, type Commons, type FileRef } from '@cosmolocal/core'
import { FILE_SHARE_REFRESH_MS } from './limits.js'

/** The designs a peer holds (ids or URLs); others' files are never served. */
export type HeldDesigns = () => Promise<readonly string[]>

export class SharedFiles {
  readonly #commons: Commons
  readonly #designs: HeldDesigns
  #files = new Map<BlobHash, FileRef>()
  /** Per design, by the version (documents' heads) it was verified at. */
  readonly #byDesign = new Map<string, { version: string; files: FileRef[] }>()
  #builtAt = 0
  #building: Promise<void> | null = null

  constructor(commons: Commons, designs: HeldDesigns) {
    this.#commons = commons
    this.#designs = designs
  }

  /** Forget when it was built: a design here just gained a file, so the next miss rebuilds. */
  invalidate(): void {
    this.#builtAt = 0
  }

  async #refresh(): Promise<void> {
    this.#building ??= (async () => {
      try {
        this.#files = await this.#build()
        this.#builtAt = Date.now()
      } finally {
        this.#building = null
      }
    })()
    await this.#building
  }

  async #build(): Promise<Map<BlobHash, FileRef>> {
    const out = new Map<BlobHash, FileRef>()
    for (const id of await this.#designs()) {
      let files: FileRef[]
      try {
        // Held only: serving files never makes this peer ask others for designs.
        const d = await this.#commons.design(id, { held: true })
        const makes = await this.#commons.makes(d, { held: true }).catch(() => null)
        const version = `${d.version}|${makes?.version ?? '-'}`
        const known = this.#byDesign.get(id)
        if (known?.version === version) files = known.files
        else {
          files = [...d.content.files, ...(makes === null ? [] : makePhotoFiles(makes))]
          this.#byDesign.set(id, { version, files })
        }
      } catch {
        continue
      }
      for (const f of files) if (!out.has(f.hash)) out.set(f.hash, f)
    }
    return out
  }

  /** Every file referenced by a design held here (fresh). */
  async all(): Promise<Map<BlobHash, FileRef>> {
    await this.#refresh()
    return this.#files
  }

  async has(hash: BlobHash): Promise<boolean> {
    if (this.#files.has(hash)) return true
    if (Date.now() - this.#builtAt > FILE_SHARE_REFRESH_MS) await this.#refresh()
    return this.#files.has(hash)
  }
}
