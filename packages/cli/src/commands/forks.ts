/** Forks as living branches: `cosmo update` (take a related design's canonical content) and `cosmo lineage`. */
import { placeCodeName, type LineageNode, type UpdateResult } from '@cosmolocal/core'
import { stringOption } from '../args.js'
import type { CommandRun } from '../command.js'
import { plural } from '../output.js'
import { renderDesignDiff } from './diff.js'

export const forkCommands: CommandRun[] = [
  {
    name: 'update',
    async run({ positionals, values, home, out }) {
      const commons = await home.commons()
      const from = stringOption(values, 'from')
      const dryRun = values['dry-run'] === true
      const result = await commons.update(positionals[0]!, { ...(from === undefined ? {} : { from }), dryRun })
      const [d, other] = [await commons.design(result.design), await commons.design(result.from)]
      out.result(updateJson(result), () => renderUpdate(result, d.content.title, other.content.title, dryRun))
    },
  },
  {
    name: 'lineage',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const tree = await commons.lineage(positionals[0]!)
      out.result(tree, () => renderTree(tree))
    },
  },
]

function updateJson(r: UpdateResult) {
  return { design: r.design, from: r.from, merged: r.merged, upToDate: r.upToDate, changes: r.changes, diff: r.diff, heads: r.heads, fromHeads: r.fromHeads, approval: r.approval }
}

function renderUpdate(r: UpdateResult, title: string, fromTitle: string, dryRun: boolean): string[] {
  if (r.upToDate) return [`"${title}" already has everything "${fromTitle}" signed: nothing to update`]
  const lines = [`update "${title}" from "${fromTitle}": ${plural(r.changes, 'signed change')}`, `  ${r.design}`, `  from ${r.from}`, ...renderDesignDiff(r.diff)]
  lines.push('')
  if (dryRun) lines.push('dry run: nothing merged (run it again without --dry-run to merge and sign)')
  else if (r.approval?.approved !== false) lines.push(`merged and signed: "${title}" now has "${fromTitle}"'s canonical content`)
  else {
    const missing = r.approval.needed - r.approval.signers.length
    lines.push(`merged and signed (${r.approval.signers.length} of ${r.approval.needed}): needs ${missing} more maintainer(s) (cosmo design approve ${r.design})`)
  }
  return lines
}

function renderTree(root: LineageNode): string[] {
  const lines: string[] = []
  const walk = (n: LineageNode, prefix: string, branch: string) => {
    const where = n.place === '' && n.placeCode === null ? '' : `  [${[n.place, n.placeCode === null ? '' : `${n.placeCode} ${placeCodeName(n.placeCode)}`].filter((x) => x !== '').join(', ')}]`
    const counts = n.ahead === null ? (n.upstream === null ? '' : '  (upstream not here)') : `  ahead ${n.ahead}, behind ${n.behind}`
    const rejected = n.rejected.length === 0 ? '' : `  carries ${plural(n.rejected.length, 'rejected revision')}`
    lines.push(`${prefix}${branch}${n.title}${where}${counts}${rejected}${n.current ? '  ← this design' : ''}`)
    const childPrefix = prefix + (branch === '' ? '' : branch === '└─ ' ? '   ' : '│  ')
    lines.push(`${childPrefix}${n.forks.length > 0 ? '│  ' : '   '}${n.design}`)
    n.forks.forEach((f, i) => walk(f, childPrefix, i === n.forks.length - 1 ? '└─ ' : '├─ '))
    if (n.truncated) lines.push(`${childPrefix}└─ … (deeper forks left out)`)
  }
  walk(root, '', '')
  if (root.upstream !== null) lines.unshift(`(forked from ${root.upstream}, which is not in this home)`)
  return lines
}
