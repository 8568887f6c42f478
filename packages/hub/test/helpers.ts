import { Repo, type PeerId as RepoPeerId } from '@automerge/automerge-repo'
import { Commons, createIdentity, type Identity } from '@cosmolocal/core'
import { createNodePeer, Libp2pNetworkAdapter, type CosmoNode } from '@cosmolocal/net'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHub, type Hub, type HubInit } from '../src/index.js'

export class Scratch {
  private dirs: string[] = []
  async dir(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'cosmo-hub-test-'))
    this.dirs.push(d)
    return d
  }
  /**
   * Removes every scratch directory. Every hub of a file is stopped before this runs, so a
   * directory that fills up again while it is removed (ENOTEMPTY, seen once in CI) means something
   * wrote to a store after its hub stopped: the error names what was written, to find the writer.
   */
  async cleanup(): Promise<void> {
    await Promise.all(
      this.dirs.map(async (d) => {
        try {
          await rm(d, { recursive: true, force: true })
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw err
          const left = await readdir(d, { recursive: true }).catch(() => [])
          throw new Error(`written after every hub stopped, in ${d}: ${left.join(', ')}`, { cause: err })
        }
      }),
    )
  }
}

export async function testHub(dir: string, init: Partial<HubInit> = {}, key?: Identity): Promise<{ hub: Hub; key: Identity }> {
  const k = key ?? (await createIdentity('hub'))
  const hub = await startHub({ privateKey: k.privateKey, storageDir: join(dir, 'repo'), home: dir, port: 0, ...init })
  return { hub, key: k }
}

/** A person as a libp2p peer: their key drives the node, an in-memory repo syncs over it. */
export interface NetPerson {
  me: Identity
  node: CosmoNode
  repo: Repo
  commons: Commons
  stop(): Promise<void>
}

export async function netPerson(name: string, storage?: import('@automerge/automerge-repo').StorageAdapterInterface): Promise<NetPerson> {
  const me = await createIdentity(name)
  const node = await createNodePeer({ privateKey: me.privateKey, listen: ['/ip4/127.0.0.1/tcp/0'] })
  const repo = new Repo({
    peerId: node.peerId.toString() as RepoPeerId,
    network: [new Libp2pNetworkAdapter(node)],
    ...(storage === undefined ? {} : { storage }),
    sharePolicy: async () => true,
  })
  return {
    me,
    node,
    repo,
    commons: new Commons(repo, me),
    stop: async () => {
      await repo.shutdown()
      await node.stop()
    },
  }
}

export async function eventually<T>(fn: () => Promise<T>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      return await fn()
    } catch (err) {
      last = err
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${(last as Error)?.message ?? last}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Dials `addr` and waits until the repos have a sync session (find() before that finds nothing). */
export async function connect(p: NetPerson, addr: string): Promise<void> {
  const { multiaddr } = await import('@multiformats/multiaddr')
  const conn = await p.node.dial(multiaddr(addr))
  const remote = conn.remotePeer.toString()
  await eventually(async () => {
    if (!p.repo.peers.includes(remote as never)) throw new Error('no session yet')
  }, `a sync session with ${remote}`)
}
