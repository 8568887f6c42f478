/** `cosmo id`: this home's identity (an Ed25519 key; its PeerId is the person's id). */
import { createIdentity } from '@cosmolocal/core'
import { requiredString } from '../args.js'
import type { CommandRun } from '../command.js'
import { writeKeyFile } from '../keyfile.js'

export const idCommands: CommandRun[] = [
  {
    name: 'id init',
    async run({ values, home, out }) {
      const identity = await createIdentity(requiredString(values, 'name'))
      await writeKeyFile(home.identityPath, identity, { force: values.force === true })
      out.result({ id: identity.id, name: identity.name }, () => [
        `created identity "${identity.name}"`,
        `id: ${identity.id}`,
        `key file: ${home.identityPath}`,
      ])
    },
  },
  {
    name: 'id show',
    async run({ home, out }) {
      const me = await home.requireIdentity()
      out.result({ id: me.id, name: me.name }, () => [`${me.name}`, `id: ${me.id}`])
    },
  },
]
