#!/usr/bin/env node
// The `cosmo` executable. cosmo needs Node >= 22 (libp2p 3); the project pins Node 24 as a
// devDependency (the `node` package). On an older Node, find that pinned binary (walking up
// from this file's real path) and re-run this file with it.
import { spawnSync } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { constants } from 'node:os'

const MIN_MAJOR = 22
const major = Number(process.versions.node.split('.')[0])

if (major >= MIN_MAJOR) {
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
  const result = spawnSync(pinned, [self, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, COSMO_REEXEC: '1' },
  })
  if (result.error) {
    process.stderr.write(`cosmo: could not run ${pinned}: ${result.error.message}\n`)
    process.exit(1)
  }
  if (result.signal) process.exit(128 + (constants.signals[result.signal] ?? 1))
  process.exit(result.status ?? 1)
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
