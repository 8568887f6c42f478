/**
 * Crash consistency: the workload of crash/workload.ts (edits, bundle imports, accepts, and a
 * running hub receiving syncs) killed with SIGKILL at seeded moments. A short run here; `npm run
 * fuzz:crash` runs at least 100 kills (CRASH_KILLS, CRASH_SEED and CRASH_MINUTES tune it).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt } from './helpers.js'
import { crashWorkload } from './crash/workload.js'

beforeAll(assertBuilt)

const KILLS = Number(process.env.CRASH_KILLS ?? 6)
const SEED = Number(process.env.CRASH_SEED ?? 20_170)
const MINUTES = Number(process.env.CRASH_MINUTES ?? (KILLS > 10 ? 120 : 2.5))

describe('crash consistency', () => {
  it(
    `after each of ${KILLS} SIGKILLs (seed ${SEED}) every acknowledged write is there, no store file is torn, and every document loads`,
    async () => {
      const report = await crashWorkload({
        seed: SEED,
        kills: KILLS,
        timeLimitMs: MINUTES * 60_000,
        proposals: KILLS > 10 ? 6 : 2,
        log: KILLS > 10 ? (line) => console.log(line) : undefined,
      })
      console.log(
        `crash consistency (seed ${SEED}): ${report.kills} kills, ${report.actions} actions, ${report.checked} acknowledged writes checked, ` +
          `${report.losses.length} losses, ${report.torn.length} torn files, ${report.unloadable.length} documents that did not load`,
      )
      expect(report.losses).toEqual([])
      expect(report.torn).toEqual([])
      expect(report.unloadable).toEqual([])
      expect(report.kills).toBeGreaterThan(0)
      expect(report.checked).toBeGreaterThan(0)
    },
    (MINUTES + 3) * 60_000,
  )
})
