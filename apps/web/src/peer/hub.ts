/** What the page's own origin (a hub) says about itself, and its catalogue. */
import type { NeedsSummary } from '@cosmolocal/core'
import type { Thumbnail } from './catalogue.js'

export interface HubInfo {
  id: string
  multiaddrs: string[]
  automergeWs: string
}

export interface CatalogueEntry {
  design: string
  title: string
  maintainers: string[]
  forkedFrom: string | null
  lastChange: number
  heads: string[]
  documents: string[]
  // Card and search fields (the hub's catalogue-entry.ts); an older hub sends none of them.
  summary?: string
  licenses?: { hardware: string | null; documentation: string | null; software: string | null }
  tags?: string[]
  bomNames?: string[]
  materials?: string[]
  thumbnail?: Thumbnail | null
  forks?: number
  proposals?: number
  names?: Record<string, string>
  creator?: string
  place?: string
  placeCode?: string | null
  /** Open, claimed and closed needs, and the labels of those not closed (core's NeedsSummary). */
  needs?: NeedsSummary
  makes?: number
}

export async function fetchHubInfo(origin = location.origin, signal?: AbortSignal): Promise<HubInfo> {
  const res = await fetch(new URL('/api/hub', origin), signal ? { signal } : {})
  if (!res.ok) throw new Error(`the hub at ${origin} answered ${res.status}`)
  return (await res.json()) as HubInfo
}

export async function fetchHubCatalogue(origin = location.origin): Promise<CatalogueEntry[]> {
  // Offline, a request could only fail (and the browser logs each failed load as an error).
  if (!navigator.onLine) throw new Error('offline: the hub\'s catalogue is not reachable, showing what this browser holds')
  const res = await fetch(new URL('/api/catalogue', origin))
  if (!res.ok) throw new Error(`the hub's catalogue answered ${res.status}`)
  return (await res.json()) as CatalogueEntry[]
}

/** The hub's libp2p WebSocket address (the one browsers can dial). */
export function webSocketAddress(info: HubInfo): string | null {
  return info.multiaddrs.find((a) => a.includes('/ws')) ?? null
}

/**
 * The shared demo key a sample hub offers (`cosmo serve --sample`): the sample designs'
 * maintainer, so that a newcomer can try the maintainer side. Null when the hub offers none.
 */
export async function fetchDemoIdentity(origin = location.origin): Promise<{ name: string; key: unknown } | null> {
  if (!navigator.onLine) return null
  try {
    const res = await fetch(new URL('/api/demo-identity', origin))
    if (!res.ok) return null
    const body = (await res.json()) as { name?: unknown; key?: unknown }
    return typeof body.name === 'string' && typeof body.key === 'object' && body.key !== null ? { name: body.name, key: body.key } : null
  } catch {
    return null
  }
}
