/**
 * `main(argv, io)`: runs one cosmo command line and returns its exit code. Never throws and
 * never exits the process, so other front ends (the hub) can call it too.
 */
import { readFileSync } from 'node:fs'
import { parseCommandLine, sniffGlobals } from './args.js'
import { COMMANDS } from './commands/index.js'
import { EXIT, exitCodeFor, isExpected } from './errors.js'
import { commandHelp, generalHelp, groupHelp } from './help.js'
import { Home, resolveHome } from './home.js'
import { Output, type Io } from './output.js'
import { forward } from './control.js'
import type { Store } from './store.js'
import { readServeInfo } from '@cosmolocal/hub'

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

export interface MainOptions {
  /** The hub's store: set when a command runs inside `cosmo serve` (through its control socket). */
  store?: Store
}

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
    const dir = resolveHome(inv.globals.home, io.env)
    if (options.store === undefined && !LOCAL_COMMANDS.has(inv.command.name)) {
      // While `cosmo serve` runs on this home, the command runs inside it, on its store.
      const serving = await readServeInfo(dir)
      if (serving?.control) {
        const code = await forward(serving.control, ['--home', dir, ...argv], io)
        if (code !== null) return code
      }
    }
    home = await Home.open(dir, options.store ?? null)
    await inv.command.run({ command: inv.command, values: inv.values, positionals: inv.positionals, out, home })
    const opened = home
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
    return report(err, io, json)
  }
}

/** One line on stderr (and the error object on stdout with --json); the stack only for surprises, and only with COSMO_DEBUG. */
function report(err: unknown, io: Io, json: boolean): number {
  const name = err instanceof Error ? err.name : 'Error'
  const raw = err instanceof Error ? err.message : String(err)
  const message = raw.split('\n')[0]!.trim() || name
  const expected = isExpected(err)
  io.stderr(`cosmo: ${expected ? message : `unexpected error: ${message}`}\n`)
  if (!expected && io.env.COSMO_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`)
  if (json) io.stdout(`${JSON.stringify({ error: { name, message } })}\n`)
  return exitCodeFor(err)
}
