/**
 * `npm run fuzz:frames`: 100,000 seeded frames against a real `cosmo serve`, then an honest sync
 * and pull. Prints frames sent, crashes and the honest result; exits 1 if anything failed.
 *
 *   FUZZ_FRAMES=N     frames to send (default 100,000)
 *   FUZZ_SEED=S       the run's seed (default: random, printed)
 *   FUZZ_ONLY=P       one protocol: sync, blob, catalogue, hub, ws, ws-raw, http, control
 *   FUZZ_COSMO=PATH   another cosmo executable (bin/cosmo.js) to fuzz
 *   FUZZ_JSON=1       the report as JSON on stdout
 */
import { fuzzFrames } from './frames.ts'
import type { Protocol } from './cases.ts'

const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31)
const frames = Number(process.env.FUZZ_FRAMES ?? 100_000)
const report = await fuzzFrames({
  seed,
  frames,
  ...(process.env.FUZZ_ONLY === undefined ? {} : { only: process.env.FUZZ_ONLY as Protocol }),
  ...(process.env.FUZZ_COSMO === undefined ? {} : { bin: process.env.FUZZ_COSMO }),
  progress: (line) => process.stderr.write(`${line}\n`),
})
if (process.env.FUZZ_JSON === '1') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
else {
  const lines = [
    `seed ${report.seed}: ${report.framesSent} frames sent in ${report.cases} cases (${(report.durationMs / 1000).toFixed(0)} s), ${report.corpusReplayed} corpus case(s) replayed first`,
    `  by protocol: ${Object.entries(report.framesByProtocol).map(([p, n]) => `${p} ${n}`).join(', ')}`,
    `crashes: ${report.crashes.length}${report.crashes.map((c) => `\n  ${c.protocol} seed ${c.seed}: ${c.exit}\n${c.output.replace(/^/gm, '    ')}`).join('')}`,
    ...(report.unexplainedCrashes.length === 0 ? [] : [`crashes no single case reproduced: ${JSON.stringify(report.unexplainedCrashes)}`]),
    `stalls (no HTTP answer within 10 s): ${report.stalls}`,
    ...(report.findings.length === 0 ? [] : ['findings:', ...report.findings.map((f) => `  ${f}`)]),
    `stray output from the hub: ${report.strayOutput.length === 0 ? 'none' : `\n${report.strayOutput.slice(0, 20).map((l) => `  ${l}`).join('\n')}`}`,
    ...report.strayCases.map((c) => `  written after ${c.protocol} seed ${c.seed}: ${c.line}`),
    `honest cosmo sync: ${report.honest.sync}; honest cosmo pull: ${report.honest.pull}`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}
const failed =
  report.crashes.length + report.unexplainedCrashes.length + report.stalls + report.findings.length + report.strayOutput.length > 0 ||
  report.honest.sync !== 'ok' ||
  report.honest.pull !== 'ok'
process.exit(failed ? 1 : 0)
