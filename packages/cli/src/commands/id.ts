/** `cosmo id`: this home's identity (an Ed25519 key; its PeerId is the person's id). */
import { createIdentity } from '@cosmolocal/core'
import { requiredString } from '../args.js'
import type { Command } from '../command.js'
import { writeKeyFile } from '../keyfile.js'

export const idCommands: Command[] = [
  {
    name: 'id init',
    summary: 'create this home\'s identity (a new key)',
    options: {
      name: { type: 'string', placeholder: 'NAME', help: 'your display name' },
      force: { type: 'boolean', help: 'replace an existing identity (its key is lost)' },
    },
    required: ['name'],
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
    summary: 'show this home\'s identity',
    async run({ home, out }) {
      const me = await home.requireIdentity()
      out.result({ id: me.id, name: me.name }, () => [`${me.name}`, `id: ${me.id}`])
    },
  },
]
