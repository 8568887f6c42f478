/**
 * The README walkthrough's bundle flow, run again and again beside CPU-bound processes (a busy
 * machine makes automerge-repo's throttled background saves fire late, which is how an import once
 * left a 0-byte snapshot behind a command that had exited 0). Every command that exited 0 must
 * have left what it reported, and no store file may be empty or torn.
 */
import { spawn, type ChildProcess } from 'node:child_process'
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

const ROUNDS = Number(process.env.CONTENTION_ROUNDS ?? 3)
const BOUND_MS = 150_000

describe('under CPU contention', () => {
  it(`the bundle flow loses no acknowledged write and leaves no empty or torn file (up to ${ROUNDS} rounds)`, async () => {
    const started = Date.now()
    const loops = busyLoops(BOUND_MS)
    const problems: string[] = []
    let rounds = 0
    try {
      while (rounds < ROUNDS && Date.now() - started < BOUND_MS - 40_000) {
        rounds++
        const dir = await scratch.dir()
        const [alice, bob] = await Promise.all([person(scratch, 'alice'), person(scratch, 'bob')])
        const check = async (step: string) => {
          for (const f of [...(await tornFiles(alice.home)), ...(await tornFiles(bob.home))]) problems.push(`round ${rounds}, after ${step}: ${f}`)
        }
        const { design } = await json(alice.home, 'design', 'new', '--title', 'Frame loom', '--hardware-license', 'CERN-OHL-S-2.0')
        const { id: frame } = await json(alice.home, 'bom', 'add', design, '--name', 'Side bar', '--quantity', '2', '--material', 'oak')
        await ok(alice.home, 'step', 'add', design, '--title', 'Cut', '--body', 'Cut the bars to 60 cm.')
        await check('editing')
        await ok(alice.home, 'bundle', 'export', design, '--out', join(dir, 'loom.bundle'))
        await ok(bob.home, 'bundle', 'import', join(dir, 'loom.bundle'))
        await check('the first import')
        if ((await json(bob.home, 'design', 'show', design)).bom.length !== 1) problems.push(`round ${rounds}: Bob's import lost the design's BOM`)
        const { design: fork } = await json(bob.home, 'fork', design)
        await ok(bob.home, 'bom', 'add', fork, '--name', 'Bolt M6x40', '--quantity', '4', '--material', 'steel')
        await ok(bob.home, 'bom', 'set', fork, frame, '--quantity', '4')
        const { proposal } = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Bolted frame')
        await ok(bob.home, 'bundle', 'export', design, '--out', join(dir, 'bob.bundle'))
        await ok(alice.home, 'bundle', 'import', join(dir, 'bob.bundle'))
        await check('the second import')
        const listed = (await json(alice.home, 'proposals', design)).map((p: { proposal: string }) => p.proposal)
        if (!listed.includes(proposal)) problems.push(`round ${rounds}: the imported proposal is not listed`)
        const diff = await json(alice.home, 'diff', proposal)
        if (!diff.bom.added.some((r: { name: string }) => r.name === 'Bolt M6x40')) problems.push(`round ${rounds}: the diff lost Bob's row`)
        await ok(alice.home, 'review', proposal, '--accept', '--comment', 'Thanks!')
        await check('accepting')
        const names = (await json(alice.home, 'design', 'show', design)).bom.map((r: { name: string }) => r.name)
        if (!names.includes('Bolt M6x40')) problems.push(`round ${rounds}: the accepted row is missing from the design`)
      }
    } finally {
      for (const l of loops) l.kill('SIGKILL')
    }
    expect(problems).toEqual([])
    expect(rounds).toBeGreaterThan(0)
  }, BOUND_MS + 60_000)
})
