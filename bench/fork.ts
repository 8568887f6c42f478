/**
 * The `fork` rows: `Commons.fork` (API time, its write to disk included) of a design with 10,000
 * content changes and 200 MB of attachments (fixtures.ts), and how many attachment bytes a fork
 * writes (none: forks share files by hash). Against `Automerge.clone` of the content document and
 * automerge-repo's `repo.clone` of its handle (flushed to disk, as the fork is).
 *
 * Each run opens a new Repo and Commons on the same copy of the store: the first fork of a run is
 * the first thing that Commons does (it loads and verifies the design first: "fresh Commons"); the
 * second forks the design it has just read ("design already read").
 */
import * as A from '@automerge/automerge'
import { Repo, type DocumentId } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
import { Commons, type BlobStore } from '@cosmolocal/core'
import { FsBlobStore } from '@cosmolocal/net'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { copyTree, forkFixture, identityOf, SIGN_EVERY } from './fixtures.ts'
import type { Group, GroupResult } from './group.ts'
import { progress } from './progress.ts'
import type { BenchRow } from './report.ts'
import { median } from './stats.ts'

export const config = (quick: boolean) => (quick ? { changes: 1000, files: 2, fileMb: 4, runs: 3 } : { changes: 10_000, files: 4, fileMb: 50, runs: 6 })

/** Every file under `dir` with its inode and size. */
async function files(dir: string): Promise<Map<string, { ino: number; size: number }>> {
  const out = new Map<string, { ino: number; size: number }>()
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name)
      if (e.isDirectory()) await walk(p)
      else if (e.isFile()) {
        const s = await stat(p)
        out.set(p, { ino: s.ino, size: s.size })
      }
    }
  }
  await walk(dir)
  return out
}

/** Bytes in files under `dir` that are new or grew since `before`. */
async function bytesWritten(dir: string, before: Map<string, { ino: number; size: number }>): Promise<number> {
  let n = 0
  for (const [p, f] of await files(dir)) {
    const was = before.get(p)
    if (was === undefined || was.ino !== f.ino) n += f.size
    else if (f.size > was.size) n += f.size - was.size
  }
  return n
}

/** The blob store, counting the calls that write to it. */
function counting(store: BlobStore, calls: { put: number; partial: number }): BlobStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (prop === 'put') calls.put++
        if (prop === 'partial') calls.partial++
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
}

const nf = (n: number) => n.toLocaleString('en-US')

export const forkGroup: Group = {
  name: 'fork',
  title: 'forking a design through Commons.fork (stock: Automerge.clone; automerge-repo repo.clone + flush)',
  async run(quick): Promise<GroupResult> {
    const c = config(quick)
    const mb = c.files * c.fileMb
    progress(`fork: a design with ${nf(c.changes)} content changes and ${mb} MB of files`)
    const f = await forkFixture(c.changes, c.files, c.fileMb)
    const me = await identityOf(f.identity)
    const dir = await mkdtemp(join(tmpdir(), 'cosmo-bench-fork-'))
    const samples = { fresh: [] as number[], read: [] as number[], aClone: [] as number[], repoClone: [] as number[] }
    const calls = { put: 0, partial: 0 }
    let blobBytes = 0
    const notes: string[] = []
    try {
      await copyTree(f.store, join(dir, 'store'))
      // Hard links: the fork must not write them (and if it wrote, a new file is what is counted).
      await copyTree(f.blobs, join(dir, 'blobs'), { link: true })
      const before = await files(join(dir, 'blobs'))
      for (let run = 0; run < c.runs; run++) {
        const repo = new Repo({ storage: new NodeFSStorageAdapter(join(dir, 'store')), network: [] })
        try {
          const commons = new Commons(repo, me, counting(new FsBlobStore(join(dir, 'blobs')), calls))
          const timeFork = async () => {
            const t0 = performance.now()
            const fork = await commons.fork(f.design.design, { title: `fork ${run}` })
            const ms = performance.now() - t0
            const d = await commons.design(fork)
            if (d.forkedFrom?.design !== f.design.design || d.content.files.length !== c.files) throw new Error(`the fork ${d.url} is not a fork of the design with its ${c.files} files`)
            return ms
          }
          const fresh = await timeFork()
          const read = await timeFork()
          // The stock ways to copy the same content document.
          const content = await repo.find(f.design.content as DocumentId)
          let t0 = performance.now()
          const cloned = A.clone(content.doc() as A.Doc<unknown>)
          const aClone = performance.now() - t0
          if (A.getHeads(cloned).length === 0) throw new Error('empty clone')
          t0 = performance.now()
          const copy = repo.clone(content)
          await repo.flush([copy.documentId])
          const repoClone = performance.now() - t0
          if (run > 0) {
            samples.fresh.push(fresh)
            samples.read.push(read)
            samples.aClone.push(aClone)
            samples.repoClone.push(repoClone)
          }
          progress(`  run ${run}${run === 0 ? ' (warm-up)' : ''}: fork fresh ${fresh.toFixed(0)} ms, already read ${read.toFixed(0)} ms; A.clone ${aClone.toFixed(1)} ms, repo.clone ${repoClone.toFixed(0)} ms`)
        } finally {
          await repo.shutdown()
        }
      }
      blobBytes = await bytesWritten(join(dir, 'blobs'), before)
    } catch (err) {
      notes.push(`fork failed: ${(err as Error).message}`)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    const m = (s: number[]) => (s.length === 0 ? Number.NaN : median(s))
    const target = { text: '< 200 ms', below: 200 }
    const name = `fork, ${nf(c.changes)} content changes, ${mb} MB of files`
    const rows: BenchRow[] = [
      { benchmark: `${name}, design already read`, unit: 'ms', value: m(samples.read), stock: m(samples.repoClone), target },
      { benchmark: `${name}, fresh Commons`, unit: 'ms', value: m(samples.fresh), stock: m(samples.repoClone), target },
    ]
    const vsClone: BenchRow[] = [
      { benchmark: `${name}, design already read`, unit: 'ms', value: m(samples.read), stock: m(samples.aClone), target },
      { benchmark: `${name}, fresh Commons`, unit: 'ms', value: m(samples.fresh), stock: m(samples.aClone), target },
    ]
    const copied: BenchRow[] = [{ benchmark: `attachment bytes written by ${2 * c.runs} forks`, unit: 'bytes', value: blobBytes, stock: null, target: { text: '0', equals: 0 } }]
    notes.push(
      `blob store calls that write during the forks: put ${calls.put}, partial ${calls.partial}`,
      `content changes signed every ${SIGN_EVERY.forkSource} (${nf(c.changes / SIGN_EVERY.forkSource)} records); median of ${c.runs - 1} run(s) after a warm-up; every fork is written to disk (NodeFS) before it returns`,
    )
    return {
      tables: [
        { versus: 'repo.clone', rows },
        { versus: 'A.clone', rows: vsClone },
        { versus: 'compared with', rows: copied },
      ],
      notes,
      json: { ...c, samples, blobBytesWritten: blobBytes, blobStoreCalls: calls },
    }
  },
}
