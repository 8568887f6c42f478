// @vitest-environment node
/**
 * Watching a document this browser does not hold yet, over real libp2p on loopback: a page lists
 * a pointer (an inbox entry naming a proposal) before the document it points to has reached any
 * peer, and must reload once it arrives.
 */
import * as A from '@automerge/automerge'
import { Repo, type DocumentId, type PeerId } from '@automerge/automerge-repo'
import { createIdentity } from '@cosmolocal/core'
import { createNodePeer, Libp2pNetworkAdapter, type CosmoNode } from '@cosmolocal/net'
import { createRoot } from 'solid-js'
import { afterEach, describe, expect, it } from 'vitest'
import { watchDocuments } from '../src/peer/design-view.js'
import type { Peer } from '../src/peer/peer.js'

interface Side {
  node: CosmoNode
  repo: Repo
  adapter: Libp2pNetworkAdapter
}

const started: Side[] = []
afterEach(async () => {
  for (const s of started.splice(0)) {
    await s.repo.shutdown().catch(() => undefined)
    await s.node.stop()
  }
})

async function side(): Promise<Side> {
  const identity = await createIdentity('watcher test')
  const node = await createNodePeer({ privateKey: identity.privateKey, listen: ['/ip4/127.0.0.1/tcp/0'] })
  const adapter = new Libp2pNetworkAdapter(node)
  const repo = new Repo({ network: [adapter], peerId: node.peerId.toString() as PeerId })
  const s = { node, repo, adapter }
  started.push(s)
  return s
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('watching a document that has not arrived yet', () => {
  it('calls back when a document no peer had at first arrives later', async () => {
    const hub = await side()
    const browser = await side()
    await browser.node.dial(hub.node.getMultiaddrs())
    await until(() => browser.adapter.getSessions().some((s) => s.state === 'open') && hub.adapter.getSessions().some((s) => s.state === 'open'), 'a session both ways')

    // A proposal made elsewhere: its id is known (an inbox entry names it), its document is nowhere yet.
    const elsewhere = new Repo({ network: [] })
    const made = elsewhere.create({ title: 'Bolted frame' })
    const id = made.documentId as DocumentId
    const bytes = A.save(made.doc())

    const calls: number[] = []
    let dispose!: () => void
    createRoot((d) => {
      dispose = d
      watchDocuments({ repo: browser.repo } as unknown as Peer, [id], () => calls.push(Date.now()))
    })
    // The hub answers that nobody has it; the watch's first call follows.
    await until(() => browser.repo.handles[id]?.state === 'unavailable', 'the browser to find the document unavailable')
    await until(() => calls.length >= 1, 'the first call')
    await new Promise((r) => setTimeout(r, 500))
    const before = calls.length

    // The document reaches the hub; the hub passes it on to the browser that asked for it.
    hub.repo.import(bytes, { docId: id })
    await until(() => browser.repo.handles[id]?.isReady() === true, 'the document to reach the browser')
    await until(() => calls.length > before, 'a call after the document arrived')
    expect((browser.repo.handles[id]!.doc() as { title: string }).title).toBe('Bolted frame')
    dispose()
    await elsewhere.shutdown()
  }, 60_000)
})
