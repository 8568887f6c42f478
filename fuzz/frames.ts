/**
 * The frame fuzzer: a real `cosmo serve` (its own process) is sent seeded random and mutated
 * frames on every protocol it speaks (cases.ts), then an honest `cosmo sync` and `cosmo pull`
 * must still work against it. A crash is the hub process exiting: the cases in flight are then
 * sent again one at a time against a restarted hub to find the one that does it, whose seed
 * goes into the report (and, by hand, into corpus/frames.json, which every run replays first).
 */
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { cbor } from '@automerge/automerge-repo'
import { createNodePeer, encodeFrame, type CosmoNode } from '@cosmolocal/net'
import { CATALOGUE_PROTOCOL } from '@cosmolocal/hub'
import { multiaddr } from '@multiformats/multiaddr'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateCase, PROTOCOLS, type Protocol, type Target } from './cases.ts'
import { sendCase, type Endpoints } from './drivers.ts'
import { caseSeed, junkValue, Rng } from './random.ts'

export const COSMO_BIN = fileURLToPath(new URL('../packages/cli/bin/cosmo.js', import.meta.url))
export const CORPUS = fileURLToPath(new URL('./corpus/frames.json', import.meta.url))

export interface FuzzOptions {
  seed: number
  frames: number
  concurrency?: number
  /** The `cosmo` executable to fuzz (default: this checkout's). */
  bin?: string
  /** Only this protocol. */
  only?: Protocol
  progress?: (line: string) => void
}

export interface Crash {
  protocol: Protocol
  seed: number
  /** How the hub ended, and the last lines it wrote. */
  exit: string
  output: string
}

export interface FuzzReport {
  seed: number
  framesSent: number
  cases: number
  framesByProtocol: Record<Protocol, number>
  corpusReplayed: number
  crashes: Crash[]
  /** Crashes no single case reproduced alone (their suspects listed). */
  unexplainedCrashes: Array<{ exit: string; suspects: Array<{ protocol: Protocol; seed: number }> }>
  /** Times the hub took more than STALL_MS to answer an HTTP request between cases. */
  stalls: number
  /** Things cases observed that are wrong without a crash (a file served from outside the web root). */
  findings: string[]
  /** Lines the hub wrote that are not its own log (a dependency printing, a warning). */
  strayOutput: string[]
  /** Cases that, sent again alone, made the hub write such lines. */
  strayCases: Array<{ protocol: Protocol; seed: number; line: string }>
  honest: { sync: string; pull: string }
  durationMs: number
}

interface CorpusEntry {
  protocol: Protocol
  seed: number
  found: string
}

const STALL_MS = 10_000
const ATTACKER_ROTATION = 300
const LIVENESS_EVERY_FRAMES = 2_000

// ---- running cosmo ----------------------------------------------------------------------------

function run(bin: string, home: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env }
    delete env.COSMO_HOME
    const child = spawn(process.execPath, [bin, '--home', home, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

async function ok(bin: string, home: string, ...args: string[]): Promise<any> {
  const r = await run(bin, home, '--json', ...args)
  if (r.code !== 0) throw new Error(`cosmo ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`)
  return JSON.parse(r.stdout)
}

class HubProcess {
  readonly child: ChildProcess
  readonly endpoints: Endpoints
  readonly id: string
  readonly addr: string
  readonly tail: string[] = []
  exit: string | null = null
  /** Lines written that are not the hub's own log, and the last of them. */
  strays = 0
  lastStray = ''

  private constructor(child: ChildProcess, info: { id: string; multiaddrs: string[]; http: string; automergeWs: string; control: string }, stray: string[]) {
    this.child = child
    this.id = info.id
    this.addr = info.multiaddrs.find((m) => !m.includes('/ws'))!
    const http = new URL(info.http)
    this.endpoints = { tcp: multiaddr(this.addr), automergeWs: info.automergeWs, http: { host: http.hostname, port: Number(http.port) }, control: info.control }
    const keep = (line: string) => {
      this.tail.push(line)
      if (this.tail.length > 40) this.tail.shift()
    }
    let banner = true
    const lines = (stream: NodeJS.ReadableStream, own: (l: string) => boolean) => {
      let rest = ''
      stream.on('data', (d: string) => {
        const parts = (rest + d).split('\n')
        rest = parts.pop()!
        for (const l of parts) {
          keep(l)
          if (own(l)) continue
          this.strays++
          this.lastStray = l
          if (stray.length < 200) stray.push(l)
        }
      })
    }
    lines(child.stdout!, (l) => banner && (banner = !l.startsWith('press Ctrl-C'), true))
    lines(child.stderr!, (l) => l.startsWith('hub: ') || l.startsWith('stopping: '))
    child.on('exit', (code, signal) => (this.exit = `exit ${signal ?? code}`))
  }

  static async start(bin: string, home: string, stray: string[]): Promise<HubProcess> {
    await rm(join(home, 'serve.json'), { force: true })
    const env = { ...process.env }
    delete env.COSMO_HOME
    const child = spawn(process.execPath, [bin, '--home', home, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout!.setEncoding('utf8')
    child.stderr!.setEncoding('utf8')
    const end = Date.now() + 60_000
    for (;;) {
      const info = await readFile(join(home, 'serve.json'), 'utf8').then((t) => JSON.parse(t), () => null)
      if (info !== null && info.pid === child.pid) return new HubProcess(child, info, stray)
      if (child.exitCode !== null || Date.now() > end) throw new Error('cosmo serve did not start')
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  get alive(): boolean {
    return this.exit === null
  }

  /** Answers an HTTP request within STALL_MS. */
  async responsive(): Promise<boolean> {
    try {
      const res = await fetch(`http://${this.endpoints.http.host}:${this.endpoints.http.port}/api/hub`, { signal: AbortSignal.timeout(STALL_MS) })
      return res.ok
    } catch {
      return false
    }
  }

  async stop(): Promise<void> {
    if (!this.alive) return
    const exited = new Promise((r) => this.child.once('exit', r))
    this.child.kill('SIGTERM')
    await exited
  }
}

// ---- the attacker -----------------------------------------------------------------------------

/** An attacker node with a key derived from the run's seed; it answers a hub's catalogue requests with junk. */
async function attacker(runSeed: number, n: number): Promise<CosmoNode> {
  const seed = new Rng(runSeed ^ (n * 0x2545f491)).bytes(32)
  const node = await createNodePeer({ privateKey: await generateKeyPairFromSeed('Ed25519', seed), listen: [] })
  const rng = new Rng(runSeed + n)
  await node.handle(CATALOGUE_PROTOCOL, (stream) => {
    let body: Uint8Array
    try {
      body = cbor.encode(junkValue(rng))
    } catch {
      body = rng.bytes(16)
    }
    const frame = encodeFrame(body)
    stream.send(rng.bool(0.3) ? frame.subarray(0, rng.int(frame.length)) : frame)
    void stream.close().catch(() => stream.abort(new Error('case over')))
  })
  return node
}

// ---- the run ----------------------------------------------------------------------------------

export async function fuzzFrames(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now()
  const bin = options.bin ?? COSMO_BIN
  const say = options.progress ?? (() => {})
  const root = await mkdtemp(join(tmpdir(), 'cosmo-fuzz-'))
  const [hubHome, alice, bob] = ['hub', 'alice', 'bob'].map((n) => join(root, n)) as [string, string, string]
  const stray: string[] = []
  const report: FuzzReport = {
    seed: options.seed,
    framesSent: 0,
    cases: 0,
    framesByProtocol: Object.fromEntries(PROTOCOLS.map((p) => [p, 0])) as Record<Protocol, number>,
    corpusReplayed: 0,
    crashes: [],
    unexplainedCrashes: [],
    stalls: 0,
    findings: [],
    strayOutput: stray,
    strayCases: [],
    honest: { sync: 'not run', pull: 'not run' },
    durationMs: 0,
  }
  let hub: HubProcess | null = null
  let node: CosmoNode | null = null
  try {
    for (const home of [hubHome, alice, bob]) await ok(bin, home, 'id', 'init', '--name', home.split('/').pop()!)
    hub = await HubProcess.start(bin, hubHome, stray)
    const { design } = await ok(bin, alice, 'design', 'new', '--title', 'Fuzzed loom')
    await ok(bin, alice, 'bom', 'add', design, '--name', 'frame', '--quantity', '4')
    const file = join(root, 'part.stl')
    await writeFile(file, randomBytes(200 * 1024))
    await ok(bin, alice, 'attach', design, file)
    await ok(bin, alice, 'sync', '--peer', hub.addr)
    const files = (await ok(bin, alice, 'files', design)) as Array<{ hash: string; root: string; size: number }>
    const { host, port } = hub.endpoints.http
    const catalogue = (await (await fetch(`http://${host}:${port}/api/catalogue`)).json()) as Array<{ documents: string[] }>
    const base = { docs: catalogue.flatMap((e) => e.documents), blobs: files }
    say(`hub ${hub.id} holds ${catalogue.length} design(s), ${base.docs.length} documents; fuzzing with seed ${options.seed}`)
    const corpus = (await readFile(CORPUS, 'utf8').then((t) => JSON.parse(t) as { cases: CorpusEntry[] }, () => ({ cases: [] }))).cases
    let attackers = 0
    node = await attacker(options.seed, attackers++)
    const targetFor = (h: HubProcess, n: CosmoNode): Target => ({ hubId: h.id, attackerId: n.peerId.toString(), ...base })

    /** Sends one case; true if the hub was alive when it ended. */
    const one = async (protocol: Protocol | undefined, seed: number): Promise<{ protocol: Protocol; alive: boolean }> => {
      const h = hub!
      const c = generateCase(seed, targetFor(h, node!), protocol)
      report.framesSent += c.frames.length
      report.framesByProtocol[c.protocol] += c.frames.length
      report.cases++
      const finding = await sendCase(c, node!, h.endpoints).catch((err: Error) => `the fuzzer itself failed: ${err.message}`)
      if (finding !== null && report.findings.length < 50) report.findings.push(`${c.protocol} seed ${seed}: ${finding}`)
      return { protocol: c.protocol, alive: h.alive }
    }

    /** Long enough for a hub that crashed to be seen to exit. */
    const settle = () => new Promise((res) => setTimeout(res, 300))

    const recover = async (suspects: Array<{ protocol: Protocol; seed: number }>): Promise<void> => {
      const exit = hub!.exit ?? 'unknown'
      say(`the hub stopped (${exit}); finding which of ${suspects.length} case(s) did it`)
      for (const s of suspects) {
        hub = await HubProcess.start(bin, hubHome, stray)
        const r = await one(s.protocol, s.seed)
        await settle()
        if (!hub.alive) {
          report.crashes.push({ protocol: r.protocol, seed: s.seed, exit: hub.exit!, output: hub.tail.slice(-15).join('\n') })
          say(`crash: ${r.protocol} seed ${s.seed} (${hub.exit})`)
          hub = await HubProcess.start(bin, hubHome, stray)
          return
        }
        await hub.stop()
      }
      report.unexplainedCrashes.push({ exit, suspects })
      hub = await HubProcess.start(bin, hubHome, stray)
    }

    /** Sends each case alone until one makes the hub write something not its own. */
    const attributeStray = async (cases: Array<{ protocol: Protocol; seed: number }>): Promise<void> => {
      for (const c of cases) {
        const before = hub!.strays
        await one(c.protocol, c.seed)
        await settle()
        if (!hub!.alive) return
        if (hub!.strays > before) {
          report.strayCases.push({ ...c, line: hub!.lastStray })
          say(`stray output: ${c.protocol} seed ${c.seed}: ${hub!.lastStray}`)
          return
        }
      }
    }

    for (const entry of corpus) {
      await one(entry.protocol, entry.seed)
      report.corpusReplayed++
      await settle()
      if (!hub.alive) await recover([entry])
    }

    const concurrency = options.concurrency ?? 8
    let index = 0
    // A process that crashed is seen to exit a moment later: the batch before is a suspect too.
    let previous: Array<{ protocol: Protocol; seed: number }> = []
    let nextLiveness = LIVENESS_EVERY_FRAMES
    while (report.framesSent < options.frames) {
      if (index > 0 && index % ATTACKER_ROTATION === 0) {
        const old = node
        node = await attacker(options.seed, attackers++)
        void Promise.resolve(old.stop()).catch(() => {})
      }
      const batch = Array.from({ length: concurrency }, (_, i) => caseSeed(options.seed, index + i))
      index += concurrency
      const straysBefore = hub.strays
      const results = (await Promise.all(batch.map(async (seed) => ({ seed, ...(await one(options.only, seed)) })))).map((r) => ({ protocol: r.protocol, seed: r.seed }))
      if (!hub.alive) {
        await recover([...results, ...previous])
        previous = []
      } else previous = results
      if (hub.alive && hub.strays > straysBefore && report.strayCases.length < 20) await attributeStray(results)
      if (report.framesSent >= nextLiveness) {
        nextLiveness += LIVENESS_EVERY_FRAMES
        if (!(await hub.responsive())) report.stalls++
        say(`${report.framesSent} frames, ${report.crashes.length} crash(es)`)
      }
    }

    // An honest maintainer and a late joiner, with the real CLI, against the fuzzed hub.
    await settle()
    if (!hub.alive) await recover(previous)
    await ok(bin, alice, 'bom', 'add', design, '--name', 'after the fuzz', '--quantity', '1')
    report.honest.sync = await ok(bin, alice, 'sync', '--peer', hub.addr).then(
      (r) => (r.sent.length > 0 ? 'ok' : `nothing sent: ${JSON.stringify(r)}`),
      (err: Error) => `failed: ${err.message}`,
    )
    report.honest.pull = await ok(bin, bob, 'pull', design, '--peer', hub.addr).then(
      async (r) => {
        const shown = await ok(bin, bob, 'design', 'show', design)
        const rows = (shown.bom as Array<{ name: string }>).map((x) => x.name).join(', ')
        if (!r.designs.includes(design) || rows !== 'frame, after the fuzz' || r.files !== 1) return `pulled something else: designs ${r.designs}, rows ${rows}, files ${r.files}`
        return 'ok'
      },
      (err: Error) => `failed: ${err.message}`,
    )
    return report
  } finally {
    if (node !== null) await Promise.resolve(node.stop()).catch(() => {})
    await hub?.stop()
    await rm(root, { recursive: true, force: true })
    report.durationMs = Date.now() - started
  }
}
