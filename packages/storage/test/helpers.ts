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

/** mulberry32: a small seeded generator, so that a failing schedule can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

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
