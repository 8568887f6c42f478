/** `cosmo diff`: what a proposal would change, in domain terms, with its conflicts. */
import type { BomRow, Conflict, DesignDiff, EntryDiff, FieldChange, Part, Step } from '@cosmolocal/core'
import { parseWhole, stringOption } from '../args.js'
import type { CommandRun } from '../command.js'
import { show } from '../output.js'

export const diffCommands: CommandRun[] = [
  {
    name: 'diff',
    async run({ positionals, values, home, out }) {
      const commons = await home.commons()
      const revision = stringOption(values, 'revision')
      const diff = await commons.diff(positionals[0]!, revision === undefined ? undefined : parseWhole(revision, '--revision'))
      out.result(diff, () => renderDiff(diff))
    },
  },
]

type ProposalDiff = DesignDiff & { proposal: string; revision: number; target: string; source: string }

export function renderDiff(d: ProposalDiff): string[] {
  return [`proposal ${d.proposal} (revision ${d.revision})`, `  from ${d.source}`, `  into ${d.target}`, ...renderDesignDiff(d)]
}

/** A diff's sections, warnings and conflicts (for `cosmo diff` and `cosmo update`). */
export function renderDesignDiff(d: DesignDiff): string[] {
  const lines: string[] = []
  if (d.empty && d.conflicts.length === 0) return ['', 'no changes: merging it would change nothing']
  section(lines, 'Fields', d.fields.map(field))
  section(lines, 'Licences', d.licenses.map(field))
  section(lines, 'Tags', [...d.tags.added.map((t) => `+ ${t}`), ...d.tags.removed.map((t) => `- ${t}`)])
  section(lines, 'Bill of materials', entries(d.bom, bomRow))
  section(lines, 'Steps', entries(d.steps, (s: Step) => `"${s.title}"`))
  section(lines, 'Files', entries(d.files, (f) => `"${f.name}" ${f.hash}`))
  section(lines, 'Details', d.details.map(field))
  section(lines, 'Parts', entries(d.parts, (p: Part) => `"${p.name}"`))
  section(lines, 'Software', entries(d.software, (s) => s.release))
  if (d.licenceWarnings.length > 0) {
    lines.push('', `LICENCE WARNINGS (${d.licenceWarnings.length}): the current licence may not allow this change`)
    for (const w of d.licenceWarnings) lines.push(`  ${w.field}: ${w.message}`)
  }
  if (d.conflicts.length > 0) {
    lines.push('', `CONFLICTS (${d.conflicts.length}): both sides changed the same field; the merge keeps one value`)
    for (const c of d.conflicts) lines.push(...conflict(c))
  }
  return lines
}

function section(lines: string[], title: string, body: string[]): void {
  if (body.length === 0) return
  lines.push('', `${title}:`, ...body.map((l) => `  ${l}`))
}

function field(c: FieldChange): string {
  return `${c.field}: ${show(c.before)} → ${show(c.after)}`
}

function bomRow(r: BomRow): string {
  const material = r.material ? ` (${r.material})` : ''
  return `"${r.name}" ${r.quantity} ${r.unit}${material}`
}

function entries<T extends { id: string }>(diff: EntryDiff<T>, describe: (e: T) => string): string[] {
  return [
    ...diff.added.map((e) => `+ ${describe(e)}  [${e.id}]`),
    ...diff.removed.map((e) => `- ${describe(e)}  [${e.id}]`),
    ...diff.changed.flatMap((c) => [
      `~ ${describe(c.after)}  [${c.id}]`,
      ...c.changes.filter((f) => f.field !== 'position').map((f) => `    ${field(f)}`),
      ...(c.changes.some((f) => f.field === 'position') ? ['    moved'] : []),
    ]),
  ]
}

function conflict(c: Conflict): string[] {
  return [`  ${c.label}  (${c.path.join('/')})`, `    values: ${c.values.map(show).join(', ')}; the merge shows ${show(c.winner)}`]
}
