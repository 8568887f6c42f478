/**
 * @cosmolocal/storage: durable storage for Node peers (the CLI and the hub). Every write is
 * whole or absent; success is reported only once what it wrote is on disk; a damaged chunk is set
 * aside and reported, never read as an empty document.
 */
export { AtomicFsStorageAdapter, type AtomicFsStorageOptions, type QuarantineEvent } from './fs-adapter.js'
export { atomicWriteFile, type AtomicWriteOptions } from './atomic-file.js'
export { checkChunks, type ChunkCheck, type ChunkProblem } from './chunks.js'
export { examineStore, type DoctorReport, type RefetchReason } from './doctor.js'
export { readQuarantine, type QuarantineRecord } from './quarantine.js'
export { InvalidStorageKeyError, StorageLayoutError } from './errors.js'
export * from './limits.js'
export { FsCacheBackend } from './cache-fs.js'
export { accountWasmMemoryInHeapLimit, hasWasmHeapFlag, wasmHeapFlagApplied } from './wasm-heap.js'
