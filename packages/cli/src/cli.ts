/**
 * `main(argv, io)`: runs one cosmo command line and returns its exit code. Never throws and
 * never exits the process, so other front ends (the hub) can call it too.
 *
 * Parsing and help read only the static command table; the home, the error mapping (core) and the
 * command's group module are imported once a command is to run, so `--help` and `--version` load
 * nothing else, and each command loads what it uses.
 */
import { readFileSync } from 'node:fs'
import { parseCommandLine, sniffGlobals } from './args.js'
import type { MainOptions } from './command.js'
import { COMMANDS } from './commands/index.js'
import { commandHelp, generalHelp, groupHelp } from './help.js'
import type { Home } from './home.js'
import { Output, type Io } from './output.js'
import { EXIT, UsageError } from './usage.js'

export type { MainOptions } from './command.js'

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

/** Commands that never go through a running hub: they do not touch the store, or are the hub. */
const LOCAL_COMMANDS = new Set(['id init', 'id show', 'serve'])

export async function main(argv: readonly string[], io: Io, options: MainOptions = {}): Promise<number> {
  let json = sniffGlobals(argv).json
  let home: Home | null = null
  try {
    const inv = parseCommandLine(argv, COMMANDS)
    json = inv.globals.json
    const out = new Output(io, json)
    if (inv.globals.version) {
      out.release()
      out.result({ version: VERSION }, () => `cosmo ${VERSION}`)
      return EXIT.ok
    }
    if (inv.command === null || inv.globals.help) {
      out.text(inv.command !== null ? commandHelp(inv.command) : inv.group !== null ? groupHelp(inv.group, COMMANDS) : generalHelp(COMMANDS))
      return EXIT.ok
    }
    const command = inv.command
    const { Home, resolveHome } = await import('./home.js')
    const dir = resolveHome(inv.globals.home, io.env)
    if (options.store === undefined && !LOCAL_COMMANDS.has(command.name)) {
      // While `cosmo serve` runs on this home, the command runs inside it, on its store (nothing
      // answers on the socket otherwise, and the command runs here).
      const { controlSocketPath, forward } = await import('./control.js')
      const code = await forward(controlSocketPath(dir), ['--home', dir, ...argv], io)
      if (code !== null) return code
    }
    const [runs, opened] = await Promise.all([command.load(), Home.open(dir, options.store ?? null)])
    home = opened
    const impl = runs.find((c) => c.name === command.name)
    if (impl === undefined) throw new Error(`command "${command.name}" has no implementation in its group`)
    await impl.run({ command, values: inv.values, positionals: inv.positionals, out, home, main })
    home = null
    await opened.close()
    // Only now, with everything the command wrote on disk, does its result appear.
    out.release()
    return EXIT.ok
  } catch (err) {
    if (home !== null) {
      // Flush and shut the store down even after a failure; a second failure here adds nothing useful.
      await home.close().catch(() => undefined)
    }
    return await report(err, io, json)
  }
}

/** One line on stderr (and the error object on stdout with --json); the stack only for surprises, and only with COSMO_DEBUG. */
async function report(err: unknown, io: Io, json: boolean): Promise<number> {
  const name = err instanceof Error ? err.name : 'Error'
  const raw = err instanceof Error ? err.message : String(err)
  const message = raw.split('\n')[0]!.trim() || name
  // A usage error needs nothing more; any other is mapped by errors.ts (core's error kinds).
  const { exitCodeFor, isExpected } = err instanceof UsageError ? USAGE_ONLY : await import('./errors.js')
  const expected = isExpected(err)
  io.stderr(`cosmo: ${expected ? message : `unexpected error: ${message}`}\n`)
  if (!expected && io.env.COSMO_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`)
  if (json) io.stdout(`${JSON.stringify({ error: { name, message } })}\n`)
  return exitCodeFor(err)
}

const USAGE_ONLY = { exitCodeFor: () => EXIT.usage, isExpected: () => true }
