/**
 * `cosmo serve` as a child process, for tests that talk to a running hub: started on free ports,
 * found through its serve.json, stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { BIN } from './helpers.js'

export interface Served {
  home: string
  process: ChildProcess
  /** Its libp2p TCP multiaddr. */
  addr: string
  http: string
  automergeWs: string
  control: string
  stdout: () => string
  stderr: () => string
}

export async function serve(home: string, ...extra: string[]): Promise<Served> {
  const env = { ...process.env }
  delete env.COSMO_HOME
  const child = spawn(process.execPath, [BIN, '--home', home, 'serve', '--port', '0', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
  const end = Date.now() + 30_000
  for (;;) {
    const info = await readFile(join(home, 'serve.json'), 'utf8').then(
      (t) => JSON.parse(t) as { multiaddrs: string[]; pid: number; http: string; automergeWs: string; control: string },
      () => null,
    )
    // serve.json is written a moment before the control socket listens: wait for the socket too,
    // or a command run on the hub's home right away would not go through the hub.
    if (info !== null && info.pid === child.pid && (await listening(info.control))) {
      return {
        home,
        process: child,
        addr: info.multiaddrs.find((m) => !m.includes('/ws'))!,
        http: info.http,
        automergeWs: info.automergeWs,
        control: info.control,
        stdout: () => out,
        stderr: () => err,
      }
    }
    if (child.exitCode !== null || Date.now() > end) throw new Error(`cosmo serve did not start: ${err}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function listening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path)
    socket.on('connect', () => {
      socket.end()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
  })
}

export function isRunning(s: Served): boolean {
  return s.process.exitCode === null && s.process.signalCode === null
}

export async function stop(s: Served): Promise<void> {
  if (!isRunning(s)) return
  const exited = new Promise<void>((resolve) => s.process.once('exit', () => resolve()))
  s.process.kill('SIGTERM')
  await exited
}

/** The hubs a test file runs: each started on its own home, all stopped after every test. */
export class Hubs {
  readonly #running: Served[] = []

  /** Starts `cosmo serve` on `home`; resolves with its libp2p TCP multiaddr once it is ready. */
  async start(home: string, ...extra: string[]): Promise<string> {
    const s = await serve(home, ...extra)
    this.#running.push(s)
    return s.addr
  }

  async stopAll(): Promise<void> {
    for (const s of this.#running.splice(0)) await stop(s)
  }
}
