/** Every command, in the order `cosmo --help` lists them. */
import type { Command } from '../command.js'
import { bomCommands } from './bom.js'
import { bundleCommands } from './bundle.js'
import { collaborateCommands } from './collaborate.js'
import { designCommands } from './design.js'
import { diffCommands } from './diff.js'
import { fileCommands } from './files.js'
import { historyCommands } from './history.js'
import { hubCommands } from './hub.js'
import { idCommands } from './id.js'
import { maintainersCommands } from './maintainers.js'
import { networkCommands } from './network.js'
import { okhCommands } from './okh.js'
import { stepCommands } from './step.js'

export const COMMANDS: readonly Command[] = [
  ...idCommands,
  ...designCommands,
  ...bomCommands,
  ...stepCommands,
  ...fileCommands,
  ...collaborateCommands,
  ...diffCommands,
  ...maintainersCommands,
  ...historyCommands,
  ...bundleCommands,
  ...okhCommands,
  ...networkCommands,
  ...hubCommands,
]
