/** Running the real `cosmo` (and other Node scripts) as child processes, timed end to end. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

/** The `cosmo` executable of this checkout (needs `tsc -b`: it runs packages/cli/dist). */
export const COSMO = fileURLToPath(new URL('../packages/cli/bin/cosmo.js', import.meta.url))

export interface Ran {
  /** From just before spawning to the process's exit. */
  ms: number
  code: number | null
  stdout: string
  stderr: string
}

/** The environment commands run in: no COSMO_HOME (every command is given --home). */
export function commandEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.COSMO_HOME
  delete env.COSMO_DEBUG
  return env
}

/**
 * Runs this Node (the pinned one the bench runs on) with `args` and times it, start to exit. The
 * bench runs `cosmo.js` with it directly, so the time is the command's own (no re-exec from an older
 * Node on PATH).
 */
export function runNode(args: readonly string[], timeoutMs = 300_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: commandEnv() })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.once('exit', (code) => {
      const ms = performance.now() - t0
      clearTimeout(timer)
      // The pipes may still hold the last bytes: read them before answering.
      let open = 2
      const done = () => {
        if (--open === 0) resolve({ ms, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })
      }
      if (child.stdout.readableEnded) done()
      else child.stdout.once('end', done)
      if (child.stderr.readableEnded) done()
      else child.stderr.once('end', done)
    })
  })
}

export const cosmo = (args: readonly string[], timeoutMs?: number) => runNode([COSMO, ...args], timeoutMs)

/** A process's resident memory and its peak, in MiB (Linux /proc); null where unreadable. */
export async function residentMiB(pid: number): Promise<{ rss: number; peak: number } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
  } catch {
    return null
  }
}

/** The first line of a failed command's stderr, for a note. */
export function why(r: Ran): string {
  const line = r.stderr.split('\n').find((l) => l.trim() !== '') ?? ''
  return `exit ${r.code}${line === '' ? '' : `: ${line.slice(0, 300)}`}`
}

/**
 * Stops a `cosmo serve` the bench started, as a service manager would: SIGTERM (it flushes what it
 * acknowledged), SIGKILL if it has not exited a minute later. `exited` settles on its exit.
 */
export async function stopServe(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  await exited
  clearTimeout(killer)
}
