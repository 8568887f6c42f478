/** `cosmo bom`: a design's bill of materials (maintainers only; others fork). */
import type { BomRowInput } from '@cosmolocal/core'
import { parseNumber, requireSome, stringOption } from '../args.js'
import { designUrl } from './shared.js'
import type { CommandRun, OptionValues } from '../command.js'
import { ROW_OPTIONS } from './options.js'

function rowFrom(values: OptionValues): BomRowInput {
  const quantity = stringOption(values, 'quantity')
  return {
    name: stringOption(values, 'name'),
    quantity: quantity === undefined ? undefined : parseNumber(quantity, '--quantity'),
    unit: stringOption(values, 'unit'),
    material: stringOption(values, 'material'),
    notes: stringOption(values, 'notes'),
  }
}

export const bomCommands: CommandRun[] = [
  {
    name: 'bom add',
    async run({ positionals, values, home, out }) {
      const commons = await home.commons()
      const before = stringOption(values, 'before')
      const { id, heads } = await commons.addBomRow(positionals[0]!, rowFrom(values), before === undefined ? {} : { before })
      out.result({ id }, () => id)
    },
  },
  {
    name: 'bom set',
    async run({ positionals, values, home, out, command }) {
      requireSome(values, Object.keys(ROW_OPTIONS), command.name)
      const commons = await home.commons()
      const heads = await commons.setBomRow(positionals[0]!, positionals[1]!, rowFrom(values))
      out.result({ design: designUrl(positionals[0]!), id: positionals[1], heads }, () => `changed BOM row ${positionals[1]}`)
    },
  },
  {
    name: 'bom rm',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const heads = await commons.removeBomRow(positionals[0]!, positionals[1]!)
      out.result({ design: designUrl(positionals[0]!), id: positionals[1], heads }, () => `removed BOM row ${positionals[1]}`)
    },
  },
  {
    name: 'bom move',
    async run({ positionals, values, home, out }) {
      const commons = await home.commons()
      const before = stringOption(values, 'before') ?? null
      const heads = await commons.moveBomRow(positionals[0]!, positionals[1]!, before)
      out.result({ design: designUrl(positionals[0]!), id: positionals[1], heads }, () =>
        before === null ? `moved BOM row ${positionals[1]} to the end` : `moved BOM row ${positionals[1]} before ${before}`,
      )
    },
  },
]
