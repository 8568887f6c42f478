/**
 * No stray warnings: automerge-repo's save throttle once handed setTimeout a negative delay when a
 * change came after the throttle delay had passed (every command on a busy machine), and Node
 * printed a TimeoutNegativeWarning on stderr. The installed package carries upstream's fix
 * (patches/, see docs/dependencies.md); this is the situation that warned, in a real process.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { Scratch } from './helpers.js'

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))
const scratch = new Scratch()
afterAll(() => scratch.cleanup())

/** Two changes to a stored document, the second well after the save throttle's delay. */
const CHILD = `
import { Repo } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
const repo = new Repo({ storage: new NodeFSStorageAdapter(process.argv[1]), network: [], saveDebounceRate: 50 })
const handle = repo.create({ n: 0 })
handle.change((d) => { d.n = 1 })
await new Promise((r) => setTimeout(r, 300))
handle.change((d) => { d.n = 2 })
await repo.flush()
await repo.shutdown()
`

describe('no stray warnings', () => {
  it('a save after the throttle delay has passed prints nothing on stderr', async () => {
    const store = await scratch.dir()
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, store], { cwd: PACKAGE, stdio: ['ignore', 'ignore', 'pipe'] })
      let err = ''
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
      child.on('error', reject)
      child.on('close', (c) => resolve({ code: c, stderr: err }))
    })
    expect(stderr).toBe('')
    expect(code).toBe(0)
  })
})
