/**
 * bin/cosmo.js on a Node older than 22 re-executes itself on the pinned Node. Whatever stops the
 * started process (a service manager's SIGTERM, a terminal's SIGINT) stops the hub behind it too:
 * no process is left, and its ports are free again.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, BIN, person, Scratch } from './helpers.js'

const MIN_MAJOR = 22

/** The first `node` on PATH older than the CLI needs (the machine's own Node, when it is one). */
function olderNode(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node')
    if (dir === '' || !existsSync(candidate)) continue
    try {
      const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim()
      if (Number(/^v(\d+)/.exec(version)?.[1]) < MIN_MAJOR) return candidate
    } catch {
      // not runnable: try the next one
    }
  }
  return null
}

const OLD_NODE = olderNode()
const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, host, () => server.close(() => resolve(true)))
  })
}

describe.skipIf(OLD_NODE === null)(`a hub started through the wrapper on ${OLD_NODE ?? 'an old Node'}`, () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops completely on %s: no process left, its ports free', async (signal) => {
    const { home } = await person(scratch, 'hub')
    const env = { ...process.env }
    delete env.COSMO_HOME
    delete env.COSMO_REEXEC
    const wrapper = spawn(OLD_NODE!, [BIN, '--home', home, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    wrapper.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      wrapper.once('exit', (code, sig) => resolve({ code, signal: sig })),
    )

    // Ready once the hub has written serve.json; it runs in another process than the wrapper.
    let info: { pid: number; http: string; multiaddrs: string[] } | null = null
    for (const end = Date.now() + 60_000; info === null; await new Promise((r) => setTimeout(r, 100))) {
      info = await readFile(join(home, 'serve.json'), 'utf8').then((t) => JSON.parse(t), () => null)
      if (wrapper.exitCode !== null || Date.now() > end) throw new Error(`cosmo serve did not start: ${stderr}`)
    }
    expect(info.pid).not.toBe(wrapper.pid)
    const ports = [Number(new URL(info.http).port), ...info.multiaddrs.map((m) => Number(/\/tcp\/(\d+)/.exec(m)![1]))]

    wrapper.kill(signal)
    const result = await exited
    for (const end = Date.now() + 10_000; alive(info.pid) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100))

    const orphan = alive(info.pid)
    if (orphan) process.kill(info.pid, 'SIGKILL') // leave nothing behind when this fails
    expect(orphan, `the hub (pid ${info.pid}) outlived its wrapper`).toBe(false)
    expect(result).toEqual({ code: 0, signal: null })
    expect(stderr).toContain('stopping: flushing the store')
    for (const port of new Set(ports)) expect(await portFree(port, '127.0.0.1'), `port ${port}`).toBe(true)
  })
})
