/** Messages between the bench and the hub process (hub-process.ts), over Node's IPC channel. */
import type { DocumentId } from '@automerge/automerge-repo'

export type HubRequest =
  /** Answer once the hub holds every document at these heads, flushed to disk. */
  | { re: number; type: 'await'; documents: [DocumentId, string][]; timeoutMs: number; everyMs: number }
  | { re: number; type: 'stop' }
  /** Unload every document the hub has loaded (flushed first), as if none had been used for a while; answers how many. */
  | { re: number; type: 'unload' }
  /** Answer once the work the hub began in the background at start (sweep, index check) is done. */
  | { re: number; type: 'settle' }

export interface HubHello {
  id: string
  multiaddrs: string[]
  automergeWs: string
  /** How long `startHub` took (on a generated store: loading it, as today's hub does). */
  startMs: number
}

/** `re` 0 is the hub's greeting once it listens. */
export type HubReply = { re: number; ok: true; hello?: HubHello; unloaded?: number } | { re: number; ok: false; error: string }
