/**
 * Two Node peers connect directly over WebRTC, signalled through the hub's circuit relay, and a
 * design's documents flow over that direct connection. As root the scenario runs in a network
 * namespace the test creates (ICE gathers nothing on loopback alone); otherwise directly.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
// The namespace and TypeScript-loader helpers are the net package's own test helpers.
import { canCreateNamespaces, createNamespace, deleteNamespace } from '../../net/test/webrtc/netns.js'
import type { HubWebRTCResult } from './webrtc/scenario.js'

const run = promisify(execFile)
const hook = fileURLToPath(new URL('../../net/test/webrtc/ts-resolve.mjs', import.meta.url))
const scenario = fileURLToPath(new URL('./webrtc/scenario.ts', import.meta.url))

it("two peers sync a design over a direct WebRTC connection signalled through the hub's relay", async () => {
  const namespace = canCreateNamespaces() ? await createNamespace() : undefined
  try {
    const node = [process.execPath, '--no-warnings', '--import', hook, scenario]
    const [command, ...args] = namespace === undefined ? node : ['ip', 'netns', 'exec', namespace, ...node]
    const { stdout, stderr } = await run(command as string, args, { timeout: 60_000 })
    let result: HubWebRTCResult
    try {
      result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as HubWebRTCResult
    } catch {
      throw new Error(`scenario printed no result:\n${stdout}\n${stderr}`)
    }
    expect(result.relayedAddr).toMatch(/\/p2p-circuit\/webrtc\/p2p\//)
    expect(result.connection).toMatchObject({ limited: false, direct: true })
    expect(result.connection.remoteAddr).toContain('/webrtc')
    expect(result.sessionOnWebRTC).toBe(true)
    expect(result).toMatchObject({ title: 'Pedal-powered grain mill', bom: ['Millstone 300 mm'], maintainers: [result.aliceId] })
    // The hub relayed only the signalling: it never held the design.
    expect(result.hubHeldDesign).toBe(false)
    expect(result.webrtcAttempts).toBeLessThanOrEqual(3)
  } finally {
    if (namespace !== undefined) await deleteNamespace(namespace)
  }
})
