/** `cosmo id`: this home's identity (an Ed25519 key; its PeerId is the person's id). */
import { requiredString } from '../args.js'
import type { CommandRun } from '../command.js'

export const idCommands: CommandRun[] = [
  {
    name: 'id init',
    async run({ values, home, out }) {
      // Making a key needs libp2p's crypto; showing one does not (id show), so it loads only here.
      const { createIdentity } = await import('@cosmolocal/core')
      const { writeKeyFile } = await import('../keyfile.js')
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
      // Who this home is, read without loading what signing needs (see core's identity-file.ts).
      const me = await home.identitySummary()
      out.result({ id: me.id, name: me.name }, () => [`${me.name}`, `id: ${me.id}`])
    },
  },
]
