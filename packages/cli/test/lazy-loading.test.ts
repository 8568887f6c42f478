/**
 * What a command loads. `--help` and `--version` read only the command table; local commands
 * never load libp2p, its transports, WebRTC or the hub. Checked on the real binary: a module hook
 * (`--import`, `module.registerHooks`) records every module the process loads, whatever imports it.
 */
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, BIN, json, ok, Scratch } from './helpers.js'

const scratch = new Scratch()
let hook: string
let home: string

/** A module hook that writes the URL of every module loaded to $TRACE_FILE when the process exits. */
const HOOK = `
import { registerHooks } from 'node:module'
import { writeFileSync } from 'node:fs'
const loaded = []
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
process.on('exit', () => writeFileSync(process.env.TRACE_FILE, loaded.join('\\n')))
`

/** Runs `cosmo ARGS…` on the test home and returns the URLs of every module it loaded (it must succeed). */
async function modulesLoaded(...args: string[]): Promise<string[]> {
  const { code, urls } = await trace(args)
  expect(code, `cosmo ${args.join(' ')}`).toBe(0)
  return urls
}

async function trace(args: readonly string[]): Promise<{ code: number | null; urls: string[] }> {
  const file = join(await scratch.dir(), 'trace.txt')
  const env: NodeJS.ProcessEnv = { ...process.env, TRACE_FILE: file }
  delete env.COSMO_HOME
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', hook, BIN, '--home', home, ...args], { env, stdio: 'ignore' })
    child.on('error', reject)
    child.on('close', resolve)
  })
  return { code, urls: (await readFile(file, 'utf8')).split('\n') }
}

/** libp2p itself, its transports and services, WebRTC's native bindings, and the hub package. */
const NETWORK = [
  /\/node_modules\/libp2p\//,
  /\/node_modules\/@libp2p\/(tcp|webrtc|websockets|circuit-relay-v2|noise|yamux|identify|ping)\//,
  /\/node_modules\/(@node-datachannel|node-datachannel)\//,
  /\/packages\/hub\//,
]

function networkModules(urls: readonly string[]): string[] {
  return urls.filter((u) => NETWORK.some((re) => re.test(u)))
}

beforeAll(async () => {
  assertBuilt()
  const dir = await scratch.dir()
  hook = join(dir, 'trace-hook.mjs')
  await writeFile(hook, HOOK)
  home = join(dir, 'home')
  await ok(home, 'id init', '--name', 'Tracer')
})

afterAll(() => scratch.cleanup())

describe('what a command loads', () => {
  it('sees the modules a network command loads (libp2p, WebRTC, the hub)', async () => {
    // The trace's own check, without which an empty trace would pass every test below. Nothing
    // listens on the port, so the command fails, after loading what talks to peers.
    const { code, urls } = await trace(['catalogue', '--peer', '/ip4/127.0.0.1/tcp/9/p2p/12D3KooWDYifK6ugd9Amk1WRYPTDoQmPMtGAzxDFmVW7Yxc5o7Bt'])
    expect(code).not.toBe(0)
    const found = networkModules(urls)
    for (const re of NETWORK) expect(found.some((u) => re.test(u)), String(re)).toBe(true)
  })

  it('--help and --version load nothing beyond the CLI itself and Node built-ins', async () => {
    for (const args of [['--help'], ['--version'], ['serve', '--help'], ['design', '--help']]) {
      const urls = await modulesLoaded(...args)
      const foreign = urls.filter((u) => !u.startsWith('node:') && !u.includes('/packages/cli/'))
      expect(foreign, `cosmo ${args.join(' ')}`).toEqual([])
    }
  })

  it('id show loads no libp2p node, transport, WebRTC or hub', async () => {
    expect(networkModules(await modulesLoaded('id', 'show'))).toEqual([])
  })

  it('id show loads neither libp2p crypto nor automerge: it only reads who the key file is', async () => {
    const urls = await modulesLoaded('id', 'show')
    expect(urls.filter((u) => /\/node_modules\/(@libp2p|@automerge|yaml|smol-toml|spdx-)/.test(u))).toEqual([])
  })

  it('id show and --version load no hashing, sockets or known-designs index: the fixed cost of a command stays small', async () => {
    for (const args of [['id', 'show'], ['--version']]) {
      const urls = await modulesLoaded(...args)
      const heavy = urls.filter((u) => /\/node_modules\/@noble\/|\/cli\/dist\/(control|known)\.js$|^node:(net|crypto)$/.test(u))
      expect(heavy, `cosmo ${args.join(' ')}`).toEqual([])
    }
  })

  it('local commands that open the store load no libp2p node, transport, WebRTC or hub', async () => {
    expect(networkModules(await modulesLoaded('design', 'new', '--title', 'Local'))).toEqual([])
    expect(networkModules(await modulesLoaded('design', 'list'))).toEqual([])
    // The file commands' group also holds `file get --peer`, which talks to peers.
    const { design } = await json(home, 'design', 'new', '--title', 'With files')
    expect(networkModules(await modulesLoaded('files', design))).toEqual([])
    // The needs board without --peer, and the inbox, read this home only.
    expect(networkModules(await modulesLoaded('needs'))).toEqual([])
    expect(networkModules(await modulesLoaded('inbox'))).toEqual([])
  })
})
