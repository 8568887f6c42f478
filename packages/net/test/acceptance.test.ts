/**
 * automerge-repo's own network adapter acceptance suite, over real libp2p nodes on loopback TCP.
 * See alias-adapter.ts for why each adapter is wrapped.
 */
import { runNetworkAdapterTests } from '@automerge/automerge-repo/helpers/tests/network-adapter-tests.js'
import { Libp2pNetworkAdapter, SYNC_PROTOCOL } from '../src/index.js'
import { AliasAdapter, Directory } from './alias-adapter.js'
import { dial, startNode, waitFor } from './helpers.js'

runNetworkAdapterTests(async () => {
  const nodes = await Promise.all([startNode(), startNode(), startNode()])
  const directory = new Directory()
  const adapters = nodes.map(node => new AliasAdapter(new Libp2pNetworkAdapter(node), node.peerId.toString(), directory))
  await waitFor(() => nodes.every(node => node.getProtocols().includes(SYNC_PROTOCOL)), 5_000, 'sync protocol registration')
  const [a, b, c] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]]
  await Promise.all([dial(a, b), dial(a, c), dial(b, c)])
  return {
    adapters: adapters as [AliasAdapter, AliasAdapter, AliasAdapter],
    teardown: () => {
      // The suite does not await teardown; stopping closes every session, which is all it needs.
      for (const node of nodes) void node.stop()
    },
  }
}, 'libp2p over loopback TCP')
