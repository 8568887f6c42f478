/**
 * The hub under test, in its own process (started by hub-handle.ts), so that the hub and the peers
 * being timed do not share one event loop. Speaks a tiny request/answer protocol over the IPC
 * channel; exits when told to stop or when its parent goes away.
 */
import type { DocumentId } from '@automerge/automerge-repo'
import { createIdentity } from '@cosmolocal/core'
import { startHub } from '@cosmolocal/hub'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { headsKey } from './heads.ts'
import type { HubReply, HubRequest } from './hub-protocol.ts'

const dir = await mkdtemp(join(tmpdir(), 'cosmo-bench-hub-'))
const hub = await startHub({
  privateKey: (await createIdentity('hub')).privateKey,
  storageDir: join(dir, 'repo'),
  port: 0,
  // Peers leaving is routine here (every run ends with one); anything else is worth seeing.
  log: (line) => {
    if (!/closed: (peer closed the stream|simultaneous open)/.test(line)) process.stderr.write(`[hub] ${line}\n`)
  },
})

const reply = (r: HubReply) => process.send!(r)

function holds(expected: readonly (readonly [DocumentId, string])[]): boolean {
  return expected.every(([id, heads]) => {
    const h = hub.repo.handles[id]
    return h !== undefined && h.isReady() && headsKey(h.heads()) === heads
  })
}

let stopping: Promise<void> | undefined
const stop = () =>
  (stopping ??= (async () => {
    await hub.stop()
    await rm(dir, { recursive: true, force: true })
  })())

process.on('message', (raw) => {
  const req = raw as HubRequest
  void (async () => {
    try {
      if (req.type === 'await') {
        const end = Date.now() + req.timeoutMs
        while (!holds(req.documents)) {
          if (Date.now() > end) throw new Error(`the hub does not hold ${req.documents.length} documents after ${req.timeoutMs} ms`)
          await new Promise((r) => setTimeout(r, req.everyMs))
        }
        await hub.repo.flush(req.documents.map(([id]) => id))
        reply({ re: req.re, ok: true })
      } else if (req.type === 'stop') {
        await stop()
        reply({ re: req.re, ok: true })
        process.disconnect()
      }
    } catch (err) {
      reply({ re: req.re, ok: false, error: (err as Error).message })
    }
  })()
})
// The parent died or let go: do not outlive it.
process.on('disconnect', () => void stop())

reply({ re: 0, ok: true, hello: { id: hub.id, multiaddrs: hub.multiaddrs(), automergeWs: hub.automergeWs } })
