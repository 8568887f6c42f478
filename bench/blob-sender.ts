/**
 * The sending side of the attachment bench in its own process (started by blobs.ts): a libp2p node
 * serving one blob from an FsBlobStore, and a plain TCP server sending the same file. Tells its
 * parent where both listen, then waits to be disconnected.
 */
import { createIdentity } from '@cosmolocal/core'
import { BlobService, createNodePeer, FsBlobStore } from '@cosmolocal/net'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { pipeline } from 'node:stream/promises'
import type { SenderHello } from './blobs.ts'

const [file, storeDir] = process.argv.slice(2) as [string, string]
const node = await createNodePeer({ privateKey: (await createIdentity('bench sender')).privateKey, listen: ['/ip4/127.0.0.1/tcp/0'] })
const store = new FsBlobStore(storeDir)
const info = await store.put(await readFile(file))
await new BlobService(node, { store, mayServe: async (h) => h === info.hash }).start()
const server = createServer((socket) => void pipeline(createReadStream(file), socket).catch(() => undefined))
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))

const hello: SenderHello = { addrs: node.getMultiaddrs().map(String), info, tcpPort: (server.address() as AddressInfo).port }
process.send!(hello)
process.on('disconnect', () => {
  server.close()
  void node.stop()
})
