/**
 * The hub under test, in its own process (started by hub-handle.ts), so that the hub and the peers
 * being timed do not share one event loop. Speaks a tiny request/answer protocol over the IPC
 * channel; exits when told to stop or when its parent goes away.
 *
 * Its first argument is the directory it keeps its store in (`repo/`, with the catalogue index and
 * the verified-state cache beside it, where startHub puts them by default). With a hub home as its
 * second argument (serve-process.ts: a generated store and the index a hub built on it), the hub
 * starts on a copy of that home instead of an empty store, as a hub restarted on its home would;
 * its greeting says how long `startHub` took.
 */
import type { DocumentId } from '@automerge/automerge-repo'
import { createIdentity } from '@cosmolocal/core'
import { startHub } from '@cosmolocal/hub'
import { execFile } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { headsKey } from './heads.ts'
import type { HubReply, HubRequest } from './hub-protocol.ts'
import { quietTimerWarnings } from './progress.ts'

quietTimerWarnings()

// The directory is the parent's (it removes it, also when it had to kill this process).
const dir = process.argv[2]!
const from = process.argv[3]
if (from !== undefined) await promisify(execFile)('cp', ['-a', `${from}/.`, dir])
const t0 = performance.now()
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
      } else if (req.type === 'unload') {
        // A few at a time: each waits for its flush.
        const ids = Object.keys(hub.repo.handles) as DocumentId[]
        let unloaded = 0
        let next = 0
        const worker = async () => {
          while (next < ids.length) if (await hub.residency.unload(ids[next++]!, Date.now())) unloaded++
        }
        await Promise.all(Array.from({ length: 16 }, worker))
        reply({ re: req.re, ok: true, unloaded })
      } else if (req.type === 'settle') {
        await hub.backgroundStart()
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

const startMs = performance.now() - t0
reply({ re: 0, ok: true, hello: { id: hub.id, multiaddrs: hub.multiaddrs(), automergeWs: hub.automergeWs, startMs } })
