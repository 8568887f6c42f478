/**
 * Run by the end-to-end tests as a child process (plain Node, no Vite resolution): builds the web
 * app into DIR/dist, starts a hub on free ports serving it, prints `{"http": …}` and runs until
 * stdin closes.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createIdentity } from '@cosmolocal/core'
import { startHub } from '@cosmolocal/hub'
import { build } from 'vite'

const dir = process.argv[2]
if (dir === undefined) throw new Error('usage: hub-process.ts DIR')
const webRoot = join(dir, 'dist')
await build({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  build: { outDir: webRoot, emptyOutDir: true },
  logLevel: 'warn',
})
const key = await createIdentity('hub')
const hub = await startHub({ privateKey: key.privateKey, storageDir: join(dir, 'hub'), port: 0, webRoot })
process.stdout.write(`${JSON.stringify({ http: hub.http, id: hub.id })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void hub.stop().finally(() => process.exit(0))
})
