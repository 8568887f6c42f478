/**
 * `@cosmolocal/core/test-support`: conformance suites for code that implements core's interfaces
 * elsewhere (a `BlobStore` over another backend). Imports Vitest: test code only, never reached
 * from the main entry.
 */
export { runBlobStoreTests, sampleBytes, type BlobStoreSetup, type BlobStoreTestContext } from './blobs/conformance.js'
export { seededRandom } from './random.js'
