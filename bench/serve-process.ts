/** A real `cosmo serve` on a home, as a child process the bench measures, and asking it over HTTP. */
import { createIdentity, serializeIdentity } from '@cosmolocal/core'
import { INDEX_VERSION } from '@cosmolocal/hub'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { get } from 'node:http'
import { join } from 'node:path'
import { CACHE_ROOT, copyTree } from './fixtures.ts'
import { GENERATOR_VERSION } from './gen.ts'
import { COSMO, commandEnv } from './proc.ts'
import { progress } from './progress.ts'

/** A hub home made from a generated store: a copy of it as the home's repo, and a fresh hub key. */
export async function hubHome(store: string, home: string): Promise<void> {
  await copyTree(store, join(home, 'repo'))
  await writeFile(join(home, 'identity.json'), `${JSON.stringify(serializeIdentity(await createIdentity('Bench hub')), null, 2)}\n`, { mode: 0o600 })
}

export interface ServeInfo {
  http: string
  multiaddrs: string[]
}

export interface Serving {
  child: ChildProcess
  /** Settles when the process exits. */
  exited: Promise<void>
  /** Its printed result once it is ready; null if not within `readyMs`; rejects if it exits first. */
  ready: Promise<ServeInfo | null>
  /** The last few kilobytes it wrote on stderr. */
  stderr(): string
}

/** Starts `cosmo --home HOME --json serve --port 0`; with --json it prints one JSON value once ready. */
export function startServe(home: string, readyMs = Number.POSITIVE_INFINITY): Serving {
  const child = spawn(process.execPath, [COSMO, '--home', home, '--json', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: commandEnv() })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let stderr = ''
  child.stderr!.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString('utf8')).slice(-4000)
  })
  const ready = new Promise<ServeInfo | null>((resolve, reject) => {
    let out = ''
    const timer = Number.isFinite(readyMs) ? setTimeout(() => resolve(null), readyMs) : undefined
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString('utf8')
      let parsed: ServeInfo
      try {
        parsed = JSON.parse(out) as ServeInfo
      } catch {
        return // not all of it yet
      }
      clearTimeout(timer)
      resolve(parsed)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`cosmo serve exited (code ${code}) before it was ready: ${stderr.trim().split('\n').at(-1) ?? ''}`))
    })
  })
  return { child, exited, ready, stderr: () => stderr }
}

/** GETs `url` and parses its JSON; rejects on a status other than 200 or no answer within `timeoutMs`. */
export function getJson(url: URL, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (b: Buffer) => chunks.push(b))
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`answered ${res.statusCode}`))
        else {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
          } catch (err) {
            reject(err as Error)
          }
        }
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${(timeoutMs / 1000).toFixed(0)} s`)))
    req.on('error', reject)
  })
}

/**
 * A home holding the store of `n` designs whose hub has built its catalogue index, made once and
 * kept under bench/.cache (the first start on a store without an index lists nothing until the
 * index is rebuilt in the background). How long that first start and the rebuild took is kept with it.
 */
export async function indexedHome(store: string, n: number, deadlineMs: number): Promise<{ dir: string; firstReadyMs: number; indexBuildS: number }> {
  const dir = join(CACHE_ROOT, `g${GENERATOR_VERSION}`, `hub-home-n${n}-index${INDEX_VERSION}`)
  try {
    return { dir, ...(JSON.parse(await readFile(join(dir, 'bench-home.json'), 'utf8')) as { firstReadyMs: number; indexBuildS: number }) }
  } catch {
    // not built yet
  }
  progress(`building the catalogue index of ${nf(n)} designs once (kept under bench/.cache)`)
  const building = `${dir}.building-${process.pid}`
  await rm(building, { recursive: true, force: true })
  await hubHome(store, building)
  const t0 = performance.now()
  const serving = startServe(building)
  const { child, exited } = serving
  try {
    const info = (await serving.ready)!
    const firstReadyMs = performance.now() - t0
    const end = performance.now() + Math.max(deadlineMs, 3_600_000)
    for (;;) {
      const hub = (await getJson(new URL('api/hub', info.http), 60_000).catch((err: Error) => {
        throw new Error(`while the index was built: ${err.message}; the hub's last words: ${serving.stderr().trim().split('\n').slice(-3).join(' / ')}`)
      })) as { index?: { complete: boolean; documents: number; designs: number } }
      if (hub.index?.complete === true) break
      if (performance.now() > end) throw new Error('the index was not built within the hour')
      await new Promise((r) => setTimeout(r, 2_000))
    }
    const indexBuildS = (performance.now() - t0) / 1000
    child.kill('SIGTERM')
    await exited
    const stamp = { firstReadyMs, indexBuildS }
    await writeFile(join(building, 'bench-home.json'), `${JSON.stringify(stamp)}\n`)
    await rm(dir, { recursive: true, force: true })
    await rename(building, dir)
    progress(`  first start on ${nf(n)} designs without an index: ready in ${firstReadyMs.toFixed(0)} ms, index built in ${indexBuildS.toFixed(0)} s`)
    return { dir, ...stamp }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
  }
}

const nf = (n: number) => n.toLocaleString('en-US')
