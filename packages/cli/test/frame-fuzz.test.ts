/**
 * A short seeded run of the frame fuzzer (fuzz/frames.ts) against a real `cosmo serve`: random and
 * mutated frames on every protocol the hub speaks, then an honest sync and pull. The long run is
 * `npm run fuzz:frames` (100,000 frames); this one keeps the suite honest about the same harness.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt } from './helpers.js'

const RUNNER = fileURLToPath(new URL('../../../fuzz/frames-run.ts', import.meta.url))
/** Fixed, so a failure here is the same failure on every machine; replay it with FUZZ_SEED. */
const SEED = 20261201
const FRAMES = 1_500

beforeAll(assertBuilt)

function fuzz(): Promise<{ code: number; report: any; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, FUZZ_SEED: String(SEED), FUZZ_FRAMES: String(FRAMES), FUZZ_JSON: '1' }
    delete env.COSMO_HOME
    const child = spawn(process.execPath, [RUNNER], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      try {
        resolve({ code: code ?? -1, report: JSON.parse(stdout), stderr })
      } catch {
        reject(new Error(`the fuzzer printed no report (exit ${code}): ${stderr}`))
      }
    })
  })
}

describe('the frame fuzzer', () => {
  it(`${FRAMES} seeded hostile frames on every protocol leave cosmo serve running, and an honest cosmo sync and pull work after them`, { timeout: 300_000 }, async () => {
    const { code, report } = await fuzz()
    expect(report.crashes).toEqual([])
    expect(report.unexplainedCrashes).toEqual([])
    expect(report.stalls).toBe(0)
    expect(report.findings).toEqual([])
    expect(report.strayOutput).toEqual([])
    expect(report.honest).toEqual({ sync: 'ok', pull: 'ok' })
    expect(report.framesSent).toBeGreaterThanOrEqual(FRAMES)
    for (const [protocol, n] of Object.entries(report.framesByProtocol)) expect(n, protocol).toBeGreaterThan(0)
    expect(code).toBe(0)
  })
})
