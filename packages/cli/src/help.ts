/** Usage text: for everything, for a group (`cosmo design --help`), or for one command. */
import { GLOBAL_OPTIONS, usageLine } from './args.js'
import type { CommandSpec } from './command.js'
import { table } from './output.js'

const GLOBAL_HELP = [
  'Global options (anywhere on the line):',
  '  --home DIR   the home to use (default: $COSMO_HOME, else ~/.cosmolocal)',
  '  --json       machine-readable output on stdout',
  '  --help, -h   usage for the command',
  '  --version    print the version',
]

const EXIT_HELP = [
  'Exit codes: 0 ok, 1 failed, 2 usage error, 3 not permitted, 4 not found, 5 invalid or unverifiable input.',
]

export function generalHelp(commands: readonly CommandSpec[]): string {
  return [
    'cosmo: the Cosmolocal command line. Open hardware designs, local-first and peer to peer.',
    '',
    'Usage: cosmo COMMAND [ARGS] [OPTIONS]',
    '',
    'Commands:',
    ...table(commands.map((c) => [c.name, c.summary]), '  '),
    '',
    ...GLOBAL_HELP,
    '',
    ...EXIT_HELP,
    'Run `cosmo COMMAND --help` for a command\'s options.',
  ].join('\n')
}

export function groupHelp(group: string, commands: readonly CommandSpec[]): string {
  const members = commands.filter((c) => c.name === group || c.name.startsWith(`${group} `))
  return [
    `Usage: cosmo ${group} SUBCOMMAND ...`,
    '',
    ...table(members.map((c) => [c.name, c.summary]), '  '),
    '',
    `Run \`cosmo ${group} SUBCOMMAND --help\` for its options.`,
  ].join('\n')
}

export function commandHelp(command: CommandSpec): string {
  const options = Object.entries(command.options ?? {}).map(([k, o]) => [
    o.type === 'boolean' ? `--${k}` : `--${k} ${o.placeholder ?? 'VALUE'}`,
    [o.help ?? '', (command.required ?? []).includes(k) ? '(required)' : '', o.multiple ? '(repeatable)' : ''].filter(Boolean).join(' '),
  ])
  return [
    `Usage: ${usageLine(command)}`,
    '',
    command.summary,
    ...(options.length > 0 ? ['', 'Options:', ...table(options, '  ')] : []),
    ...(command.notes ?? []),
    '',
    `Global options: ${Object.keys(GLOBAL_OPTIONS).map((k) => `--${k}`).join(' ')}`,
  ].join('\n')
}
