/** `cosmo design`: create, list, show, edit and co-sign designs. */
import { describeAction, licenceWarnings, placeCodeName, toUrl, CosmoError, type Commons, type VerifiedDesign } from '@cosmolocal/core'
import { listOption, requiredString, requireSome, stringOption } from '../args.js'
import type { CommandRun } from '../command.js'
import { person, table } from '../output.js'
import { designJson, detailsFrom, governanceJson, licencesFrom, placeFrom, withNotice } from './shared.js'
import { noteLicenceWarnings } from './okh.js'

export const designCommands: CommandRun[] = [
  {
    name: 'design new',
    async run({ values, home, out }) {
      const commons = await home.commons()
      const id = await commons.createDesign({
        title: requiredString(values, 'title'),
        summary: stringOption(values, 'summary'),
        tags: listOption(values, 'tag'),
        licenses: licencesFrom(values),
      })
      const url = toUrl(id)
      ;(await home.index()).addDesign(url, 'created')
      out.result({ design: url }, () => url)
    },
  },
  {
    name: 'design list',
    async run({ home, out }) {
      const commons = await home.commons()
      const rows: { design: string; title: string; maintainer: boolean }[] = []
      for (const known of (await home.index()).designs) {
        try {
          const d = await commons.design(known.design)
          rows.push({ design: d.url, title: d.content.title, maintainer: commons.isMaintainer(d) })
        } catch (err) {
          out.note(`cosmo: skipping ${known.design}: ${(err as Error).message}`)
        }
      }
      out.result(rows, () =>
        rows.length === 0
          ? 'no designs yet: create one (cosmo design new --title T) or import a bundle'
          : table(rows.map((r) => [r.maintainer ? '*' : ' ', r.design, r.title])).concat(['(* = you maintain it)']),
      )
    },
  },
  {
    name: 'design show',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const d = await commons.design(positionals[0]!)
      const upstream = await upstreamStanding(commons, d)
      const makes = await commons.makes(d, { held: true }).then((m) => m.makes.length, () => null)
      out.result({ ...designJson(d, makes), ...upstream }, () => showDesign(d, upstream, makes))
    },
  },
  {
    name: 'design edit',
    async run({ positionals, values, home, out, command }) {
      requireSome(values, Object.keys(command.options ?? {}), command.name)
      const commons = await home.commons()
      const before = await commons.design(positionals[0]!)
      const heads = await commons.editDesign(before, {
        title: stringOption(values, 'title'),
        summary: stringOption(values, 'summary'),
        readme: stringOption(values, 'readme'),
        version: stringOption(values, 'version'),
        licenses: licencesFrom(values),
        ...detailsFrom(values, command.name),
        ...placeFrom(values),
      })
      const d = await commons.design(positionals[0]!)
      // Warned, not blocked: the maintainer may have the right to relicense (sole author, permission).
      const warnings = withNotice(licenceWarnings(before.content.licenses, d.content.licenses), d)
      noteLicenceWarnings(out, warnings)
      out.result({ design: d.url, heads, ...(warnings.length > 0 ? { licenceWarnings: warnings } : {}) }, () => `edited "${d.content.title}"`)
    },
  },
  {
    name: 'design approve',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const me = await home.requireIdentity()
      const before = await commons.design(positionals[0]!)
      const governance = before.state.pending.filter((p) => !p.signers.includes(me.id)).map((p) => describeAction(p.action))
      const content = await commons.approve(positionals[0]!)
      const after = await commons.design(positionals[0]!)
      const signed = [
        ...content.map((a) => ({ kind: 'content' as const, summary: a.summary })),
        ...governance.map((summary) => ({ kind: 'governance' as const, summary })),
      ]
      out.result({ design: after.url, signed, heads: after.state.canonicalHeads, ...governanceJson(after.state) }, () => [
        ...signed.map((s) => `signed: ${s.summary}`),
        ...after.state.approvals.filter((a) => !a.approved).map((a) => `still pending: ${a.summary} (${a.signers.length} of ${a.needed})`),
        ...after.state.pending.map((p) => `still pending: ${describeAction(p.action)} (${p.signers.length} of ${p.needed})`),
      ])
    },
  },
]

function showDesign(d: VerifiedDesign, upstream: Awaited<ReturnType<typeof upstreamStanding>>, makes: number | null): string[] {
  const c = d.content
  const lines = [`${c.title}${c.version ? `  (version ${c.version})` : ''}`, d.url]
  if (d.licenceNotice !== null) lines.push(`LICENCE NOTICE: ${d.licenceNotice.message}`)
  if (c.summary) lines.push(c.summary)
  if (c.tags.length > 0) lines.push(`tags: ${c.tags.join(', ')}`)
  lines.push(
    `licences: hardware ${c.licenses.hardware ?? 'none'}, documentation ${c.licenses.documentation ?? 'none'}, software ${c.licenses.software ?? 'none'}`,
  )
  if (c.licensor) lines.push(`licensor: ${c.licensor}`)
  if (c.languages.length > 0) lines.push(`languages: ${c.languages.join(', ')}`)
  if (c.readiness.technology || c.readiness.documentation) {
    lines.push(`readiness: ${[c.readiness.technology, c.readiness.documentation].filter(Boolean).join(', ')}`)
  }
  for (const [k, v] of Object.entries(c.meta)) if (v !== '') lines.push(`${k}: ${v}`)
  if (c.bomRef) lines.push(`full BOM: ${c.bomRef}`)
  lines.push(`maintainers: ${d.state.maintainers.map((m) => person(m, d.names.get(m))).join(', ')} (threshold ${d.state.threshold})`)
  if (c.place !== '' || c.placeCode !== null) lines.push(`adapted for: ${[c.place, c.placeCode === null ? '' : `${c.placeCode} (${placeCodeName(c.placeCode)})`].filter((x) => x !== '').join(', ')}`)
  if (d.forkedFrom) {
    const standing = upstream.ahead === null ? ' (not in this home: pull it to compare)' : `: ahead ${upstream.ahead}, behind ${upstream.behind}`
    lines.push(`forked from: ${d.forkedFrom.url}${standing}`)
    if (upstream.rejected.length > 0) lines.push(`  carries changes the upstream rejected: ${upstream.rejected.map((r) => `"${r.title}" (revision ${r.revision})`).join(', ')}`)
  }
  if (makes !== null && makes > 0) lines.push(`made ${makes} time${makes === 1 ? '' : 's'} (cosmo makes ${d.url})`)
  lines.push('', c.bom.length === 0 ? 'Bill of materials: empty' : 'Bill of materials:')
  if (c.bom.length > 0) {
    lines.push(
      ...table(
        [['ID', 'NAME', 'QTY', 'UNIT', 'MATERIAL', 'NOTES'], ...c.bom.map((r) => [r.id, r.name, String(r.quantity), r.unit, r.material, firstLine(r.notes)])],
        '  ',
      ),
    )
  }
  lines.push('', c.steps.length === 0 ? 'Steps: none' : 'Steps:')
  c.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.title}  [${s.id}]`)
    for (const l of s.body.split('\n').filter((x) => x.trim() !== '')) lines.push(`     ${l}`)
  })
  if (c.parts.length > 0) {
    lines.push('', 'Parts:')
    for (const p of c.parts) {
      lines.push(`  ${p.name}${p.material ? ` (${p.material})` : ''}  [${p.id}]`)
      for (const f of p.source) lines.push(`     source: ${f}`)
      for (const f of p.export) lines.push(`     export: ${f}`)
    }
  }
  if (c.readme.trim() !== '') lines.push('', 'Readme:', ...c.readme.split('\n').map((l) => `  ${l}`))
  if (d.problems.length > 0) lines.push('', `ignored ${d.problems.length} malformed entries (see cosmo verify ${d.url})`)
  return lines
}

/** Signed content changes ahead of and behind the upstream (null when not a fork, or the upstream is not here). */
async function upstreamStanding(commons: Commons, d: VerifiedDesign) {
  const none = { ahead: null, behind: null, rejected: [] as { proposal: string; revision: number; title: string }[] }
  if (d.forkedFrom === null) return none
  try {
    const c = await commons.compare(d)
    return { ahead: c.ahead, behind: c.behind, rejected: c.rejected.map((r) => ({ proposal: toUrl(r.proposal), revision: r.revision, title: r.title })) }
  } catch (err) {
    if (err instanceof CosmoError) return none
    throw err
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > 40 ? `${line.slice(0, 37)}...` : line
}
