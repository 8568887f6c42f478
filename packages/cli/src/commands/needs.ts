/**
 * Needs and discussion: opening, claiming, releasing, closing and reopening a design's needs, the
 * needs board (of one design, of every design this home holds, or of everything a hub holds),
 * and comments on a design or a proposal.
 */
import { NotFoundError, toUrl, type NeedFilter, type NeedStatus, type NeedView, type VerifiedNeeds } from '@cosmolocal/core'
import { listOption, requiredString, stringOption } from '../args.js'
import type { CommandRun } from '../command.js'
import { UsageError } from '../errors.js'
import type { Home } from '../home.js'
import { isoTimeOrEmpty, person, table, type Output } from '../output.js'

const STATES: readonly NeedStatus[] = ['open', 'claimed', 'closed']

/** A need as `--json` shows it: the issue's shape, with a few fields more. */
function needRow(view: VerifiedNeeds, n: NeedView) {
  const name = (id: string) => view.book.get(id)
  return {
    need: n.id,
    design: view.url,
    title: n.title,
    body: n.body,
    author: n.author,
    authorName: n.authorName,
    state: n.status,
    claims: n.claims,
    claimNames: Object.fromEntries(n.claims.flatMap((c) => (name(c) === null ? [] : [[c, name(c)!]]))),
    labels: n.labels,
    about: n.about,
    closedBy:
      n.closed === null
        ? null
        : {
            actor: n.closed.actor,
            actorName: name(n.closed.actor),
            by: n.closed.by === null ? null : toUrl(n.closed.by),
            merge: n.closed.merge === null ? null : { proposal: toUrl(n.closed.merge.proposal), revision: n.closed.merge.revision },
            time: isoTimeOrEmpty(n.closed.time),
          },
    time: isoTimeOrEmpty(n.time),
    reopened: n.reopened,
  }
}

type NeedRow = ReturnType<typeof needRow>

function stateText(r: NeedRow): string {
  if (r.state === 'claimed') return `claimed by ${r.claims.map((c) => person(c, r.claimNames[c])).join(', ')}`
  if (r.state === 'closed' && r.closedBy !== null) {
    return r.closedBy.merge !== null ? `closed by the merge of ${r.closedBy.merge.proposal}` : `closed by ${person(r.closedBy.actor, r.closedBy.actorName)}`
  }
  return r.state
}

function humanNeeds(rows: readonly (NeedRow & { designTitle: string })[]): string[] {
  if (rows.length === 0) return ['no needs']
  return table(
    rows.map((r) => [
      r.need.slice(0, 12),
      printable(r.title),
      r.labels.length === 0 ? '' : `[${printable(r.labels.join(', '))}]`,
      `by ${person(r.author, r.authorName)}`,
      stateText(r),
      `on "${printable(r.designTitle)}"`,
    ]),
  )
}

function filterFrom(values: Record<string, unknown>, command: string): NeedFilter {
  const state = stringOption(values as never, 'state')
  if (state !== undefined && !STATES.includes(state as NeedStatus)) throw new UsageError(`--state must be one of ${STATES.join(', ')}, not "${state}"`, command)
  const label = stringOption(values as never, 'label')
  const text = stringOption(values as never, 'search')
  return { ...(state === undefined ? {} : { status: state as NeedStatus }), ...(label === undefined ? {} : { label }), ...(text === undefined ? {} : { text }) }
}

/** Pulls, from a hub, the designs whose catalogue entry says they have needs the filter wants. */
async function pullBoard(home: Home, out: Output, peer: string, filter: NeedFilter, only: string | undefined): Promise<string[]> {
  const { connectTo, fetchCatalogue, pullDesign } = await import('@cosmolocal/hub')
  const { summaryMatches, parseDesignId } = await import('@cosmolocal/core')
  const { store, commons, node, share } = await home.network()
  out.progress(`connecting to ${peer}…`)
  const remote = await connectTo(node, store.repo, peer)
  let wanted: string[]
  if (only !== undefined) wanted = [toUrl(parseDesignId(only))]
  else {
    out.progress('reading the catalogue…')
    // The catalogue is a hint of where needs are: each design is pulled and verified here.
    const catalogue = await fetchCatalogue(node, remote)
    wanted = catalogue.designs.filter((e) => summaryMatches(e.needs, filter)).map((e) => toUrl(e.design))
  }
  const index = await home.index()
  const pulled: string[] = []
  for (const [i, url] of wanted.entries()) {
    out.progress(`fetching ${i + 1}/${wanted.length} ${url}`)
    try {
      await pullDesign(commons, node, share, remote, url)
      index.addDesign(url, 'imported')
      pulled.push(url)
    } catch (err) {
      if (only !== undefined) throw err
      out.note(`note: ${url} could not be pulled from ${remote.id}: ${(err as Error).message}`)
    }
  }
  return pulled
}

export const needsCommands: CommandRun[] = [
  {
    name: 'need open',
    async run({ positionals, values, home, out }) {
      const commons = await home.commons()
      const body = stringOption(values, 'body')
      const about = stringOption(values, 'about')
      const n = await commons.openNeed(positionals[0]!, {
        title: requiredString(values, 'title'),
        ...(body === undefined ? {} : { body }),
        labels: listOption(values, 'label') ?? [],
        ...(about === undefined ? {} : { about }),
      })
      out.result({ need: n.id, design: toUrl(n.design), state: n.status }, () => n.id)
    },
  },
  ...(['claim', 'release', 'close', 'reopen'] as const).map(
    (op): CommandRun => ({
      name: `need ${op}`,
      async run({ positionals, values, home, out }) {
        const commons = await home.commons()
        const [design, need] = [positionals[0]!, positionals[1]!]
        const by = stringOption(values, 'by')
        const n =
          op === 'claim'
            ? await commons.claimNeed(design, need)
            : op === 'release'
              ? await commons.releaseNeed(design, need)
              : op === 'close'
                ? await commons.closeNeed(design, need, by === undefined ? {} : { by })
                : await commons.reopenNeed(design, need)
        out.result({ need: n.id, state: n.status }, () => `${{ claim: 'claimed', release: 'released', close: 'closed', reopen: 'reopened' }[op]} "${printable(n.title)}": ${n.status}`)
      },
    }),
  ),
  {
    name: 'needs',
    async run({ positionals, values, home, out, command }) {
      const filter = filterFrom(values, command.name)
      const peer = stringOption(values, 'peer')
      const only = positionals[0]
      const pulled = peer === undefined ? null : await pullBoard(home, out, peer, filter, only)
      const commons = peer === undefined ? await home.commons() : (await home.network()).commons
      const designs = only !== undefined ? [only] : pulled ?? (await home.index()).designs.map((d) => d.design)
      const { matchesNeed } = await import('@cosmolocal/core')
      const rows: (NeedRow & { designTitle: string })[] = []
      for (const ref of designs) {
        let view: VerifiedNeeds
        let title: string
        try {
          const d = await commons.design(ref, { held: only === undefined })
          title = d.content.title
          view = await commons.needs(d, { held: only === undefined })
        } catch (err) {
          // A design of the board that is not here (or does not verify) is skipped; one asked for by name is not.
          if (only !== undefined || !(err instanceof NotFoundError || (err as Error).name === 'UnverifiableDesignError')) throw err
          continue
        }
        for (const p of view.unchecked) out.note(`note: "${printable(title)}" merged ${toUrl(p)}, which is not in this home: the needs it closes show as they were (cosmo sync, or pull the design again)`)
        for (const n of view.needs) if (matchesNeed(n, filter)) rows.push({ ...needRow(view, n), designTitle: title })
      }
      rows.sort((a, b) => (b.time < a.time ? -1 : b.time > a.time ? 1 : a.need < b.need ? -1 : 1))
      out.result(
        rows.map(({ designTitle: _t, ...r }) => r),
        () => humanNeeds(rows),
      )
    },
  },
  {
    name: 'comment',
    async run({ positionals, values, home, out, command }) {
      const commons = await home.commons()
      const ref = positionals[0]!
      const text = requiredString(values, 'text')
      const about = stringOption(values, 'about')
      const reply = stringOption(values, 'reply')
      const kind = await commons.kind(ref)
      if (kind === 'design') {
        const comment = await commons.commentOnDesign(ref, text, { ...(about === undefined ? {} : { about }), ...(reply === undefined ? {} : { replyTo: reply }) })
        const d = await commons.design(ref, { held: true })
        // Like every command that creates something: its id alone on stdout.
        out.result({ design: d.url, comment }, () => comment)
      } else if (kind === 'proposal') {
        if (about !== undefined) throw new UsageError('--about anchors a comment in a design\'s discussion: comment on the design instead', command.name)
        const comment = await commons.commentOnProposal(ref, text, reply === undefined ? {} : { replyTo: reply })
        const p = await commons.proposal(ref)
        out.result({ proposal: p.url, comment }, () => comment)
      } else {
        throw new NotFoundError(`${ref} is not a design or a proposal in this home (pull it first)`)
      }
    },
  },
  {
    name: 'comments',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const ref = positionals[0]!
      const kind = await commons.kind(ref)
      let rows: { comment: string; author: string; authorName: string | null; time: string; text: string; replyTo: string | null; about: unknown }[]
      if (kind === 'design') {
        const d = await commons.discussion(ref)
        rows = d.comments.map((c) => ({ comment: c.record, author: c.author, authorName: c.authorName, time: isoTimeOrEmpty(c.time), text: c.text, replyTo: c.replyTo, about: c.about }))
      } else if (kind === 'proposal') {
        const p = await commons.proposal(ref)
        rows = p.comments.map((c) => ({ comment: c.record, author: c.author, authorName: p.names.get(c.author), time: isoTimeOrEmpty(c.time), text: c.text, replyTo: c.replyTo, about: null }))
      } else {
        throw new NotFoundError(`${ref} is not a design or a proposal in this home (pull it first)`)
      }
      out.result(rows, () =>
        rows.length === 0
          ? 'no comments'
          : rows.flatMap((r) => [
              `${r.comment.slice(0, 12)}  ${person(r.author, r.authorName)}  ${r.time}${r.replyTo === null ? '' : `  (reply to ${r.replyTo.slice(0, 12)})`}`,
              ...printable(r.text, true).split('\n').map((l) => `    ${l}`),
            ]),
      )
    },
  },
]

/** Someone else's text for a terminal: no control characters (a line break only where `lines`). */
function printable(text: string, lines = false): string {
  return text.replace(lines ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g, ' ')
}
