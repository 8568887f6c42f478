/**
 * Run by hub-catalogue.test.ts as a child process (plain Node: the web project's Vite resolution
 * would hand the hub the browser builds of its dependencies): writes DESIGNS designs into a store
 * in DIR, starts a real hub on it (free ports, no web app), prints `{"http": …, "titles": […]}`
 * once its catalogue index is complete, and runs until stdin closes.
 */
import { Repo } from '@automerge/automerge-repo'
import { Commons, createIdentity } from '@cosmolocal/core'
import { startHub } from '@cosmolocal/hub'
import { AtomicFsStorageAdapter } from '@cosmolocal/storage'
import { join } from 'node:path'

const [dir, count] = process.argv.slice(2)
if (dir === undefined || count === undefined) throw new Error('usage: catalogue-hub-process.ts DIR DESIGNS')
const storage = new AtomicFsStorageAdapter(join(dir, 'repo'))
const repo = new Repo({ storage, network: [] })
const commons = new Commons(repo, await createIdentity('Alice'))
const titles: string[] = []
for (let i = 0; i < Number(count); i++) {
  titles.push(`Design ${String(i).padStart(3, '0')}`)
  await commons.createDesign({ title: titles.at(-1)! })
}
await commons.settled()
await repo.flush()
await repo.shutdown()
await storage.settled()
const hub = await startHub({ privateKey: (await createIdentity('hub')).privateKey, storageDir: join(dir, 'repo'), home: dir, port: 0 })
await hub.index.checked()
process.stdout.write(`${JSON.stringify({ http: hub.http, titles })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void hub.stop().finally(() => process.exit(0))
})
