/**
 * The control socket of `cosmo serve`: a Unix socket through which every other `cosmo` command
 * on the same home runs inside the hub process, on the hub's store, instead of opening the store
 * a second time. One JSON request line `{argv, stderrIsTTY}`; answers are JSON lines
 * `{stdout}` / `{stderr}` as the command writes, then `{exit}`. Commands run one at a time.
 */
import { createHash } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Io } from './output.js'

/** Unix socket paths are limited to about 104 bytes; longer homes get a socket in the temp dir. */
const MAX_SOCKET_PATH = 100
/** Largest request line accepted on the control socket (bytes). */
export const MAX_CONTROL_REQUEST_BYTES = 256 * 1024

export function controlSocketPath(home: string): string {
  const inHome = join(home, 'serve.sock')
  if (Buffer.byteLength(inHome) <= MAX_SOCKET_PATH) return inHome
  return join(tmpdir(), `cosmo-${createHash('sha256').update(home).digest('hex').slice(0, 16)}.sock`)
}

export type Runner = (argv: string[], io: Io) => Promise<number>

export async function serveControl(path: string, run: Runner, env: Io['env']): Promise<Server> {
  await rm(path, { force: true })
  let queue: Promise<unknown> = Promise.resolve()
  const server = createServer((socket) => {
    let buffered = ''
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      if (buffered.length > MAX_CONTROL_REQUEST_BYTES) {
        socket.destroy()
        return
      }
      const nl = buffered.indexOf('\n')
      if (nl < 0) return
      socket.off('data', onData)
      let req: { argv?: unknown; stderrIsTTY?: unknown }
      try {
        req = JSON.parse(buffered.slice(0, nl))
      } catch {
        socket.end(`${JSON.stringify({ stderr: 'cosmo: malformed control request\n' })}\n${JSON.stringify({ exit: 2 })}\n`)
        return
      }
      const argv = Array.isArray(req.argv) && req.argv.every((a) => typeof a === 'string') ? (req.argv as string[]) : null
      if (argv === null) {
        socket.end(`${JSON.stringify({ exit: 2 })}\n`)
        return
      }
      queue = queue.then(() => runOne(socket, argv, req.stderrIsTTY === true, run, env))
    }
    socket.on('data', onData)
    socket.on('error', () => socket.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => resolve())
  })
  return server
}

async function runOne(socket: Socket, argv: string[], stderrIsTTY: boolean, run: Runner, env: Io['env']): Promise<void> {
  const send = (msg: object) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(msg)}\n`)
  }
  const code = await run(argv, { stdout: (text) => send({ stdout: text }), stderr: (text) => send({ stderr: text }), env, stderrIsTTY })
  send({ exit: code })
  socket.end()
}

/**
 * Runs `argv` through the control socket. Resolves to the exit code, or null when nothing answers
 * there (no hub, or a stale socket), in which case the caller runs the command itself.
 */
export function forward(path: string, argv: readonly string[], io: Io): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect(path)
    let started = false
    let buffered = ''
    let exit: number | null = null
    socket.once('connect', () => {
      started = true
      socket.write(`${JSON.stringify({ argv, stderrIsTTY: io.stderrIsTTY })}\n`)
    })
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8')
      let nl
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        const msg = JSON.parse(line) as { stdout?: string; stderr?: string; exit?: number }
        if (msg.stdout !== undefined) io.stdout(msg.stdout)
        if (msg.stderr !== undefined) io.stderr(msg.stderr)
        if (msg.exit !== undefined) exit = msg.exit
      }
    })
    socket.on('error', () => resolve(started ? 1 : null))
    socket.on('close', () => {
      if (!started) resolve(null)
      else if (exit === null) {
        io.stderr('cosmo: the hub closed the control connection before the command finished\n')
        resolve(1)
      } else resolve(exit)
    })
  })
}
