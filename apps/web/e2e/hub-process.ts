/**
 * Run by the end-to-end tests as a child process (plain Node, no Vite resolution): starts a hub
 * on free ports with its store under DIR, serving the web app built in WEB_ROOT (`built-app.ts`),
 * prints `{"http": …}` and runs until stdin closes. With `--sample`, the hub holds the sample commons `npm start` serves and offers
 * its maintainer's key as the shared demo identity (as `cosmo serve --sample` does).
 */
import { join } from 'node:path'
import { seedSampleCommons } from '@cosmolocal/cli'
import { createIdentity, flushReady, serializeIdentity } from '@cosmolocal/core'
import { startHub } from '@cosmolocal/hub'

const [dir, webRoot] = process.argv.slice(2)
if (dir === undefined || webRoot === undefined) throw new Error('usage: hub-process.ts DIR WEB_ROOT [--sample]')
const key = await createIdentity('hub')
const sample = process.argv.includes('--sample')
const demo = sample ? await createIdentity('Amara (OHLOOM maintainer)') : null
const hub = await startHub({
  privateKey: key.privateKey,
  storageDir: join(dir, 'hub'),
  port: 0,
  webRoot,
  demoIdentity: demo === null ? null : { name: demo.name, key: serializeIdentity(demo) },
})
const seeded = demo === null ? null : await seedSampleCommons(hub.repo, hub.blobs, demo)
if (seeded !== null) await flushReady(hub.repo)
process.stdout.write(`${JSON.stringify({ http: hub.http, id: hub.id, sample: seeded })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void hub.stop().finally(() => process.exit(0))
})
