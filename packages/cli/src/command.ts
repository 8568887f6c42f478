/**
 * What a command is: its name, its options and positionals, and what it runs. Every command
 * group (src/commands/*.ts) exports a list of these; src/commands/index.ts gathers them.
 */
import type { Output } from './output.js'
import type { Home } from './home.js'

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

export interface Command {
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
  run(ctx: Context): Promise<void>
}

export interface Context {
  command: Command
  values: OptionValues
  positionals: string[]
  out: Output
  home: Home
}
