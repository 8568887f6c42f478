/**
 * Makes (or finds in bench/.cache) every generated store the bench uses, without measuring
 * anything: `npm run bench:generate` (BENCH_QUICK=1 for the small ones). The bench makes them
 * itself when they are missing; this only moves the wait to a moment of your choosing.
 */
import { config as acceptConfig } from './accept.ts'
import { config as cliConfig } from './cli.ts'
import { designStores, forkFixture, historyFixture, proposalFixture, STORE_SIZES } from './fixtures.ts'
import { config as forkConfig } from './fork.ts'
import { progress, quietTimerWarnings } from './progress.ts'

quietTimerWarnings()
const quick = process.env.BENCH_QUICK === '1'
progress(`generating the ${quick ? 'quick' : 'full'} bench's stores`)
await historyFixture(cliConfig(quick).edits)
const a = acceptConfig(quick)
await proposalFixture(a.targetChanges, a.proposalChanges)
const f = forkConfig(quick)
await forkFixture(f.changes, f.files, f.fileMb)
await designStores(STORE_SIZES(quick))
progress('done')
