/**
 * `<home>/serve.json`: written when a hub is ready, removed when it stops. Other processes read
 * it to find the hub (its id, libp2p addresses, HTTP and automerge WebSocket URLs).
 */
import { atomicWriteFile } from '@cosmolocal/storage'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'

export const SERVE_FILE = 'serve.json'

export interface ServeInfo {
  id: string
  multiaddrs: string[]
  http: string
  automergeWs: string
  /** The control socket other `cosmo` commands on this home go through. */
  control: string | null
  pid: number
  startedAt: string
}

export async function writeServeInfo(home: string, info: ServeInfo): Promise<void> {
  await atomicWriteFile(join(home, SERVE_FILE), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 })
}

export async function readServeInfo(home: string): Promise<ServeInfo | null> {
  try {
    const raw = JSON.parse(await readFile(join(home, SERVE_FILE), 'utf8')) as Partial<ServeInfo>
    if (typeof raw.id !== 'string' || !Array.isArray(raw.multiaddrs) || typeof raw.http !== 'string' || typeof raw.pid !== 'number') {
      return null
    }
    return raw as ServeInfo
  } catch {
    return null
  }
}

export async function removeServeInfo(home: string): Promise<void> {
  await rm(join(home, SERVE_FILE), { force: true })
}
