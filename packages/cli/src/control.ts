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
    // Bytes until the first newline, decoded once: a character split across chunks stays whole.
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      const nl = chunk.indexOf(0x0a)
      chunks.push(nl < 0 ? chunk : chunk.subarray(0, nl))
      size += nl < 0 ? chunk.byteLength : nl
      if (size > MAX_CONTROL_REQUEST_BYTES) {
        socket.destroy()
        return
      }
      if (nl < 0) return
      socket.off('data', onData)
      const req = parseRequest(Buffer.concat(chunks).toString('utf8'))
      if (req === null) {
        socket.end(`${JSON.stringify({ stderr: 'cosmo: malformed control request\n' })}\n${JSON.stringify({ exit: 2 })}\n`)
        return
      }
      // One at a time; a command that fails (or a client that went away) does not stop the queue.
      queue = queue.then(() => runOne(socket, req.argv, req.stderrIsTTY, run, env)).catch(() => socket.destroy())
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

/** A request line, parsed: `{ argv: string[], stderrIsTTY?: boolean }`, or null for anything else. */
function parseRequest(line: string): { argv: string[]; stderrIsTTY: boolean } | null {
  let req: unknown
  try {
    req = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof req !== 'object' || req === null) return null
  const { argv, stderrIsTTY } = req as { argv?: unknown; stderrIsTTY?: unknown }
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) return null
  return { argv: argv as string[], stderrIsTTY: stderrIsTTY === true }
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
        let msg: { stdout?: unknown; stderr?: unknown; exit?: unknown }
        try {
          msg = JSON.parse(line) ?? {}
        } catch {
          continue // not from a cosmo hub; the exit code below says the command did not finish
        }
        if (typeof msg.stdout === 'string') io.stdout(msg.stdout)
        if (typeof msg.stderr === 'string') io.stderr(msg.stderr)
        if (typeof msg.exit === 'number') exit = msg.exit
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
