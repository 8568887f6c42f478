import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SAMPLE_MAINTAINER_FILE, sampleMaintainer } from '../src/sample.js'

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))
const home = async () => {
  const d = await mkdtemp(join(tmpdir(), 'cosmo-sample-test-'))
  dirs.push(d)
  return d
}

describe('the sample maintainer key', () => {
  it('is made once when a sample commons is seeded, kept owner-only in the home, and read back on every later start', async () => {
    const dir = await home()
    const made = await sampleMaintainer(dir, true)
    expect(made?.name).toBe('Amara (OHLOOM maintainer)')
    expect((await stat(join(dir, SAMPLE_MAINTAINER_FILE))).mode & 0o777).toBe(0o600)
    expect((await sampleMaintainer(dir, false))?.id).toBe(made!.id)
    expect((await sampleMaintainer(dir, true))?.id).toBe(made!.id)
  })

  it('is null for a home seeded before keys were kept (its maintainer is not known)', async () => {
    expect(await sampleMaintainer(await home(), false)).toBeNull()
  })
})
