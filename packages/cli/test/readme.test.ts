/**
 * The README's CLI walkthrough is run as written, so that it stays true.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt } from './helpers.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
beforeAll(assertBuilt)

describe('README', () => {
  it('the CLI walkthrough runs as pasted and ends with the accepted design', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const start = readme.indexOf('## A walkthrough of the CLI')
    const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start))?.[1]
    expect(block).toBeDefined()
    const env: Record<string, string | undefined> = { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${dirname(process.execPath)}:${process.env.PATH}` }
    delete env.COSMO_HOME
    const r = spawnSync('bash', ['-e', '-c', block!], { cwd: ROOT, env, encoding: 'utf8', timeout: 110_000 })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/\+ "Bolt M6x40"/)
    expect(r.stdout).toMatch(/accepted "Bolted frame": merged/)
    expect(r.stdout).toMatch(/merged "Bolted frame" \(revision 1\)/)
    expect(r.stdout).toMatch(/records: 5 valid, 0 ignored/)
    // Names travel in the signed records: Alice's home shows Bob's name (with the end of his id).
    expect(r.stdout).toMatch(/Bolted frame\s+by Bob · …\S{8}/)
    expect(r.stdout).toMatch(/Alice · …\S{8}\s+merged "Bolted frame"/)
  })
})
