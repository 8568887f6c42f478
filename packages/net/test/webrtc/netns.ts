/**
 * A throwaway network namespace for tests that need a real network interface. Everything in it is
 * private to it: a veth pair with both ends inside, addresses from a private /24, a default route
 * over the veth, loopback up. Nothing in the namespace reaches the host's network or beyond.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)
const PREFIX = 'cosmonet-'
/** A /24 used only inside our namespaces. */
const SUBNET = '10.77.0'

export function canCreateNamespaces(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0
}

/**
 * `prefix` and `subnet` let another suite (the web app's) run its own namespaces concurrently with
 * these, on a /24 of its own.
 */
export async function createNamespace(options: { prefix?: string; subnet?: string } = {}): Promise<string> {
  const prefix = options.prefix ?? PREFIX
  const subnet = options.subnet ?? SUBNET
  await removeStaleNamespaces(prefix)
  const name = `${prefix}${process.pid}-${Math.random().toString(36).slice(2, 8)}`
  const ip = (...args: string[]) => run('ip', ['-n', name, ...args])
  await run('ip', ['netns', 'add', name])
  try {
    await ip('link', 'set', 'lo', 'up')
    await ip('link', 'add', 'cva', 'type', 'veth', 'peer', 'name', 'cvb')
    await ip('addr', 'add', `${subnet}.1/24`, 'dev', 'cva')
    await ip('addr', 'add', `${subnet}.2/24`, 'dev', 'cvb')
    await ip('link', 'set', 'cva', 'up')
    await ip('link', 'set', 'cvb', 'up')
    await ip('route', 'add', 'default', 'dev', 'cva')
  } catch (err) {
    await deleteNamespace(name)
    throw err
  }
  return name
}

export async function deleteNamespace(name: string): Promise<void> {
  await run('ip', ['netns', 'del', name]).catch(() => undefined)
}

/** Namespaces left by an earlier run of this test that was killed before it could clean up. */
async function removeStaleNamespaces(prefix: string): Promise<void> {
  const { stdout } = await run('ip', ['netns', 'list'])
  for (const line of stdout.split('\n')) {
    const match = new RegExp(`^(${prefix}(\\d+)-\\w+)`).exec(line)
    if (match === null) continue
    const [, name, pid] = match as unknown as [string, string, string]
    if (!isRunning(Number(pid))) await deleteNamespace(name)
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
