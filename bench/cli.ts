/**
 * The `cli` rows: the real `cosmo` spawned on a home, end to end (process start to exit).
 *
 * - `cosmo design show` and `cosmo verify` on a design with 5,000 signed edits (generated,
 *   fixtures.ts). Cold: the first command after the home was written, with no verified-state cache
 *   in it (`<home>/cache` is removed before it); warm: the same command again right after. The
 *   stock comparison is a process that opens an automerge-repo Repo on the same NodeFS store and
 *   loads the same two documents (stock-load.ts).
 * - The fixed cost of a command: `cosmo id show`, `cosmo --help`, `cosmo --version`, against bare
 *   `node -e 0` on the same Node.
 */
import { createIdentity, serializeIdentity, toUrl } from '@cosmolocal/core'
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { copyTree, historyFixture, identityOf } from './fixtures.ts'
import type { Group, GroupResult } from './group.ts'
import { cosmo, runNode, why, type Ran } from './proc.ts'
import { progress } from './progress.ts'
import type { BenchRow } from './report.ts'
import { median } from './stats.ts'

const STOCK_LOAD = fileURLToPath(new URL('./stock-load.ts', import.meta.url))
/** Where the CLI keeps (or will keep) verified state in a home; removed before every cold command. */
const HOME_CACHE = 'cache'
/** What a home holds before any command ran in it (anything else appeared because of a command). */
const WRITTEN = new Set(['repo', 'identity.json'])

export const config = (quick: boolean) => ({
  edits: quick ? 200 : 5000,
  /** Rounds of the design commands; the first is a warm-up. */
  designRounds: quick ? 2 : 6,
  /** Rounds of the fixed-cost commands; the first is a warm-up. */
  fixedRounds: quick ? 3 : 21,
})

interface Samples {
  [what: string]: number[]
}

const nf = (n: number) => n.toLocaleString('en-US')

async function designRows(quick: boolean, notes: string[]): Promise<{ rows: BenchRow[]; samples: Samples; extra: Record<string, unknown> }> {
  const c = config(quick)
  const fixture = await historyFixture(c.edits)
  const home = await mkdtemp(join(tmpdir(), 'cosmo-bench-home-'))
  const samples: Samples = { 'show cold': [], 'show warm': [], 'verify cold': [], 'verify warm': [], stock: [] }
  const failures = new Map<string, string>()
  let appeared: string[] = []
  try {
    await copyTree(fixture.store, join(home, 'repo'))
    const me = await identityOf(fixture.identity)
    await writeFile(join(home, 'identity.json'), `${JSON.stringify(serializeIdentity(me), null, 2)}\n`, { mode: 0o600 })
    await chmod(join(home, 'identity.json'), 0o600)
    const url = toUrl(fixture.design.design)
    const design = (args: string[]) => cosmo(['--home', home, ...args])
    const take = (what: string, r: Ran, round: number) => {
      if (r.code !== 0) failures.set(what, why(r))
      else if (round > 0) samples[what]!.push(r.ms)
      progress(`  ${what}, round ${round}${round === 0 ? ' (warm-up)' : ''}: ${r.code === 0 ? `${r.ms.toFixed(0)} ms` : `FAILED (${why(r)})`}`)
    }
    for (let round = 0; round < c.designRounds; round++) {
      const stockFirst = round % 2 === 1
      const stock = async () => take('stock', await runNode([STOCK_LOAD, join(home, 'repo'), fixture.design.design, fixture.design.content]), round)
      if (stockFirst) await stock()
      for (const command of ['show', 'verify'] as const) {
        const args = command === 'show' ? ['design', 'show', url] : ['verify', url]
        await rm(join(home, HOME_CACHE), { recursive: true, force: true })
        take(`${command} cold`, await design(args), round)
        if (round === 0 && command === 'show') appeared = (await readdir(home)).filter((f) => !WRITTEN.has(f))
        take(`${command} warm`, await design(args), round)
      }
      if (!stockFirst) await stock()
    }
  } finally {
    await rm(home, { recursive: true, force: true })
  }
  for (const [what, reason] of failures) notes.push(`cosmo ${what} failed: ${reason}`)
  notes.push(
    appeared.includes(HOME_CACHE)
      ? `the CLI persisted verified state under <home>/${HOME_CACHE}: warm rows read it`
      : `no verified-state cache persisted in the home (found after the first command: ${appeared.length === 0 ? 'nothing new' : appeared.join(', ')}): warm = cold, each command verifies from history`,
  )
  const stock = samples.stock!.length > 0 ? median(samples.stock!) : Number.NaN
  const target = { text: '< 0.5 s, ≤ 2×', below: 500, ratioAtMost: 2 }
  const row = (label: string, what: string): BenchRow => ({
    benchmark: `cosmo ${label}, ${nf(c.edits)} signed edits, ${what.endsWith('cold') ? 'cold' : 'warm'}`,
    unit: 'ms',
    value: samples[what]!.length > 0 ? median(samples[what]!) : Number.NaN,
    stock,
    target,
  })
  return {
    rows: [row('design show', 'show cold'), row('design show', 'show warm'), row('verify', 'verify cold'), row('verify', 'verify warm')],
    samples,
    extra: { edits: c.edits, homeAfterFirstCommand: appeared },
  }
}

async function fixedRows(quick: boolean, notes: string[]): Promise<{ rows: BenchRow[]; samples: Samples }> {
  const c = config(quick)
  const home = await mkdtemp(join(tmpdir(), 'cosmo-bench-home-'))
  const commands: Record<string, string[]> = {
    'id show': ['--home', home, 'id', 'show'],
    '--help': ['--help'],
    '--version': ['--version'],
  }
  const samples: Samples = { node: [], ...Object.fromEntries(Object.keys(commands).map((k) => [k, []])) }
  try {
    await writeFile(join(home, 'identity.json'), `${JSON.stringify(serializeIdentity(await createIdentity('Bench person')), null, 2)}\n`, { mode: 0o600 })
    const kinds = ['node', ...Object.keys(commands)]
    const failed = new Set<string>()
    for (let round = 0; round < c.fixedRounds; round++) {
      // Rotate who goes first, so no command always runs right after another.
      const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]!)
      for (const k of order) {
        const r = k === 'node' ? await runNode(['-e', '0']) : await cosmo(commands[k]!)
        if (r.code !== 0) {
          if (!failed.has(k)) notes.push(`cosmo ${k} failed: ${why(r)}`)
          failed.add(k)
        } else if (round > 0) samples[k]!.push(r.ms)
      }
    }
    progress(`  fixed cost: ${Object.entries(samples).map(([k, s]) => `${k} ${s.length > 0 ? median(s).toFixed(0) : '-'} ms`).join(', ')}`)
  } finally {
    await rm(home, { recursive: true, force: true })
  }
  const node = samples.node!.length > 0 ? median(samples.node!) : Number.NaN
  const rows = Object.keys(commands).map(
    (k): BenchRow => ({
      benchmark: `cosmo ${k}`,
      unit: 'ms',
      value: samples[k]!.length > 0 ? median(samples[k]!) : Number.NaN,
      stock: node,
      target: { text: '< 0.3 s, ≤ 2×', below: 300, ratioAtMost: 2 },
    }),
  )
  return { rows, samples }
}

export const cliGroup: Group = {
  name: 'cli',
  title: 'the real cosmo, spawned on a home, start to exit (stock: automerge-repo loading the same documents; bare node -e 0)',
  async run(quick): Promise<GroupResult> {
    const notes: string[] = []
    progress(`cli: cosmo design show / verify on a design with ${nf(config(quick).edits)} signed edits`)
    const design = await designRows(quick, notes)
    progress('cli: fixed cost of a command')
    const fixed = await fixedRows(quick, notes)
    notes.push(`median of ${config(quick).designRounds - 1} rounds (design commands) and ${config(quick).fixedRounds - 1} rounds (fixed cost) after a warm-up round`)
    return {
      tables: [
        { versus: 'stock load', rows: design.rows },
        { versus: 'node -e 0', rows: fixed.rows },
      ],
      notes,
      json: { design: { ...design.extra, samples: design.samples }, fixed: { samples: fixed.samples } },
    }
  },
}
