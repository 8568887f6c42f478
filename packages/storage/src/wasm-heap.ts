/**
 * V8's garbage collector and Automerge's WebAssembly memory, in a Node process that holds many
 * documents (a hub serving thousands, a CLI pulling them).
 *
 * Every Automerge document lives in one WebAssembly memory, which V8 counts as external memory,
 * and which only ever grows (a few pages at a time, as documents are loaded). V8 starts a full
 * mark-compact whenever external memory has grown by 64 MiB since the last one, and each growth
 * of a wasm memory counts as its whole size again: once the memory is past 64 MiB, every growth
 * (every few documents loaded) forces a mark-compact of the whole JavaScript heap. Measured here
 * (Node 24): 1,000 small documents created in a process already past that size cost 94–115 full
 * collections and 1.1–1.6 s, against 1–3 and 0.1–0.3 s with the flag below; a hub serving a
 * fresh peer slowed from 1.1 s per 500 documents to 7–9 s once ~3,500 were loaded, its V8 worker
 * threads busy marking (`--trace-incremental-marking`: "Start (external memory pressure)" every
 * ~300 ms), so that syncing 10,000 designs took over 30× as long as 1,000.
 *
 * `--external-memory-accounted-in-global-limit` makes V8 weigh external memory inside the heap's
 * global limit, which grows with what is live, instead of against that fixed 64 MiB step. V8 reads
 * it whenever it decides whether to collect, so setting it at run time takes effect at once.
 */
import { setFlagsFromString } from 'node:v8'

/** The V8 flag (see above). */
export const WASM_HEAP_FLAG = '--external-memory-accounted-in-global-limit'

/**
 * The first V8 known to have the flag (Node 24's; the project pins Node 24). An older V8 that
 * lacks it would print "unrecognized flag" on the process's output, so it is not set there.
 */
export const WASM_HEAP_FLAG_SINCE_V8 = [13, 6] as const

/** Whether `v8` (a `process.versions.v8` string) has the flag. */
export function hasWasmHeapFlag(v8: string): boolean {
  const [major = 0, minor = 0] = v8.split('.').map(Number)
  const [sinceMajor, sinceMinor] = WASM_HEAP_FLAG_SINCE_V8
  return major > sinceMajor || (major === sinceMajor && minor >= sinceMinor)
}

let applied = false

/**
 * Makes this process's garbage collector weigh Automerge's wasm memory with the rest of the heap
 * (see above). Idempotent; call it before loading many documents (the CLI does when a command opens
 * its home's store, and `startHub` on start). Returns whether the flag is in effect (false on a V8 without it).
 */
export function accountWasmMemoryInHeapLimit(): boolean {
  if (!applied && hasWasmHeapFlag(process.versions.v8)) {
    setFlagsFromString(WASM_HEAP_FLAG)
    applied = true
  }
  return applied
}

/** Whether accountWasmMemoryInHeapLimit has set the flag in this process. */
export const wasmHeapFlagApplied = (): boolean => applied
