/**
 * What a person contributed, across the designs this browser holds (and those it knows they
 * maintain or forked): per design, their counts from core's contribution accounting and their
 * build reports. Computed from verified records; a design that cannot be read is skipped.
 */
import type { ContributorView, MakeView } from '@cosmolocal/core'
import type { CatalogueItem } from './catalogue.js'
import type { Peer } from './peer.js'

export interface PersonCredit {
  url: string
  title: string
  contributor: ContributorView | null
  makes: MakeView[]
}

export async function creditOf(peer: Peer, person: string, items: readonly CatalogueItem[]): Promise<PersonCredit[]> {
  const out: PersonCredit[] = []
  // One design after another: the page fills in without a burst of requests to the hub.
  for (const item of items) {
    try {
      const [contributions, makes] = [await peer.commons.contributions(item.url), await peer.commons.makes(item.url)]
      const contributor = contributions.contributors.find((c) => c.id === person) ?? null
      const mine = makes.makes.filter((m) => m.author === person)
      if (contributor !== null || mine.length > 0) out.push({ url: item.url, title: contributions.title, contributor, makes: mine })
    } catch {
      // not reachable or not verifiable here right now
    }
  }
  return out
}

/** What one design credits someone with, in words: "2 merged · 1 part · 1 make". */
export function creditSummary(c: ContributorView | null): string {
  if (c === null) return ''
  const parts: [number, string, string][] = [
    [c.merged, 'merged change', 'merged changes'],
    [c.rows, 'part', 'parts'],
    [c.steps, 'step', 'steps'],
    [c.files, 'file', 'files'],
    [c.reviews, 'review', 'reviews'],
    [c.comments, 'comment', 'comments'],
    [c.needs, 'need', 'needs'],
    [c.makes, 'make', 'makes'],
    [c.cited, 'citation', 'citations'],
  ]
  return parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
    .join(' · ')
}
