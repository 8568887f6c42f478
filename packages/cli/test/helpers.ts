/**
 * Runs the real `cosmo` binary as a child process against real NodeFS homes in temp dirs.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))
export const BIN = join(PACKAGE, 'bin', 'cosmo.js')

export interface Result {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON, when it is JSON. */
  json: any
}

/** Fails early, with a clear message, when the CLI has not been built (the tests run dist/ through bin/). */
export function assertBuilt(): void {
  if (!existsSync(join(PACKAGE, 'dist', 'main.js'))) throw new Error('packages/cli/dist is missing: run `npx tsc -b` first')
}

/** Runs `cosmo --home HOME ARGS…` and collects its exit code and output. */
export function cosmo(home: string, ...args: string[]): Promise<Result> {
  const env = { ...process.env }
  delete env.COSMO_HOME
  delete env.COSMO_DEBUG
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--home', home, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({ code: code ?? -1, stdout, stderr, json })
    })
  })
}

/** Like `cosmo`, but the command must succeed. */
export async function ok(home: string, ...args: string[]): Promise<Result> {
  const r = await cosmo(home, ...args)
  if (r.code !== 0) throw new Error(`cosmo ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`)
  return r
}

/** `ok` with --json, returning the parsed output. */
export async function json(home: string, ...args: string[]): Promise<any> {
  return (await ok(home, '--json', ...args)).json
}

/** Asserts a failure: the exit code, and exactly one `cosmo: …` line on stderr. */
export function expectFailure(r: Result, code: number, message?: RegExp): void {
  expect(r.code, `stderr: ${r.stderr}`).toBe(code)
  const lines = r.stderr.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^cosmo: /)
  if (message) expect(lines[0]).toMatch(message)
}

/** Temp dirs made by a test file, removed by `cleanup()`. */
export class Scratch {
  private dirs: string[] = []

  async dir(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'cosmo-cli-test-'))
    this.dirs.push(d)
    return d
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.dirs.map((d) => rm(d, { recursive: true, force: true })))
    this.dirs = []
  }
}

/** A person with their own home (not created until the first command). */
export interface Person {
  name: string
  home: string
  id: string
}

export async function person(scratch: Scratch, name: string): Promise<Person> {
  const home = join(await scratch.dir(), name)
  const { id } = await json(home, 'id', 'init', '--name', name)
  return { name, home, id }
}

/** Exports `refs` from `from`'s home and imports the bundle into `to`'s. */
export async function carry(scratch: Scratch, from: Person, to: Person, ...refs: string[]): Promise<void> {
  const file = join(await scratch.dir(), `${from.name}.bundle`)
  await ok(from.home, 'bundle', 'export', ...refs, '--out', file)
  await ok(to.home, 'bundle', 'import', file)
}

/**
 * alice creates a design with one BOM row; bob imports it and forks it.
 */
export async function aliceAndBob(scratch: Scratch) {
  const [alice, bob] = await Promise.all([person(scratch, 'alice'), person(scratch, 'bob')])
  const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom', '--summary', 'a table loom', '--hardware-license', 'CERN-OHL-S-2.0')
  const { id: frame } = await json(alice.home, 'bom', 'add', design, '--name', 'frame', '--quantity', '4', '--material', 'oak')
  await carry(scratch, alice, bob, design)
  const { design: fork } = await json(bob.home, 'fork', design)
  return { alice, bob, design: design as string, frame: frame as string, fork: fork as string }
}
