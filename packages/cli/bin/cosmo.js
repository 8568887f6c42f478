#!/usr/bin/env node
// The `cosmo` executable. cosmo needs Node >= 22 (libp2p 3); the project pins Node 24 as a
// devDependency (the `node` package). On an older Node, find that pinned binary (walking up
// from this file's real path) and re-run this file with it, as a child that gets our signals.
import { spawn } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import module from 'node:module'
import { constants } from 'node:os'

const MIN_MAJOR = 22
/** What a service manager, a script or a terminal sends to stop a command. */
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP']
const major = Number(process.versions.node.split('.')[0])

if (major >= MIN_MAJOR) {
  // Node keeps the compiled code of the modules a command loads (in the temp dir, checked
  // against each file's contents), so the next command starts faster.
  module.enableCompileCache?.()
  await import('../dist/main.js')
} else {
  const self = realpathSync(fileURLToPath(import.meta.url))
  const pinned = findPinnedNode(dirname(self))
  if (pinned === null || process.env.COSMO_REEXEC === '1') {
    process.stderr.write(
      `cosmo: needs Node ${MIN_MAJOR} or newer (this is ${process.version}); run \`npm install\` in the project to fetch the pinned Node\n`,
    )
    process.exit(1)
  }
  runPinned(pinned, [self, ...process.argv.slice(2)])
}

/**
 * Runs the pinned Node as a child and stands in for it: the signals a service manager, a script or
 * a terminal sends to this process reach the child (which stops as it would if started directly:
 * `cosmo serve` flushes what it acknowledged), and this process ends as the child did.
 */
function runPinned(node, args) {
  const child = spawn(node, args, { stdio: 'inherit', env: { ...process.env, COSMO_REEXEC: '1' } })
  const forward = (signal) => {
    // A terminal sends Ctrl-C to the child too; a second SIGINT is harmless to it.
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward)
  child.once('error', (err) => {
    process.stderr.write(`cosmo: could not run ${node}: ${err.message}\n`)
    process.exit(1)
  })
  child.once('exit', (code, signal) => {
    for (const s of FORWARDED_SIGNALS) process.off(s, forward)
    if (signal !== null) {
      // End by the same signal, so whoever waits for this process sees what the child met.
      process.kill(process.pid, signal)
      process.exit(128 + (constants.signals[signal] ?? 1))
    }
    process.exit(code ?? 1)
  })
}

function findPinnedNode(start) {
  const names = process.platform === 'win32' ? ['node.exe', 'node'] : ['node']
  for (let dir = start; ; dir = dirname(dir)) {
    for (const name of names) {
      const candidate = join(dir, 'node_modules', 'node', 'bin', name)
      if (existsSync(candidate)) return candidate
    }
    if (dirname(dir) === dir) return null
  }
}
