/**
 * @cosmolocal/cli: the `cosmo` command line. Its public surface: `main(argv, io)` (run one command
 * line, get its exit code), the command table, the error-to-exit-code mapping, and the sample
 * commons `npm start` serves.
 */
export { main, VERSION } from './cli.js'
export { COMMANDS } from './commands/index.js'
export type { Command, CommandRun, CommandSpec, Context, LineRunner, MainOptions, OptionSpec } from './command.js'
export { EXIT, exitCodeFor, UsageError, type ExitCode } from './errors.js'
export { Home, resolveHome } from './home.js'
export { openStore, type Store } from './store.js'
export { seedSampleCommons, type SampleCommons } from './sample.js'
export type { Io } from './output.js'
