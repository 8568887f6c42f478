/** What the page's own origin (a hub) says about itself, and what its catalogue's entries hold (read by hub-catalogue.ts). */
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
