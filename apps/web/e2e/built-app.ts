/**
 * The built web app, made once per test run and shared by every end-to-end file (a build takes
 * 5–25 s; seventeen files each building their own was a minute or more of every `npm test`).
 *
 * Files run in several workers at once, so the first to ask takes a lock (an exclusive `mkdir`),
 * builds into a temporary directory and renames it into place; the others wait for it. A build that
 * failed leaves its error beside the lock, and every waiting file fails with it rather than waiting
 * for nothing. Outside Vitest (no shared root) each caller builds its own copy.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'

/** How long a file waits for another's build before it gives up. */
const BUILD_WAIT_MS = 300_000
const POLL_MS = 200

/** Builds the app into `outDir` in a child process; rejects with the build's own output. */
export function buildApp(outDir: string): Promise<void> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./build-app.ts', import.meta.url)), outDir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the web app failed (exit ${code}): ${output.trim().slice(-2000)}`))))
  })
}

/** The directory holding the built app: shared for this run when Vitest gave a root, else `fallback`. */
export async function builtApp(fallback: string): Promise<string> {
  const root = sharedRoot()
  if (root === undefined) {
    await buildApp(fallback)
    return fallback
  }
  const dist = join(root, 'dist')
  const failed = join(root, 'failed')
  try {
    await mkdir(join(root, 'lock'))
  } catch {
    return waitFor(dist, failed)
  }
  try {
    await buildApp(join(root, 'dist.partial'))
    await rename(join(root, 'dist.partial'), dist)
    return dist
  } catch (err) {
    await writeFile(failed, (err as Error).message)
    throw err
  }
}

function sharedRoot(): string | undefined {
  try {
    return inject('builtAppRoot')
  } catch {
    return undefined
  }
}

async function waitFor(dist: string, failed: string): Promise<string> {
  const deadline = Date.now() + BUILD_WAIT_MS
  while (Date.now() < deadline) {
    if (existsSync(dist)) return dist
    if (existsSync(failed)) throw new Error(await readFile(failed, 'utf8'))
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
  throw new Error(`the web app was still being built by another test file after ${BUILD_WAIT_MS / 1000} s`)
}
