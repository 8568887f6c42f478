/**
 * A process holding many Automerge documents does not run a full garbage collection each time
 * Automerge's wasm memory grows (wasm-heap.ts). Each case runs in a child process of its own
 * (the flag is process-wide): it creates documents until the wasm memory is past V8's 64 MiB
 * external-memory step, then counts the full collections (V8's own GC profiler) while 1,000 more
 * documents are created. Counts, not timings.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { hasWasmHeapFlag } from '../src/wasm-heap.js'

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))

const CHILD = (tuned: boolean) => `
import { GCProfiler } from 'node:v8'
${tuned ? "import { accountWasmMemoryInHeapLimit } from '@cosmolocal/storage'\nif (!accountWasmMemoryInHeapLimit()) throw new Error('the flag was not set')" : ''}
const A = await import('@automerge/automerge')
const docs = []
const make = () => docs.push(A.from({ title: 'part', data: new Uint8Array(20_000) }))
while (process.memoryUsage().external < 80 * 2 ** 20) make()
const profiler = new GCProfiler()
profiler.start()
for (let i = 0; i < 1000; i++) make()
const full = profiler.stop().statistics.filter((s) => s.gcType === 'MarkSweepCompact').length
process.stdout.write(JSON.stringify({ full }))
`

function fullCollections(tuned: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD(tuned)], { cwd: PACKAGE, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0 || err !== '') reject(new Error(`the child exited with ${code}: ${err}`))
      else resolve((JSON.parse(out) as { full: number }).full)
    })
  })
}

describe('wasm memory and the garbage collector', () => {
  it.runIf(hasWasmHeapFlag(process.versions.v8))('documents created past 64 MiB of wasm memory cost a few full collections, not one per growth', { timeout: 60_000 }, async () => {
    const [untuned, tuned] = await Promise.all([fullCollections(false), fullCollections(true)])
    // The premise: without the flag this V8 collects on (nearly) every growth. Should a later V8
    // stop doing so, this fails, and the flag may no longer be needed (docs/dependencies.md).
    expect(untuned).toBeGreaterThanOrEqual(30)
    expect(tuned).toBeLessThanOrEqual(10)
  })

  it('knows which V8 has the flag', () => {
    expect(hasWasmHeapFlag('13.6.233.17-node.53')).toBe(true)
    expect(hasWasmHeapFlag('14.0.1')).toBe(true)
    expect(hasWasmHeapFlag('13.5.212')).toBe(false)
    expect(hasWasmHeapFlag('12.4.254.21-node.33')).toBe(false)
  })
})
