/**
 * Following designs and the activity inbox: what happened on followed designs since one last
 * looked. What is followed and what was read stay in this home (follows.json), never on a peer.
 */
import { defaultFollows, markRead, type ActivityItem, type Commons, type VerifiedDesign } from '@cosmolocal/core'
import { join } from 'node:path'
import type { CommandRun } from '../command.js'
import { FollowsFile } from '../follows.js'
import type { Home } from '../home.js'
import { isoTimeOrEmpty, person, table } from '../output.js'

function followsPath(home: Home): string {
  return join(home.dir, 'follows.json')
}

/** Designs followed by default: those this person maintains among the home's, and their upstreams. */
async function defaults(home: Home, commons: Commons): Promise<string[]> {
  const me = await home.identity()
  if (me === null) return []
  const designs: VerifiedDesign[] = []
  for (const d of (await home.index()).designs) {
    try {
      designs.push(await commons.design(d.design, { held: true }))
    } catch {
      // not verifiable here (yet): not followed by default
    }
  }
  return defaultFollows(designs, me.id)
}

function itemRow(i: ActivityItem) {
  return { kind: i.kind, design: i.design, actor: i.actor, actorName: i.actorName, time: isoTimeOrEmpty(i.time), summary: i.summary, read: i.read, subject: i.subject }
}

export const inboxCommands: CommandRun[] = [
  {
    name: 'follow',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const d = await commons.design(positionals[0]!, { held: true })
      const follows = await FollowsFile.load(followsPath(home))
      follows.follow(d.id)
      // Following starts now: what happened before is not news.
      follows.setMarks(markRead(follows.marks, await commons.activity([d.id], follows.marks)))
      await follows.save()
      out.result({ design: d.url, following: true }, () => `following "${d.content.title}"`)
    },
  },
  {
    name: 'unfollow',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const d = await commons.design(positionals[0]!, { held: true })
      const follows = await FollowsFile.load(followsPath(home))
      follows.unfollow(d.id)
      await follows.save()
      out.result({ design: d.url, following: false }, () => `no longer following "${d.content.title}"`)
    },
  },
  {
    name: 'inbox',
    async run({ values, home, out }) {
      const commons = await home.commons()
      const follows = await FollowsFile.load(followsPath(home))
      const following = follows.following(await defaults(home, commons))
      const activity = await commons.activity(following, follows.marks)
      for (const m of activity.missing) out.note(`note: ${m.design} is followed but not in this home: ${m.reason}`)
      const items = values.all === true ? activity.items : activity.items.filter((i) => !i.read)
      if (values['mark-read'] === true) {
        follows.setMarks(markRead(follows.marks, activity))
        await follows.save()
      }
      const rows = items.map(itemRow)
      out.result(rows, () => {
        if (following.length === 0) return 'you follow no design yet (cosmo follow URL; designs you maintain and their upstreams are followed by default)'
        if (rows.length === 0) return values.all === true ? 'nothing has happened on the designs you follow' : 'nothing new (cosmo inbox --all lists everything)'
        return table(rows.map((r) => [r.read ? ' ' : '•', r.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), person(r.actor, r.actorName), r.summary]))
      })
    },
  },
]
