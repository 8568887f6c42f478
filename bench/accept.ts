/**
 * The `accept` rows: a maintainer accepts a proposal (`Commons.review`, verdict accept: merge the
 * revision's changes into the target's content document, sign the merged heads and the verdict,
 * verify the result), on a target whose content has 50,000 changes, for a proposal of 500 changes
 * from a fork (fixtures.ts). Against a plain `Automerge.merge` of the same two content documents.
 *
 * Every run starts from a fresh copy of the generated store on disk (NodeFS), with a Repo and a
 * Commons of its own, so each accept is the first: "fresh Commons" times `review` as the first
 * thing the process does (it loads and verifies the target, the fork and the proposal from
 * history); "proposal already read" first reads the proposal and its target (as a reviewer looking
 * at it would have), then times `review`. Both include writing the result to disk (the write hook).
 */
import * as A from '@automerge/automerge'
import { Repo } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
import { Commons, toUrl } from '@cosmolocal/core'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { copyTree, identityOf, proposalFixture, SIGN_EVERY, type ProposalFixture } from './fixtures.ts'
import type { Group, GroupResult } from './group.ts'
import { progress } from './progress.ts'
import type { BenchRow } from './report.ts'
import { median } from './stats.ts'

export const config = (quick: boolean) =>
  quick ? { targetChanges: 2000, proposalChanges: 50, runs: 2 } : { targetChanges: 50_000, proposalChanges: 500, runs: 4 }

const VARIANTS = ['fresh', 'read'] as const
type Variant = (typeof VARIANTS)[number]

/** A fresh copy of the fixture's store, opened; removed by `close`. */
async function openCopy(f: ProposalFixture): Promise<{ repo: Repo; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-bench-accept-'))
  await copyTree(f.store, join(dir, 'store'))
  const repo = new Repo({ storage: new NodeFSStorageAdapter(join(dir, 'store')), network: [] })
  return {
    repo,
    close: async () => {
      await repo.shutdown()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function acceptOnce(f: ProposalFixture, variant: Variant): Promise<number> {
  const copy = await openCopy(f)
  try {
    const commons = new Commons(copy.repo, await identityOf(f.maintainer))
    const url = toUrl(f.proposal)
    if (variant === 'read') {
      await commons.proposal(url)
      await commons.design(f.target.design)
    }
    const t0 = performance.now()
    const p = await commons.review(url, { verdict: 'accept' })
    const ms = performance.now() - t0
    if (p.status !== 'accepted') throw new Error(`the proposal is ${p.status} after accepting it`)
    const d = await commons.design(f.target.design)
    const latest = p.revisions.at(-1)!
    const contentDoc = (await copy.repo.find(f.target.content)).doc() as A.Doc<unknown>
    if (!A.hasHeads(contentDoc, latest.heads)) throw new Error('the accepted revision is not in the target content')
    if (d.state.canonicalHeads.length === 0) throw new Error('the target has no canonical heads after the merge')
    return ms
  } finally {
    await copy.close()
  }
}

async function stockMerge(f: ProposalFixture): Promise<number> {
  const copy = await openCopy(f)
  try {
    const target = (await copy.repo.find(f.target.content)).doc() as A.Doc<unknown>
    const source = (await copy.repo.find(f.source.content)).doc() as A.Doc<unknown>
    const local = A.clone(target)
    const t0 = performance.now()
    const merged = A.merge(local, source)
    const ms = performance.now() - t0
    if (!A.hasHeads(merged, A.getHeads(source))) throw new Error('Automerge.merge did not take the source heads')
    return ms
  } finally {
    await copy.close()
  }
}

const nf = (n: number) => n.toLocaleString('en-US')

export const acceptGroup: Group = {
  name: 'accept',
  title: 'accepting a proposal through Commons.review, with its merge, signatures and verification (stock: Automerge.merge of the same documents)',
  async run(quick): Promise<GroupResult> {
    const c = config(quick)
    progress(`accept: a ${nf(c.proposalChanges)}-change proposal to a design with ${nf(c.targetChanges)} content changes`)
    const f = await proposalFixture(c.targetChanges, c.proposalChanges)
    const samples: Record<Variant | 'stock', number[]> = { fresh: [], read: [], stock: [] }
    const notes: string[] = []
    for (let run = 0; run < c.runs; run++) {
      const order = run % 2 === 0 ? (['stock', ...VARIANTS] as const) : ([...VARIANTS, 'stock'] as const)
      for (const what of order) {
        try {
          const ms = what === 'stock' ? await stockMerge(f) : await acceptOnce(f, what)
          if (run > 0) samples[what].push(ms)
          progress(`  ${what}, run ${run}${run === 0 ? ' (warm-up)' : ''}: ${ms.toFixed(0)} ms`)
        } catch (err) {
          notes.push(`accept (${what}) run ${run} failed: ${(err as Error).message}`)
          progress(`  ${what}, run ${run}: FAILED: ${(err as Error).message}`)
        }
      }
    }
    const m = (s: number[]) => (s.length === 0 ? Number.NaN : median(s))
    const target = { text: '< 1 s, ≤ 3×', below: 1000, ratioAtMost: 3 }
    const name = `accept a ${nf(c.proposalChanges)}-change proposal, ${nf(c.targetChanges)} content changes`
    const rows: BenchRow[] = [
      { benchmark: `${name}, fresh Commons`, unit: 'ms', value: m(samples.fresh), stock: m(samples.stock), target },
      { benchmark: `${name}, proposal already read`, unit: 'ms', value: m(samples.read), stock: m(samples.stock), target },
    ]
    notes.push(
      `the target's content changes are signed every ${SIGN_EVERY.proposalTarget} (${nf(c.targetChanges / SIGN_EVERY.proposalTarget)} records); the verified-state cache is Commons' default (memory)`,
      `median of ${c.runs - 1} run(s) after a warm-up, each on a fresh copy of the store (NodeFS), write to disk included`,
    )
    return { tables: [{ versus: 'A.merge', rows }], notes, json: { ...c, samples } }
  },
}
