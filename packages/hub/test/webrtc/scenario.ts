/**
 * Two people's peers and a hub: both reserve a slot on the hub's circuit relay, bob dials alice's
 * `/p2p-circuit/webrtc` address, and bob fetches alice's design over the direct WebRTC connection.
 * Alice offers her documents to bob only, so the hub never holds them: what bob verifies came
 * over WebRTC. Runs as a child process (in a network namespace when the test can make one) and
 * prints one JSON line with what it observed.
 */
import { Repo, type PeerId } from '@automerge/automerge-repo'
import { Commons, createIdentity } from '@cosmolocal/core'
import { createNodePeer, Libp2pNetworkAdapter } from '@cosmolocal/net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startHub } from '../../src/index.js'

export interface HubWebRTCResult {
  relayedAddr: string
  connection: { remoteAddr: string; limited: boolean; direct: boolean }
  sessionOnWebRTC: boolean
  title: string
  bom: string[]
  maintainers: string[]
  aliceId: string
  hubHeldDesign: boolean
  webrtcAttempts: number
}

const until = async <T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = probe()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

const dir = await mkdtemp(join(tmpdir(), 'cosmo-hub-webrtc-'))
const hubKey = await createIdentity('hub')
const hub = await startHub({ privateKey: hubKey.privateKey, storageDir: join(dir, 'repo'), port: 0 })
const [alice, bob] = await Promise.all([createIdentity('alice'), createIdentity('bob')])
const [aliceNode, bobNode] = await Promise.all(
  [alice, bob].map((p) => createNodePeer({ privateKey: p.privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], useRelays: true, iceServers: [] })),
)
const bobId = bobNode!.peerId.toString()
const aliceAdapter = new Libp2pNetworkAdapter(aliceNode!)
const bobAdapter = new Libp2pNetworkAdapter(bobNode!)
const aliceRepo = new Repo({
  peerId: aliceNode!.peerId.toString() as PeerId,
  network: [aliceAdapter],
  // Alice offers her designs to bob only: the hub relays signalling, never her data.
  shareConfig: { announce: async (peer) => peer === bobId, access: async (peer) => peer === bobId },
})
const bobRepo = new Repo({ peerId: bobId as PeerId, network: [bobAdapter], sharePolicy: async () => true })
try {
  const aliceCommons = new Commons(aliceRepo, alice)
  const design = await aliceCommons.createDesign({ title: 'Pedal-powered grain mill' })
  await aliceCommons.addBomRow(design, { name: 'Millstone 300 mm', quantity: 2 })
  const d = await aliceCommons.design(design)

  // Generous timeouts: on a loaded machine a dial (TCP, Noise, identify) can exceed libp2p's 5 s default.
  await Promise.all([aliceNode!, bobNode!].map((n) => n.dial(hub.node.getMultiaddrs(), { signal: AbortSignal.timeout(30_000) })))
  const relayedAddr = await until('a /p2p-circuit/webrtc address', () =>
    aliceNode!.getMultiaddrs().find((ma) => ma.toString().includes('/p2p-circuit/webrtc')),
  )
  // WebRTC set-up can take seconds on a loaded machine: more than libp2p's default dial timeout.
  // ICE between two peers occasionally fails to find a working pair on the first try (seen here
  // about one dial in ten); like an application would, try again a couple of times.
  let webrtcAttempts = 0
  const connection = await (async () => {
    for (;;) {
      webrtcAttempts++
      try {
        return await bobNode!.dial(relayedAddr, { signal: AbortSignal.timeout(30_000) })
      } catch (err) {
        console.error(`scenario: WebRTC dial attempt ${webrtcAttempts} failed: ${(err as Error).message}`)
        if (webrtcAttempts >= 3) throw err
      }
    }
  })()
  const aliceId = aliceNode!.peerId.toString()
  await until('a sync session with alice', () => (bobAdapter.getSessions().some((s) => s.peerId === aliceId && s.state === 'open') ? true : undefined))
  const session = bobAdapter.getSessions().find((s) => s.peerId === aliceId)
  const carrier = bobNode!.getConnections(aliceNode!.peerId).find((c) => c.id === session?.connectionId)

  const bobCommons = new Commons(bobRepo, bob)
  for (const id of [d.id, d.contentId, d.inboxId]) await bobRepo.find(id)
  const seen = await bobCommons.design(design)
  const hubHeldDesign = [d.id, d.contentId, d.inboxId].some((id) => hub.repo.handles[id]?.isReady() === true)

  const result: HubWebRTCResult = {
    relayedAddr: relayedAddr.toString(),
    connection: { remoteAddr: connection.remoteAddr.toString(), limited: connection.limits !== undefined, direct: connection.direct },
    sessionOnWebRTC: carrier !== undefined && carrier.limits === undefined && carrier.remoteAddr.toString().includes('/webrtc'),
    title: seen.content.title,
    bom: seen.content.bom.map((r) => r.name),
    maintainers: seen.state.maintainers,
    aliceId: alice.id,
    hubHeldDesign,
    webrtcAttempts,
  }
  console.log(JSON.stringify(result))
} catch (err) {
  console.error(err)
  process.exitCode = 1
} finally {
  await Promise.all([aliceRepo.shutdown(), bobRepo.shutdown()].map((p) => p.catch(() => undefined)))
  await hub.stop()
  await Promise.all([aliceNode!.stop(), bobNode!.stop()])
  await rm(dir, { recursive: true, force: true })
  // node-datachannel can keep native threads alive after every connection closed; this child
  // process has printed its result and cleaned up, so it ends here rather than waiting on them.
  process.exit(process.exitCode ?? 0)
}
