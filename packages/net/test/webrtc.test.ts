/**
 * Two Node peers connect directly over WebRTC, signalled through a third node's circuit relay, and
 * sync over that connection. ICE gathers no candidates on loopback alone, so as root the scenario
 * runs inside a network namespace the test creates (see webrtc/netns.ts); otherwise it runs here.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { canCreateNamespaces, createNamespace, deleteNamespace } from './webrtc/netns.js'
import type { ScenarioResult } from './webrtc/scenario.js'

const run = promisify(execFile)
const hook = fileURLToPath(new URL('./webrtc/ts-resolve.mjs', import.meta.url))
const scenario = fileURLToPath(new URL('./webrtc/scenario.ts', import.meta.url))

it('syncs over a direct WebRTC connection signalled through a circuit relay', async () => {
  const namespace = canCreateNamespaces() ? await createNamespace() : undefined
  try {
    const node = [process.execPath, '--no-warnings', '--import', hook, scenario]
    const [command, ...args] = namespace === undefined ? node : ['ip', 'netns', 'exec', namespace, ...node]
    const { stdout, stderr } = await run(command as string, args, { timeout: 45_000 })
    const line = stdout.trim().split('\n').at(-1) ?? ''
    let result: ScenarioResult
    try {
      result = JSON.parse(line) as ScenarioResult
    } catch {
      throw new Error(`scenario printed no result:\n${stdout}\n${stderr}`)
    }
    console.info(`webrtc (${namespace === undefined ? 'no namespace' : 'in a network namespace'}): ${JSON.stringify(result.timingsMs)}`)

    expect(result.relayedAddr).toMatch(/\/p2p-circuit\/webrtc\/p2p\//)
    // The connection is WebRTC and not a limited relay circuit.
    expect(result.connection.remoteAddr).toContain('/webrtc')
    expect(result.connection.limited).toBe(false)
    expect(result.connection.direct).toBe(true)
    // The sync session runs on that connection.
    expect(result.sessionConnectionIsWebRTC).toBe(true)
    expect(result.sessions.dialer).toMatchObject({ state: 'open', limited: false })
    expect(result.sessions.listener).toMatchObject({ state: 'open', limited: false })
    expect(result.synced).toEqual({
      forward: 'sent over webrtc',
      back: 'and back',
      afterRelay: 'relay gone',
      sameSession: true,
      largeSynced: true,
    })
  } finally {
    if (namespace !== undefined) await deleteNamespace(namespace)
  }
})
