/** Forks, proposals, reviews and comments: how people who are not maintainers contribute. */
import { licenceWarnings, parsePlaceInput, toUrl, type LicenceWarning, type ProposalSummary } from '@cosmolocal/core'
import { listOption, requiredString, stringOption } from '../args.js'
import type { CommandRun } from '../command.js'
import { UsageError } from '../errors.js'
import { person, table } from '../output.js'
import { noteLicenceWarnings } from './okh.js'
import { licencesFrom, placeFrom, withNotice } from './shared.js'

export const collaborateCommands: CommandRun[] = [
  {
    name: 'fork',
    async run({ positionals, values, home, out }) {
      const commons = await home.commons()
      const title = stringOption(values, 'title')
      const place = placeFrom(values)
      // Checked before the fork is made, so that a bad code leaves no half-made fork behind.
      parsePlaceInput(place)
      const fork = toUrl(await commons.fork(positionals[0]!, title === undefined ? {} : { title }))
      ;(await home.index()).addDesign(fork, 'forked')
      const licenses = licencesFrom(values)
      let warnings: LicenceWarning[] = []
      if (licenses !== undefined || Object.keys(place).length > 0) {
        const before = await commons.design(fork)
        await commons.editDesign(before, { ...(licenses === undefined ? {} : { licenses }), ...place })
        warnings = withNotice(licenceWarnings(before.content.licenses, (await commons.design(fork)).content.licenses), await commons.design(fork))
        noteLicenceWarnings(out, warnings)
      }
      out.result({ design: fork, ...(warnings.length > 0 ? { licenceWarnings: warnings } : {}) }, () => fork)
    },
  },
  {
    name: 'propose',
    async run({ values, home, out }) {
      const commons = await home.commons()
      const result = await commons.propose({
        from: requiredString(values, 'from'),
        to: requiredString(values, 'to'),
        title: requiredString(values, 'title'),
        description: stringOption(values, 'description'),
        ...(listOption(values, 'need') === undefined ? {} : { needs: listOption(values, 'need') }),
      })
      const proposal = toUrl(result.proposal)
      const target = (await commons.design(requiredString(values, 'to'))).url
      ;(await home.index()).addProposal(proposal, target)
      // stdout carries the proposal URL alone, so that scripts can capture it; the rest is a note.
      out.note(
        result.created
          ? `proposed; share it with the maintainers (for example: cosmo bundle export ${proposal} --out FILE)`
          : `added revision ${result.revision} to the open proposal`,
      )
      // The maintainer sees the same warnings in the proposal's diff.
      noteLicenceWarnings(out, result.licenceWarnings)
      out.result({ proposal, revision: result.revision, ...(result.licenceWarnings.length > 0 ? { licenceWarnings: result.licenceWarnings } : {}) }, () => proposal)
    },
  },
  {
    name: 'proposals',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const list = await commons.proposals(positionals[0]!)
      const rows = list.map((p) => ({
        proposal: p.proposal,
        title: p.title,
        author: p.author,
        authorName: p.authorName,
        status: p.status,
        revisions: p.revisions,
        approvals: p.approvals,
        threshold: p.threshold,
        ...(p.reason === undefined ? {} : { reason: p.reason }),
      }))
      out.result(rows, () =>
        rows.length === 0
          ? 'no proposals'
          : table(
              list.map((p) =>
                p.status === 'unavailable'
                  ? ['unavailable', p.reason ?? '', '', '', p.proposal]
                  : [statusText(p), p.title, `by ${person(p.author ?? '', p.authorName)}`, `rev ${p.revisions}`, p.proposal],
              ),
            ),
      )
    },
  },
  {
    name: 'review',
    async run({ positionals, values, home, out, command }) {
      if ((values.accept === true) === (values.reject === true)) {
        throw new UsageError('give exactly one of --accept or --reject', command.name)
      }
      const verdict = values.accept === true ? 'accept' : 'reject'
      const commons = await home.commons()
      const comment = stringOption(values, 'comment')
      const p = await commons.review(positionals[0]!, comment === undefined ? { verdict } : { verdict, comment })
      out.result({ proposal: p.url, status: p.status }, () => {
        if (verdict === 'reject') return `rejected "${p.title}"`
        if (p.status === 'accepted') return `accepted "${p.title}": merged`
        const missing = p.approvals.needed - p.approvals.signers.length
        return `accepted "${p.title}" (${p.approvals.signers.length} of ${p.approvals.needed}): needs ${missing} more maintainer(s)`
      })
    },
  },
]

function statusText(p: ProposalSummary): string {
  if (p.status === 'open' && p.approvals > 0 && p.approvals < p.threshold) return `open (accepted by ${p.approvals} of ${p.threshold})`
  return p.status
}
