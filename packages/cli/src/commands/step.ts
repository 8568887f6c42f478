/** `cosmo step`: a design's build steps (maintainers only; others fork). */
import { requiredString, requireSome, stringOption } from '../args.js'
import { designUrl } from './shared.js'
import type { CommandRun } from '../command.js'

export const stepCommands: CommandRun[] = [
  {
    name: 'step add',
    async run({ positionals, values, home, out }) {
      const commons = await home.commons()
      const { id, heads } = await commons.addStep(positionals[0]!, { title: requiredString(values, 'title'), body: requiredString(values, 'body') })
      out.result({ id }, () => id)
    },
  },
  {
    name: 'step set',
    async run({ positionals, values, home, out, command }) {
      requireSome(values, ['title', 'body'], command.name)
      const commons = await home.commons()
      const heads = await commons.setStep(positionals[0]!, positionals[1]!, {
        title: stringOption(values, 'title'),
        body: stringOption(values, 'body'),
      })
      out.result({ design: designUrl(positionals[0]!), id: positionals[1], heads }, () => `changed step ${positionals[1]}`)
    },
  },
  {
    name: 'step rm',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const heads = await commons.removeStep(positionals[0]!, positionals[1]!)
      out.result({ design: designUrl(positionals[0]!), id: positionals[1], heads }, () => `removed step ${positionals[1]}`)
    },
  },
  {
    name: 'step move',
    async run({ positionals, values, home, out }) {
      const commons = await home.commons()
      const before = stringOption(values, 'before') ?? null
      const heads = await commons.moveStep(positionals[0]!, positionals[1]!, before)
      out.result({ design: designUrl(positionals[0]!), id: positionals[1], heads }, () =>
        before === null ? `moved step ${positionals[1]} to the end` : `moved step ${positionals[1]} before ${before}`,
      )
    },
  },
]
