/** Scratch directories on the real disk, and a seeded random source for fault schedules. */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export class Scratch {
  #dirs: string[] = []

  async dir(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'cosmo-storage-test-'))
    this.#dirs.push(d)
    return d
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.#dirs.map((d) => rm(d, { recursive: true, force: true })))
    this.#dirs = []
  }
}

/** A small seeded generator, so that a failing schedule can be replayed from its seed. */
export { seededRandom as seeded } from '@cosmolocal/core/test-support'

/** Every file under `dir`, as paths relative to it. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  const visit = async (d: string, rel: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await visit(join(d, e.name), join(rel, e.name))
      else out.push(join(rel, e.name))
    }
  }
  await visit(dir, '')
  return out.sort()
}
