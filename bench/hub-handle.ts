/** Starts a hub in a child process (hub-process.ts) and talks to it. */
import type { DocumentId } from '@automerge/automerge-repo'
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { HubHello, HubReply, HubRequest } from './hub-protocol.ts'

/** What a client peer needs to reach a hub. */
export interface HubEndpoint {
  readonly id: string
  /** The hub's plain TCP libp2p multiaddr on loopback (not its libp2p-over-WebSockets one). */
  readonly tcp: string
  /** The hub's stock automerge-repo WebSocket endpoint. */
  readonly automergeWs: string
}

type Ask = Omit<Extract<HubRequest, { type: 'await' }>, 're'> | Omit<Extract<HubRequest, { type: 'stop' | 'unload' | 'settle' }>, 're'>

export interface HubHandle extends HubEndpoint {
  /** How long `startHub` took in the hub process. */
  readonly startMs: number
  /** Resolves once the hub holds every document at the given heads, on disk. */
  awaitDocuments(documents: ReadonlyMap<DocumentId, string>, timeoutMs?: number): Promise<void>
  /** Unloads every document the hub has loaded (its residency's unload, as after an idle period); resolves to how many. */
  unloadAll(): Promise<number>
  /** Resolves once the work the hub began in the background at start (the store's sweep, the index check) is done. */
  settle(): Promise<void>
  stop(): Promise<void>
}

export interface SpawnOptions {
  /**
   * A hub home the hub starts on (copied first): its store (`repo/`) and whatever a stopped hub left
   * beside it (the catalogue index, the verified-state cache). Default: an empty store.
   */
  home?: string
  /** Give up (and end the hub process) when it has not started by then. */
  startTimeoutMs?: number
}

export async function spawnHub(options: SpawnOptions = {}): Promise<HubHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-bench-hub-'))
  const child: ChildProcess = fork(fileURLToPath(new URL('./hub-process.ts', import.meta.url)), [dir, ...(options.home === undefined ? [] : [options.home])], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // BENCH_HUB_CPU_PROF=DIR writes a V8 CPU profile of the hub process there (to see where its time goes);
    // BENCH_HUB_NODE_FLAGS adds Node or V8 flags to it (space-separated, e.g. `--trace-gc`).
    execArgv: [...(process.env.BENCH_HUB_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HUB_CPU_PROF}`] : []), ...(process.env.BENCH_HUB_NODE_FLAGS ?? '').split(' ').filter(Boolean)],
  })
  const waiting = new Map<number, { resolve: (r: HubReply) => void; reject: (e: Error) => void }>()
  let next = 1
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve())).then(() => rm(dir, { recursive: true, force: true }))
  child.on('message', (raw) => {
    const r = raw as HubReply
    waiting.get(r.re)?.resolve(r)
    waiting.delete(r.re)
  })
  child.once('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`the hub process exited (code ${code})`))
    waiting.clear()
  })
  const ask = (req: Ask): Promise<HubReply> =>
    new Promise((resolve, reject) => {
      const re = next++
      waiting.set(re, { resolve, reject })
      child.send({ ...req, re } as HubRequest)
    })
  const timeoutMs = options.startTimeoutMs ?? 600_000
  let timer: NodeJS.Timeout | undefined
  const hello = await new Promise<HubHello>((resolve, reject) => {
    waiting.set(0, { resolve: (r) => (r.ok && r.hello ? resolve(r.hello) : reject(new Error('the hub did not start'))), reject })
    timer = setTimeout(() => {
      waiting.delete(0)
      child.kill('SIGKILL')
      // Answer once the process is gone and its store removed.
      void exited.then(() => reject(new Error(`the hub did not start within ${(timeoutMs / 1000).toFixed(0)} s`)))
    }, timeoutMs)
  }).finally(() => clearTimeout(timer))
  const tcp = hello.multiaddrs.find((m) => m.startsWith('/ip4/127.0.0.1/tcp/') && !m.includes('/ws'))
  if (tcp === undefined) throw new Error(`the hub has no loopback TCP address: ${hello.multiaddrs.join(' ')}`)
  const check = (r: HubReply) => {
    if (!r.ok) throw new Error(r.error)
  }
  return {
    id: hello.id,
    startMs: hello.startMs,
    tcp,
    automergeWs: hello.automergeWs,
    awaitDocuments: async (documents, timeoutMs = 300_000) =>
      check(await ask({ type: 'await', documents: [...documents], timeoutMs, everyMs: documents.size > 100 ? 20 : 1 })),
    unloadAll: async () => {
      const r = await ask({ type: 'unload' })
      check(r)
      return r.ok ? (r.unloaded ?? 0) : 0
    },
    settle: async () => check(await ask({ type: 'settle' })),
    stop: async () => {
      if (child.exitCode === null && child.connected) check(await ask({ type: 'stop' }))
      await exited
    },
  }
}
