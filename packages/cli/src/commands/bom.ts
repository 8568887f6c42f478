/** `cosmo bom`: a design's bill of materials (maintainers only; others fork). */
import type { BomRowInput } from '@cosmolocal/core'
import { parseNumber, requireSome, stringOption } from '../args.js'
import { designUrl } from './shared.js'
import type { Command, OptionSpec, OptionValues } from '../command.js'

const ROW_OPTIONS: Record<string, OptionSpec> = {
  name: { type: 'string', placeholder: 'N', help: 'what the part is' },
  quantity: { type: 'string', placeholder: 'Q', help: 'how many (a positive number)' },
  unit: { type: 'string', placeholder: 'U', help: 'unit (default pcs)' },
  material: { type: 'string', placeholder: 'M' },
  notes: { type: 'string', placeholder: 'T' },
}

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

export const bomCommands: Command[] = [
  {
    name: 'bom add',
    summary: 'add a BOM row',
    positionals: ['URL'],
    options: { ...ROW_OPTIONS, before: { type: 'string', placeholder: 'ROWID', help: 'insert before this row (default: at the end)' } },
    required: ['name', 'quantity'],
    async run({ positionals, values, home, out }) {
      const commons = await home.commons()
      const before = stringOption(values, 'before')
      const { id, heads } = await commons.addBomRow(positionals[0]!, rowFrom(values), before === undefined ? {} : { before })
      out.result({ id }, () => id)
    },
  },
  {
    name: 'bom set',
    summary: 'change a BOM row',
    positionals: ['URL', 'ID'],
    options: ROW_OPTIONS,
    async run({ positionals, values, home, out, command }) {
      requireSome(values, Object.keys(ROW_OPTIONS), command.name)
      const commons = await home.commons()
      const heads = await commons.setBomRow(positionals[0]!, positionals[1]!, rowFrom(values))
      out.result({ design: designUrl(positionals[0]!), id: positionals[1], heads }, () => `changed BOM row ${positionals[1]}`)
    },
  },
  {
    name: 'bom rm',
    summary: 'remove a BOM row',
    positionals: ['URL', 'ID'],
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const heads = await commons.removeBomRow(positionals[0]!, positionals[1]!)
      out.result({ design: designUrl(positionals[0]!), id: positionals[1], heads }, () => `removed BOM row ${positionals[1]}`)
    },
  },
  {
    name: 'bom move',
    summary: 'move a BOM row before another one (or to the end)',
    positionals: ['URL', 'ID'],
    options: { before: { type: 'string', placeholder: 'ROWID', help: 'move before this row (default: to the end)' } },
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
