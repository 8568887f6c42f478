/**
 * What a command is. Its spec (name, options, positionals, help) sits in the static table of
 * src/commands/index.ts, so that parsing a line and printing help load nothing else; what it runs
 * sits in its group's module (src/commands/*.ts), which `load()` imports only when the command runs.
 */
import type { Output, Io } from './output.js'
import type { Home } from './home.js'
import type { Store } from './store.js'

export interface OptionSpec {
  type: 'string' | 'boolean'
  multiple?: boolean
  short?: string
  /** Shown in usage: `--title T`. */
  placeholder?: string
  /** One line for `--help`. */
  help?: string
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>

/** Everything about a command that parsing and help need. */
export interface CommandSpec {
  /** The words that invoke it: "design new", "log". */
  name: string
  summary: string
  /** Positional arguments as shown in usage, e.g. ["URL"], or ["URL..."] for one or more. */
  positionals?: string[]
  /** Optional positionals, shown in brackets, e.g. ["ROWID"]. */
  optionalPositionals?: string[]
  options?: Record<string, OptionSpec>
  /** Options that must be given. */
  required?: string[]
  /** Extra usage lines (notes, examples). */
  notes?: string[]
}

/** A command of the table: its spec, and where its implementation is. */
export interface Command extends CommandSpec {
  /** Imports the command's group module and returns its implementations. */
  load(): Promise<readonly CommandRun[]>
}

/** What a command runs: exported, by name, from its group's module. */
export interface CommandRun {
  name: string
  run(ctx: Context): Promise<void>
}

export interface MainOptions {
  /** The hub's store: set when a command runs inside `cosmo serve` (through its control socket). */
  store?: Store
}

/** Runs one cosmo command line and returns its exit code (`main`, handed to commands that run others). */
export type LineRunner = (argv: readonly string[], io: Io, options?: MainOptions) => Promise<number>

export interface Context {
  command: CommandSpec
  values: OptionValues
  positionals: string[]
  out: Output
  home: Home
  /** Runs another command line in this process (`serve` runs its local clients' commands). */
  main: LineRunner
}
