/**
 * The README walkthrough's bundle flow beside CPU-bound processes. A busy machine makes
 * automerge-repo's throttled background saves fire late, which is how an import once left a
 * 0-byte snapshot behind a command that had exited 0. The whole flow runs once; then its
 * receiving half (Alice imports her design and Bob's proposal into a fresh home of hers, reads
 * the diff, accepts, shows) runs again and again until the time bound. Every command that exited
 * 0 must have left what it reported, and no store file may be empty or torn.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tornFiles } from './crash/workload.js'
import { assertBuilt, json, ok, person, Scratch } from './helpers.js'

beforeAll(assertBuilt)
const scratch = new Scratch()
afterAll(() => scratch.cleanup())

/** Two busy loops (the machine has two cores), each ending by itself after `ms`. */
function busyLoops(ms: number): ChildProcess[] {
  return [0, 1].map(() => spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end) {}`], { stdio: 'ignore' }))
}

/** How long the rounds go on (`CONTENTION_SECONDS`; half a minute in `npm test`, ~7 rounds here, longer by hand). */
const BOUND_MS = Number(process.env.CONTENTION_SECONDS ?? 30) * 1000

describe('under CPU contention', () => {
  it('the bundle flow, again and again, loses no acknowledged write and leaves no empty or torn file', async () => {
    const started = Date.now()
    const loops = busyLoops(BOUND_MS + 30_000)
    const problems: string[] = []
    let rounds = 0
    try {
      const dir = await scratch.dir()
      const [alice, bob] = await Promise.all([person(scratch, 'alice'), person(scratch, 'bob')])
      const homes = [alice.home, bob.home]
      /** Runs a command that must succeed, then looks for empty or torn files in every home. */
      const step = async <T>(what: string, command: Promise<T>): Promise<T> => {
        const result = await command
        for (const home of homes) for (const f of await tornFiles(home)) problems.push(`round ${rounds}, after ${what}: ${f}`)
        return result
      }
      const { design } = await step('design new', json(alice.home, 'design', 'new', '--title', 'Frame loom', '--hardware-license', 'CERN-OHL-S-2.0'))
      const { id: frame } = await step('bom add', json(alice.home, 'bom', 'add', design, '--name', 'Side bar', '--quantity', '2', '--material', 'oak'))
      await step('step add', ok(alice.home, 'step', 'add', design, '--title', 'Cut', '--body', 'Cut the bars to 60 cm.'))
      const loom = join(dir, 'loom.bundle')
      await step('bundle export', ok(alice.home, 'bundle', 'export', design, '--out', loom))
      await step('bundle import', ok(bob.home, 'bundle', 'import', loom))
      const { design: fork } = await step('fork', json(bob.home, 'fork', design))
      await step('bom add', ok(bob.home, 'bom', 'add', fork, '--name', 'Bolt M6x40', '--quantity', '4', '--material', 'steel'))
      await step('bom set', ok(bob.home, 'bom', 'set', fork, frame, '--quantity', '4'))
      const { proposal } = await step('propose', json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Bolted frame'))
      const bobs = join(dir, 'bob.bundle')
      await step('bundle export', ok(bob.home, 'bundle', 'export', design, '--out', bobs))

      let home = alice.home
      while (rounds === 0 || Date.now() - started < BOUND_MS) {
        rounds++
        if (rounds > 1) {
          // A fresh home of Alice's (her key), which receives everything again.
          home = join(dir, `alice-${rounds}`)
          homes.push(home)
          await mkdir(home, { recursive: true, mode: 0o700 })
          await copyFile(join(alice.home, 'identity.json'), join(home, 'identity.json'))
          await step('bundle import', ok(home, 'bundle', 'import', loom))
          if ((await json(home, 'design', 'show', design)).bom.length !== 1) problems.push(`round ${rounds}: the import lost the design's BOM`)
        }
        await step('bundle import', ok(home, 'bundle', 'import', bobs))
        const listed = (await json(home, 'proposals', design)).map((p: { proposal: string }) => p.proposal)
        if (!listed.includes(proposal)) problems.push(`round ${rounds}: the imported proposal is not listed`)
        const diff = await step('diff', json(home, 'diff', proposal))
        if (!diff.bom.added.some((r: { name: string }) => r.name === 'Bolt M6x40')) problems.push(`round ${rounds}: the diff lost Bob's row`)
        await step('review --accept', ok(home, 'review', proposal, '--accept', '--comment', 'Thanks!'))
        const names = (await json(home, 'design', 'show', design)).bom.map((r: { name: string }) => r.name)
        if (!names.includes('Bolt M6x40')) problems.push(`round ${rounds}: the accepted row is missing from the design`)
      }
    } catch (err) {
      problems.push(`round ${rounds}: ${(err as Error).message}`)
    } finally {
      for (const l of loops) l.kill('SIGKILL')
    }
    console.log(`under contention: ${rounds} rounds in ${Math.round((Date.now() - started) / 1000)} s, ${problems.length} problems`)
    expect(problems).toEqual([])
    expect(rounds).toBeGreaterThan(1)
  }, BOUND_MS + 240_000)
})
