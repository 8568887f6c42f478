/** The one verifying blob store over the memory backend: the conformance suite every backend passes. */
import { MemoryBlobBackend, MemoryBlobStore } from '../src/index.js'
import { runBlobStoreTests } from '../src/test-support.js'

runBlobStoreTests(async () => {
  const backend = new MemoryBlobBackend()
  return { store: new MemoryBlobStore(backend), reopen: async () => new MemoryBlobStore(backend) }
}, 'memory')
