/**
 * What a person's page lists, from what this browser and its hub know: the designs they maintain,
 * the forks they made (by the fork's genesis author; a fork whose maker is not known counts when
 * they maintain it) and the proposals they made from those forks. Pure, but for
 * `proposalsBy`, which reads each fork's upstream proposals (one upstream per fork: cost follows
 * what the person did, not the size of the commons).
 */
import type { ProposalSummary } from '@cosmolocal/core'
import type { CatalogueItem } from './catalogue.js'

export interface PersonView {
  id: string
  /** The name their records sign (self-asserted), when any list here carries it. */
  name: string | null
  designs: CatalogueItem[]
  forks: CatalogueItem[]
}

export function personView(items: readonly CatalogueItem[], id: string): PersonView {
  const order = (a: CatalogueItem, b: CatalogueItem) => (b.lastChange ?? 0) - (a.lastChange ?? 0) || a.title.localeCompare(b.title)
  const name = items.map((i) => i.names?.[id]).find((n) => n !== undefined) ?? null
  const designs = items.filter((i) => i.forkedFrom === null && i.maintainers.includes(id)).sort(order)
  const forks = items.filter((i) => i.forkedFrom !== null && (i.creator === undefined ? i.maintainers.includes(id) : i.creator === id)).sort(order)
  return { id, name, designs, forks }
}

/** The proposals `id` authored from `forks`, read from each fork's upstream. */
export async function proposalsBy(
  id: string,
  forks: readonly CatalogueItem[],
  proposals: (upstream: string) => Promise<ProposalSummary[]>,
): Promise<ProposalSummary[]> {
  const upstreams = [...new Set(forks.map((f) => f.forkedFrom!))]
  const sources = new Set(forks.map((f) => f.url))
  const lists = await Promise.all(upstreams.map((u) => proposals(u).catch(() => [] as ProposalSummary[])))
  return lists.flat().filter((p) => p.author === id && p.source !== null && sources.has(p.source))
}
