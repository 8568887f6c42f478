/**
 * Command-line parsing: global options (allowed anywhere on the line), command resolution
 * ("design new", "maintainers", …), then the command's own options through `util.parseArgs`.
 * Everything wrong with the line itself becomes a UsageError (exit 2).
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import type { CommandSpec, OptionSpec, OptionValues } from './command.js'
import { UsageError } from './usage.js'

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  home: { type: 'string', placeholder: 'DIR' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
}

export interface GlobalOptions {
  home: string | undefined
  json: boolean
  help: boolean
  version: boolean
}

export interface Invocation<C extends CommandSpec = CommandSpec> {
  globals: GlobalOptions
  /** The command to run, or null when only a group (`cosmo design`) or nothing was named. */
  command: C | null
  /** The group named when no full command was: "design" for `cosmo design --help`. */
  group: string | null
  values: OptionValues
  positionals: string[]
}

/** A best-effort look at the global flags, for reporting errors met before parsing completes. */
export function sniffGlobals(argv: readonly string[]): GlobalOptions {
  const end = argv.indexOf('--')
  const head = end < 0 ? argv : argv.slice(0, end)
  let home: string | undefined
  head.forEach((a, i) => {
    if (a === '--home') home = head[i + 1]
    else if (a.startsWith('--home=')) home = a.slice('--home='.length)
  })
  return {
    home,
    json: head.includes('--json'),
    help: head.includes('--help') || head.includes('-h'),
    version: head.includes('--version'),
  }
}

export function parseCommandLine<C extends CommandSpec>(argv: readonly string[], commands: readonly C[]): Invocation<C> {
  const byName = new Map(commands.map((c) => [c.name, c]))
  const groups = new Set(commands.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!))

  // 1. Find the command words: the first positional, and the next one if it names a subcommand.
  const words: { index: number; word: string }[] = []
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i]!
    if (a === '--') break
    if (a === '--home') {
      i++
      continue
    }
    if (isGlobalFlag(a)) continue
    if (a.startsWith('-') && a !== '-') break
    if (words.length === 0) {
      words.push({ index: i, word: a })
      if (!groups.has(a)) break
    } else {
      if (byName.has(`${words[0]!.word} ${a}`)) words.push({ index: i, word: a })
      break
    }
  }
  const name = words.map((w) => w.word).join(' ')
  let command: C | null = null
  let group: string | null = null
  if (words.length > 0) {
    command = byName.get(name) ?? null
    if (command === null) {
      const first = words[0]!.word
      if (!groups.has(first)) throw new UsageError(`unknown command "${first}" (see cosmo --help)`)
      group = first
    }
  }

  // 2. Parse what is left with the command's options (and the global ones).
  const rest = argv.filter((_, i) => !words.some((w) => w.index === i))
  const options = { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) }
  const parseOptions = Object.fromEntries(
    Object.entries(options).map(([k, o]) => [k, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
  )
  let parsed
  try {
    parsed = parseArgs({ args: rest, options: parseOptions, strict: true, allowPositionals: true })
  } catch (err) {
    throw new UsageError(usageMessage(err, rest, parseOptions), command?.name ?? group)
  }
  const values = parsed.values as OptionValues
  // A command may reuse a global option's name for its own (`design edit --version V`).
  const own = (k: string) => command?.options?.[k] !== undefined
  const globals: GlobalOptions = {
    home: values.home as string | undefined,
    json: values.json === true,
    help: values.help === true,
    version: !own('version') && values.version === true,
  }
  for (const k of Object.keys(GLOBAL_OPTIONS)) if (!own(k)) delete values[k]
  const invocation: Invocation<C> = { globals, command, group, values, positionals: parsed.positionals }
  if (globals.help || globals.version) return invocation

  if (command === null) {
    if (group !== null) {
      const extra = parsed.positionals[0]
      throw new UsageError(
        extra === undefined ? `"cosmo ${group}" needs a subcommand (see cosmo ${group} --help)` : `unknown command "${group} ${extra}" (see cosmo ${group} --help)`,
        group,
      )
    }
    if (parsed.positionals.length > 0) throw new UsageError(`unknown command "${parsed.positionals[0]}" (see cosmo --help)`)
    return invocation
  }

  // 3. Check positionals and required options.
  const required = command.positionals ?? []
  const optional = command.optionalPositionals ?? []
  const variadic = required.at(-1)?.endsWith('...') === true
  const got = parsed.positionals.length
  if (got < required.length) {
    throw new UsageError(`missing ${required[got]!.replace(/\.\.\.$/, '')} (usage: ${usageLine(command)})`, command.name)
  }
  if (!variadic && got > required.length + optional.length) {
    throw new UsageError(`unexpected argument "${parsed.positionals[required.length + optional.length]}" (usage: ${usageLine(command)})`, command.name)
  }
  for (const r of command.required ?? []) {
    if (values[r] === undefined) throw new UsageError(`missing required option --${r} (usage: ${usageLine(command)})`, command.name)
  }
  return invocation
}

function isGlobalFlag(a: string): boolean {
  return a === '--json' || a === '--help' || a === '-h' || a === '--version' || a.startsWith('--home=')
}

/**
 * A util.parseArgs failure as one line. An unknown option is named from the line itself (parsed
 * again, leniently, into tokens), not read out of Node's message; other failures keep the first
 * line of Node's message.
 */
function usageMessage(err: unknown, args: readonly string[], options: ParseArgsOptionsConfig): string {
  if ((err as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true })
    const unknown = tokens.find((t) => t.kind === 'option' && !Object.hasOwn(options, t.name))
    if (unknown?.kind === 'option') return `unknown option ${unknown.rawName}`
  }
  const message = err instanceof Error ? err.message : String(err)
  return message.split('\n')[0]!.replace(/\.$/, '')
}

export function usageLine(command: CommandSpec): string {
  const parts = [`cosmo ${command.name}`]
  for (const p of command.positionals ?? []) parts.push(p)
  for (const p of command.optionalPositionals ?? []) parts.push(`[${p}]`)
  for (const [k, o] of Object.entries(command.options ?? {})) {
    const flag = o.type === 'boolean' ? `--${k}` : `--${k} ${o.placeholder ?? 'VALUE'}`
    const shown = o.multiple ? `${flag}...` : flag
    parts.push((command.required ?? []).includes(k) ? shown : `[${shown}]`)
  }
  return parts.join(' ')
}

// ---- typed access to option values -------------------------------------------------------

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

export function requiredString(values: OptionValues, name: string): string {
  const v = stringOption(values, name)
  if (v === undefined) throw new UsageError(`missing required option --${name}`)
  return v
}

export function listOption(values: OptionValues, name: string): string[] | undefined {
  const v = values[name]
  return Array.isArray(v) ? v : undefined
}

/** A number given on the command line; anything that is not one is a usage error. */
export function parseNumber(value: string, what: string): number {
  const n = value.trim() === '' ? NaN : Number(value)
  if (!Number.isFinite(n)) throw new UsageError(`${what} must be a number, not "${value}"`)
  return n
}

/** A whole number of at least `min`. */
export function parseWhole(value: string, what: string, min = 1): number {
  const n = parseNumber(value, what)
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${what} must be a whole number of at least ${min}, not "${value}"`)
  return n
}

/** At least one of `names` must be given (for commands that change only what is named). */
export function requireSome(values: OptionValues, names: readonly string[], command: string): void {
  if (names.some((n) => values[n] !== undefined)) return
  throw new UsageError(`nothing to change: give at least one of ${names.map((n) => `--${n}`).join(', ')}`, command)
}
