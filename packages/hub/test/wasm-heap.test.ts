/**
 * A hub's process weighs Automerge's wasm memory with the rest of its heap: without it, a hub that
 * has loaded a few thousand documents runs a full garbage collection every few documents more
 * (packages/storage/src/wasm-heap.ts, whose own test shows the collections).
 */
import { hasWasmHeapFlag, wasmHeapFlagApplied } from '@cosmolocal/storage'
import { afterAll, describe, expect, it } from 'vitest'
import { Scratch, testHub } from './helpers.js'

const scratch = new Scratch()
afterAll(() => scratch.cleanup())

describe('a hub and the garbage collector', () => {
  it.runIf(hasWasmHeapFlag(process.versions.v8))('starting a hub sets the wasm heap flag in its process', async () => {
    expect(wasmHeapFlagApplied()).toBe(false)
    const { hub } = await testHub(await scratch.dir())
    try {
      expect(wasmHeapFlagApplied()).toBe(true)
    } finally {
      await hub.stop()
    }
  })
})
