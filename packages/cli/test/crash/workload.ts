/**
 * The crash-consistency workload: real `cosmo` processes on real homes, killed with SIGKILL at
 * seeded moments. Alice edits her design, imports Bob's proposal bundles, accepts them and syncs
 * with a hub (`cosmo serve`, its own process, also killed and restarted). A command that exited 0
 * and a sync the hub acknowledged are promises: after every kill, each must still hold, no file
 * of the store may be torn, and every document must load.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { watch } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { seededRandom } from '@cosmolocal/core/test-support'
import { checkChunks } from '@cosmolocal/storage'
import { BIN, json, ok, Scratch, type Person } from '../helpers.js'

export interface CrashOptions {
  seed: number
  /** Stop after this many SIGKILLs. */
  kills: number
  /** Stop after this long (ms) even if fewer kills happened. */
  timeLimitMs: number
  /** Bob's proposals prepared up front (each is accepted at most once). */
  proposals: number
  log?: (line: string) => void
}

export interface CrashReport {
  kills: number
  /** Acknowledged writes checked after kills (each counted once per check). */
  checked: number
  /** Acknowledged writes found missing. */
  losses: string[]
  /** Torn or empty store files found (paths, each once). */
  torn: string[]
  /** Documents that did not load, or chunks set aside, reported by `cosmo doctor`. */
  unloadable: string[]
  actions: number
}

type Outcome = { code: number | null; killed: boolean; stdout: string; stderr: string }

const seeded = seededRandom

/**
 * Runs `cosmo --home HOME ARGS…`; when `kill` is set, SIGKILLs it either a random time after it
 * starts, or a random few milliseconds after its store first changes on disk (so that kills land
 * inside writes, not only before or after them).
 */
function run(home: string, args: string[], kill: null | { afterMs: number } | { afterWriteMs: number }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env }
    delete env.COSMO_HOME
    const child = spawn(process.execPath, [BIN, '--home', home, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    let killed = false
    const doKill = () => {
      if (child.exitCode === null && !killed) {
        killed = true
        child.kill('SIGKILL')
      }
    }
    let timer: NodeJS.Timeout | undefined
    let watcher: ReturnType<typeof watch> | undefined
    if (kill !== null && 'afterMs' in kill) timer = setTimeout(doKill, kill.afterMs)
    if (kill !== null && 'afterWriteMs' in kill) {
      watcher = watch(join(home, 'repo'), { recursive: true }, () => {
        watcher?.close()
        timer = setTimeout(doKill, kill.afterWriteMs)
      })
      watcher.on('error', () => undefined)
    }
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      watcher?.close()
      resolve({ code, killed: killed && code !== 0, stdout, stderr })
    })
  })
}

class HubProcess {
  child: ChildProcess | null = null
  addr = ''

  constructor(readonly home: string) {}

  async start(): Promise<void> {
    const env = { ...process.env }
    delete env.COSMO_HOME
    const child = spawn(process.execPath, [BIN, '--home', this.home, '--json', 'serve', '--port', '0', '--web', join(this.home, 'no-web')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child = child
    child.stderr!.resume()
    let out = ''
    this.addr = await new Promise<string>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d
        try {
          const info = JSON.parse(out) as { multiaddrs: string[] }
          resolve(info.multiaddrs.find((m) => m.includes('/tcp/') && !m.includes('/ws'))!)
        } catch {
          // not the whole JSON yet
        }
      })
      child.on('close', (code) => reject(new Error(`the hub exited (${code}) before it was ready`)))
    })
  }

  /** SIGKILL, and wait until it is gone. */
  async kill(): Promise<void> {
    const child = this.child
    if (child === null || child.exitCode !== null) return
    await new Promise<void>((resolve) => {
      child.once('close', () => resolve())
      child.kill('SIGKILL')
    })
    this.child = null
  }

  async stop(): Promise<void> {
    const child = this.child
    if (child === null || child.exitCode !== null) return
    await new Promise<void>((resolve) => {
      child.once('close', () => resolve())
      child.kill('SIGTERM')
    })
    this.child = null
  }
}

/** Files of a store that are torn: a document chunk that is not whole Automerge chunks, or any empty file. */
export async function tornFiles(home: string): Promise<string[]> {
  const base = join(home, 'repo')
  const out: string[] = []
  const visit = async (dir: string, depth: number, type: string | null): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, e.name)
      if (e.isDirectory()) await visit(path, depth + 1, depth === 2 ? e.name : type)
      else if (/^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(e.name)) continue // a write in flight when killed: not part of the store
      else {
        const bytes = await readFile(path)
        if (bytes.length === 0 || ((type === 'snapshot' || type === 'incremental') && !checkChunks(bytes).ok)) out.push(path)
      }
    }
  }
  await visit(base, 0, null)
  for (const f of ['identity.json', 'index.json']) {
    const text = await readFile(join(home, f), 'utf8').catch(() => null)
    if (text === null) continue
    try {
      JSON.parse(text)
    } catch {
      out.push(join(home, f))
    }
  }
  return out
}

export async function crashWorkload(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => {})
  const random = seeded(options.seed)
  const scratch = new Scratch()
  const report: CrashReport = { kills: 0, checked: 0, losses: [], torn: [], unloadable: [], actions: 0 }
  const hub = new HubProcess(join(await scratch.dir(), 'hub'))
  try {
    const alice: Person = { name: 'alice', home: join(await scratch.dir(), 'alice'), id: '' }
    const bob: Person = { name: 'bob', home: join(await scratch.dir(), 'bob'), id: '' }
    await Promise.all([ok(alice.home, 'id', 'init', '--name', 'Alice'), ok(bob.home, 'id', 'init', '--name', 'Bob'), ok(hub.home, 'id', 'init', '--name', 'Hub')])
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    const first = join(await scratch.dir(), 'design.bundle')
    await ok(alice.home, 'bundle', 'export', design, '--out', first)
    await ok(bob.home, 'bundle', 'import', first)
    // Bob's proposals, each from its own fork with one BOM row: bundles Alice imports later.
    const proposals: { bundle: string; proposal: string; row: string }[] = []
    for (let i = 0; i < options.proposals; i++) {
      const { design: fork } = await json(bob.home, 'fork', design)
      await ok(bob.home, 'bom', 'add', fork, '--name', `bob-${i}`, '--quantity', '1')
      const { proposal } = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', `proposal ${i}`)
      const bundle = join(await scratch.dir(), `proposal-${i}.bundle`)
      await ok(bob.home, 'bundle', 'export', proposal, fork, '--out', bundle)
      proposals.push({ bundle, proposal, row: `bob-${i}` })
    }
    await hub.start()

    // What was acknowledged, and must hold from then on.
    const rows = new Set<string>()
    const imported = new Set<string>()
    const accepted = new Set<string>()
    /** Rows the hub acknowledged holding (a sync that exited 0). */
    const hubRows = new Set<string>()
    let edits = 0

    const checkAlice = async (): Promise<void> => {
      report.torn.push(...(await tornFiles(alice.home)))
      const doctor = await json(alice.home, 'doctor')
      report.unloadable.push(...doctor.quarantined.map((q: { file: string }) => `alice: set aside ${q.file}`), ...doctor.refetch.map((d: { document: string; reason: string }) => `alice: ${d.document} ${d.reason}`))
      const shown = new Set<string>((await json(alice.home, 'design', 'show', design)).bom.map((r: { name: string }) => r.name))
      for (const r of rows) {
        report.checked++
        if (!shown.has(r)) report.losses.push(`alice: row ${r} (its command exited 0)`)
      }
      const listed = new Map<string, string>((await json(alice.home, 'proposals', design)).map((p: { proposal: string; status: string }) => [p.proposal, p.status]))
      for (const p of imported) {
        report.checked++
        if (!listed.has(p)) report.losses.push(`alice: imported proposal ${p}`)
      }
      for (const p of accepted) {
        report.checked++
        if (listed.get(p) !== 'accepted') report.losses.push(`alice: accepted proposal ${p} is ${listed.get(p) ?? 'missing'}`)
      }
    }

    const checkHub = async (): Promise<void> => {
      report.torn.push(...(await tornFiles(hub.home)))
      if (hubRows.size === 0) return
      const shown = new Set<string>((await json(hub.home, 'design', 'show', design)).bom.map((r: { name: string }) => r.name))
      for (const r of hubRows) {
        report.checked++
        if (!shown.has(r)) report.losses.push(`hub: row ${r} (a sync it acknowledged)`)
      }
    }

    const killPlan = (): null | { afterMs: number } | { afterWriteMs: number } => {
      const r = random()
      if (r < 0.45) return null
      return r < 0.8 ? { afterWriteMs: Math.floor(random() * 8) } : { afterMs: 100 + Math.floor(random() * 1200) }
    }

    const started = Date.now()
    while (report.kills < options.kills && Date.now() - started < options.timeLimitMs) {
      report.actions++
      const pick = random()
      const pending = proposals.filter((p) => imported.has(p.proposal) && !accepted.has(p.proposal))
      if (pick < 0.12) {
        // The hub dies at a random moment, maybe while answering a sync.
        const during = random() < 0.6
        const before = new Set(rows)
        const sync = during ? run(alice.home, ['--json', 'sync', '--peer', hub.addr], null) : null
        await new Promise((r) => setTimeout(r, Math.floor(random() * 1500)))
        await hub.kill()
        report.kills++
        const outcome = await sync
        if (outcome?.code === 0) for (const r of before) hubRows.add(r)
        await hub.start()
        log(`kill ${report.kills}: the hub${during ? ' (during a sync)' : ''}`)
        await checkHub()
        continue
      }
      const plan = killPlan()
      let args: string[]
      let acknowledge: () => void
      /** For a command that may fail for a reason of its own once a killed run did its work (accepting twice). */
      let alreadyDone: () => Promise<boolean> = async () => false
      if (pick < 0.45) {
        const name = `alice-${edits++}`
        args = ['--json', 'bom', 'add', design, '--name', name, '--quantity', '1']
        acknowledge = () => rows.add(name)
      } else if (pick < 0.65 || (pending.length === 0 && pick < 0.75)) {
        const p = proposals[Math.floor(random() * proposals.length)]!
        args = ['--json', 'bundle', 'import', p.bundle]
        acknowledge = () => imported.add(p.proposal)
      } else if (pick < 0.75) {
        const p = pending[Math.floor(random() * pending.length)]!
        args = ['--json', 'review', p.proposal, '--accept']
        acknowledge = () => {
          accepted.add(p.proposal)
          rows.add(p.row)
        }
        alreadyDone = async () => (await json(alice.home, 'proposals', design)).some((x: { proposal: string; status: string }) => x.proposal === p.proposal && x.status === 'accepted')
      } else {
        args = ['--json', 'sync', '--peer', hub.addr]
        const before = new Set(rows)
        acknowledge = () => {
          for (const r of before) hubRows.add(r)
        }
      }
      const outcome = await run(alice.home, args, plan)
      if (outcome.code === 0) {
        acknowledge()
        // Exiting 0 with a write still under way leaves a torn file without any kill.
        report.torn.push(...(await tornFiles(alice.home)))
      }
      if (outcome.killed) {
        report.kills++
        log(`kill ${report.kills}: ${args.slice(1, 3).join(' ')} (${plan !== null && 'afterWriteMs' in plan ? `${plan.afterWriteMs} ms after its first write` : 'at a random time'})`)
        await checkAlice()
      } else if (outcome.code !== 0 && (await alreadyDone())) {
        acknowledge()
      } else if (outcome.code !== 0) {
        report.losses.push(`alice: \`cosmo ${args.join(' ')}\` failed without a kill (exit ${outcome.code}): ${outcome.stderr.trim()}`)
      }
    }
    await checkAlice()
    await checkHub()
    report.torn = [...new Set(report.torn)]
    return report
  } finally {
    await hub.stop()
    await scratch.cleanup()
  }
}
