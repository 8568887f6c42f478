/**
 * Every limit is named and documented: each constant a package's `limits.ts` exports has its row
 * in docs/LIMITS.md, so a bound nobody wrote down cannot slip in.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

async function limitFiles(): Promise<string[]> {
  const out: string[] = []
  for (const group of ['packages', 'apps']) {
    for (const name of await readdir(join(ROOT, group))) {
      const file = join(ROOT, group, name, 'src', 'limits.ts')
      if (await readFile(file).then(() => true, () => false)) out.push(file)
    }
  }
  return out
}

describe('docs/LIMITS.md', () => {
  it('documents every limit a package exports', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'LIMITS.md'), 'utf8')
    const files = await limitFiles()
    expect(files.length).toBeGreaterThanOrEqual(4)
    const missing: string[] = []
    let names = 0
    for (const file of files) {
      for (const [, name] of (await readFile(file, 'utf8')).matchAll(/^export const ([A-Z][A-Z0-9_]*)\b/gm)) {
        names++
        if (!doc.includes(`\`${name}\``)) missing.push(`${file.slice(ROOT.length)}: ${name}`)
      }
    }
    expect(names).toBeGreaterThan(50)
    expect(missing).toEqual([])
  })
})
