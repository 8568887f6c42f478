/** `cosmo log` and `cosmo verify`: a design's signed history, and what was checked. */
import type { VerificationReport } from '@cosmolocal/core'
import type { CommandRun } from '../command.js'
import { isoTime, person, plural, shortId, table } from '../output.js'

export const historyCommands: CommandRun[] = [
  {
    name: 'log',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const log = await commons.log(positionals[0]!)
      const rows = log.map((e) => ({
        record: e.record,
        kind: e.kind,
        author: e.author,
        authorName: e.authorName,
        time: isoTime(e.time),
        summary: e.summary,
        heads: e.heads,
        // A merge names who proposed it: the merging maintainer is not its only author.
        ...(e.merged === undefined ? {} : { proposal: e.merged?.proposal ?? null, proposer: e.merged?.author ?? null, proposerName: e.merged?.authorName ?? null }),
      }))
      out.result(rows, () =>
        table(
          rows.map((r) => [
            r.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
            person(r.author, r.authorName),
            r.proposer === undefined || r.proposer === null ? r.summary : `${r.summary} by ${person(r.proposer, r.proposerName)}`,
          ]),
        ),
      )
    },
  },
  {
    name: 'verify',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const report = await commons.verify(positionals[0]!)
      out.result(report, () => renderReport(report))
    },
  },
]

function renderReport(r: VerificationReport): string[] {
  // The full id here (this is the page for checking), with the name its records carry.
  const named = (id: string) => (r.names[id] ? `${id} (${r.names[id]})` : id)
  const lines = [
    `design ${r.design}: verified`,
    `genesis: by ${named(r.genesis.author)} at ${isoTime(r.genesis.time)} (bound to the design id)`,
    `maintainers (threshold ${r.threshold}): ${r.maintainers.map(named).join(', ')}`,
    `canonical heads: ${r.canonicalHeads.join(', ') || 'none'}`,
  ]
  if (r.forkedFrom) lines.push(`forked from: ${r.forkedFrom}`)
  lines.push(`records: ${r.records.valid} valid, ${r.records.ignored} ignored`)
  if (r.pending.length > 0) {
    lines.push('pending (awaiting more maintainer signatures):')
    for (const p of r.pending) lines.push(`  ${p.kind}: ${p.summary} (${p.signers.length} of ${p.needed})`)
  }
  if (r.ignored.length > 0) {
    lines.push(`ignored ${plural(r.ignored.length, 'record')}:`)
    lines.push(
      ...table(
        r.ignored.map((i) => [i.kind ?? '(not a record)', i.author === null ? '' : `by ${shortId(i.author)}`, i.id === null ? '' : i.id.slice(0, 12), i.reason]),
        '  ',
      ),
    )
  }
  if (r.contentProblems.length > 0) {
    lines.push('content problems (entries left out of the canonical view):')
    for (const p of r.contentProblems) lines.push(`  ${p.path}: ${p.problem}`)
  }
  return lines
}
