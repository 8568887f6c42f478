/**
 * The browser entry: a browser bundle built from it holds no TCP and no Node-only module, and a
 * node built by its factory (run here in Node) reaches a Node peer over WebSockets and syncs.
 */
import type { PeerId } from '@automerge/automerge-repo'
import { Repo } from '@automerge/automerge-repo'
import { createIdentity } from '@cosmolocal/core'
import { fileURLToPath } from 'node:url'
import { build, type Rolldown } from 'vite'
import { afterEach, describe, expect, it } from 'vitest'
import { createBrowserPeer, Libp2pNetworkAdapter as BrowserAdapter } from '../src/browser.js'
import { startPeer, waitFor } from './helpers.js'

const packageRoot = fileURLToPath(new URL('..', import.meta.url))

/** Every module a browser (client) build of `entry` pulls in, and its bare external imports. */
async function browserBundle(entry: string): Promise<{ modules: string[]; imports: string[] }> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: packageRoot,
    build: {
      write: false,
      minify: false,
      lib: { entry: fileURLToPath(new URL(`../src/${entry}`, import.meta.url)), formats: ['es'], fileName: 'bundle' },
      // automerge's wasm is the app's to load; it has nothing to do with Node modules.
      rollupOptions: { external: [/\.wasm$/] },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[]
  const chunks = outputs.flatMap(o => o.output).filter((c): c is Rolldown.OutputChunk => c.type === 'chunk')
  return { modules: chunks.flatMap(c => Object.keys(c.modules)), imports: chunks.flatMap(c => c.imports) }
}

const nodeOnly = (id: string) => /\/@libp2p\/tcp\/|\/node-datachannel\/|^node:/.test(id)

describe('@cosmolocal/net/browser', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map(stop => stop()))
  })

  it('bundles for the browser without TCP or Node-only modules', async () => {
    const browser = await browserBundle('browser.ts')
    expect(browser.modules.length).toBeGreaterThan(100)
    expect(browser.modules.filter(nodeOnly)).toEqual([])
    expect(browser.imports.filter(i => !i.endsWith('.wasm'))).toEqual([])
    // The check can see TCP when it is there: the Node entry pulls it in.
    const node = await browserBundle('index.ts')
    expect(node.modules.filter(nodeOnly).length).toBeGreaterThan(0)
  })

  it('connects to a Node peer over WebSockets and syncs', async () => {
    const hub = await startPeer({ listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
    cleanups.push(() => hub.stop())
    const identity = await createIdentity('browser user')
    const browserNode = await createBrowserPeer({ privateKey: identity.privateKey, listen: [], allowInsecureWebSockets: true })
    const adapter = new BrowserAdapter(browserNode)
    const repo = new Repo({ network: [adapter], peerId: identity.id as string as PeerId })
    cleanups.push(async () => {
      await repo.shutdown()
      await browserNode.stop()
    })

    const wsAddr = hub.node.getMultiaddrs().find(ma => ma.toString().includes('/ws'))
    expect(wsAddr).toBeDefined()
    if (wsAddr === undefined) return
    const connection = await browserNode.dial(wsAddr)
    expect(connection.remoteAddr.toString()).toContain('/ws')

    const handle = hub.repo.create<{ title: string }>({ title: 'from the hub' })
    await waitFor(() => adapter.getSessions().some(s => s.state === 'open'), 10_000, 'a session over ws')
    const found = await repo.find<{ title: string }>(handle.url)
    expect(found.doc().title).toBe('from the hub')
  })

  // The web app shuts the gate and closes every connection when the browser goes offline.
  it('redials nothing while its dial gate is shut, then syncs and holds a relay slot again once it opens', async () => {
    const hub = await startPeer({ listen: ['/ip4/127.0.0.1/tcp/0/ws'], relayServer: true })
    cleanups.push(() => hub.stop())
    const identity = await createIdentity('browser user')
    let online = true
    const browserNode = await createBrowserPeer({
      privateKey: identity.privateKey,
      listen: ['/p2p-circuit'],
      allowInsecureWebSockets: true,
      mayDial: () => online,
    })
    const adapter = new BrowserAdapter(browserNode)
    const repo = new Repo({ network: [adapter], peerId: identity.id as string as PeerId })
    cleanups.push(async () => {
      await repo.shutdown()
      await browserNode.stop()
    })
    const hubId = hub.id as PeerId
    const wsAddr = hub.node.getMultiaddrs().find(ma => ma.toString().includes('/ws'))
    if (wsAddr === undefined) throw new Error('the hub has no WebSocket address')
    const relayed = () => browserNode.getMultiaddrs().some(ma => ma.toString().includes(`/p2p/${hub.id}/p2p-circuit`))

    await browserNode.dial(wsAddr)
    await waitFor(() => repo.peers.includes(hubId), 10_000, 'the hub as a sync peer')
    // The reservation tags the hub keep-alive: libp2p redials it as soon as the connection drops.
    await waitFor(relayed, 10_000, 'a relay reservation on the hub')
    const handle = repo.create<{ items: string[] }>({ items: ['before'] })
    const onHub = await hub.repo.find<{ items: string[] }>(handle.url)
    await waitFor(() => onHub.doc().items.length === 1, 10_000, 'the document on the hub')

    online = false
    await Promise.all(browserNode.getConnections().map(c => c.close()))
    await expect(browserNode.dial(wsAddr)).rejects.toThrow(/blocked by gater/)
    handle.change(d => {
      d.items.push('while offline')
    })
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(browserNode.getConnections()).toEqual([])
    expect(hub.node.getConnections(browserNode.peerId)).toEqual([])
    expect(relayed()).toBe(false)
    expect(onHub.doc().items).toEqual(['before'])

    online = true
    await browserNode.dial(wsAddr)
    await waitFor(() => onHub.doc().items.includes('while offline'), 10_000, 'the change made offline on the hub')
    await waitFor(relayed, 10_000, 'the relay reservation made again')
    onHub.change(d => {
      d.items.push('from the hub')
    })
    await waitFor(() => handle.doc().items.includes('from the hub'), 10_000, 'the hub change back in the browser')
  })
})
