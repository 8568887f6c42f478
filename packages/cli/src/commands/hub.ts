/**
 * `cosmo hub`: what the hub on this home refuses. Denied keys are kept in `<home>/denied.json`;
 * while `cosmo serve` runs on the home these commands run inside it and take effect at once (a
 * denied key's sync session is closed), otherwise when the hub next starts.
 */
import { DenyList, denyListPath, type DeniedKey, type HubPolicy } from '@cosmolocal/hub'
import { parsePersonId } from '@cosmolocal/core'
import { stringOption } from '../args.js'
import type { CommandRun } from '../command.js'
import type { Home } from '../home.js'

/** The running hub's policy when served, else the deny list on disk. */
async function denyList(home: Home): Promise<{ list: Pick<HubPolicy, 'deny' | 'allow' | 'denied'>; live: boolean }> {
  const policy = home.served ? (await home.network()).store.policy : undefined
  if (policy !== undefined) return { list: policy, live: true }
  const file = await DenyList.load(denyListPath(home.dir))
  return { list: { deny: (id, note) => file.deny(id, note), allow: (id) => file.allow(id), denied: () => file.list() }, live: false }
}

const when = (live: boolean) => (live ? 'now' : 'when the hub on this home next starts')

const line = (d: DeniedKey) => `${d.id}  since ${d.since}${d.note === null ? '' : `  ${d.note}`}`

export const hubCommands: CommandRun[] = [
  {
    name: 'hub deny',
    async run({ values, positionals, home, out }) {
      const id = parsePersonId(positionals[0])
      const { list, live } = await denyList(home)
      const entry = await list.deny(id, stringOption(values, 'note') ?? null)
      out.result({ ...entry, live }, () => `denied ${entry.id}: takes effect ${when(live)}`)
    },
  },
  {
    name: 'hub allow',
    async run({ positionals, home, out }) {
      const id = parsePersonId(positionals[0])
      const { list, live } = await denyList(home)
      const was = await list.allow(id)
      out.result({ id, allowed: was, live }, () => (was ? `allowed ${id} again: takes effect ${when(live)}` : `${id} was not denied`))
    },
  },
  {
    name: 'hub denied',
    async run({ home, out }) {
      const { list } = await denyList(home)
      const denied = list.denied()
      out.result(denied, () => (denied.length === 0 ? 'no key is denied' : denied.map(line)))
    },
  },
]
