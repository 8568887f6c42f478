/** Node's blob store on a real disk passes the conformance suite every backend passes. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runBlobStoreTests } from '@cosmolocal/core/test-support'
import { FsBlobStore } from '../src/index.js'

runBlobStoreTests(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cosmo-fs-conformance-'))
  return { store: new FsBlobStore(dir), reopen: async () => new FsBlobStore(dir), teardown: () => rm(dir, { recursive: true, force: true }) }
}, 'filesystem')
