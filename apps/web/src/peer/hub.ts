/** What the page's own origin (a hub) says about itself, and its catalogue. */
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
