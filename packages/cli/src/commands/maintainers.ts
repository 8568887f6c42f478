/** `cosmo maintainers`: who governs a design, and how many of them must sign a change. */
import { describeAction, type DesignState, type NameBook } from '@cosmolocal/core'
import { parseWhole } from '../args.js'
import type { CommandRun } from '../command.js'
import { governanceJson } from './shared.js'

/** Full ids (what `maintainers add` / `remove` take), each with the name their records carry, where known. */
function governanceLines(state: DesignState, names: NameBook): string[] {
  return [
    `maintainers (${state.maintainers.length}, threshold ${state.threshold}):`,
    ...state.maintainers.map((m) => `  ${m}${names.get(m) === null ? '' : `  ${names.get(m)}`}`),
    ...state.pending.map(
      (p) => `pending: ${describeAction(p.action)} (signed by ${p.signers.length} of ${p.needed}; others co-sign with cosmo design approve)`,
    ),
  ]
}

export const maintainersCommands: CommandRun[] = [
  {
    name: 'maintainers',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const d = await commons.design(positionals[0]!)
      // Known from any record here: someone added as a maintainer may so far only have proposed or commented.
      const names = await commons.names(d.url)
      out.result(d.state.maintainers, () => governanceLines(d.state, names))
    },
  },
  {
    name: 'maintainers add',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const state = await commons.addMaintainer(positionals[0]!, positionals[1]!)
      const names = await commons.names(positionals[0]!)
      out.result(governanceJson(state), () => governanceLines(state, names))
    },
  },
  {
    name: 'maintainers remove',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const state = await commons.removeMaintainer(positionals[0]!, positionals[1]!)
      const names = await commons.names(positionals[0]!)
      out.result(governanceJson(state), () => governanceLines(state, names))
    },
  },
  {
    name: 'maintainers threshold',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const k = parseWhole(positionals[1]!, 'threshold')
      const state = await commons.setThreshold(positionals[0]!, k)
      const names = await commons.names(positionals[0]!)
      out.result(governanceJson(state), () => governanceLines(state, names))
    },
  },
]
