/**
 * What people do around a design, beside its content: its needs and its own discussion, verified
 * by core. Loaded with the design view, and again whenever that reloads (a change to any of the
 * design's documents); core keeps each view by the versions it was computed from.
 */
import type { ContributionsView, Discussion, LineageNode, MakesView, UpdateResult, VerifiedNeeds } from '@cosmolocal/core'
import type { Peer } from './peer.js'

export interface DesignSocial {
  needs: VerifiedNeeds
  discussion: Discussion
}

export async function loadDesignSocial(peer: Peer, url: string): Promise<DesignSocial> {
  const [needs, discussion] = await Promise.all([peer.commons.needs(url), peer.commons.discussion(url)])
  return { needs, discussion }
}

export interface DesignCredit {
  makes: MakesView
  contributions: ContributionsView
}

/** Build reports and contributions: what the Made-it gallery and the Contributors panel show. */
export async function loadDesignCredit(peer: Peer, url: string): Promise<DesignCredit> {
  const makes = await peer.commons.makes(url)
  const contributions = await peer.commons.contributions(url)
  return { makes, contributions }
}

export interface DesignForks {
  /** The lineage tree, as far as this browser holds it, with ahead / behind per fork. */
  lineage: LineageNode | null
  /** For a fork's maintainer: what an update from the upstream would bring (a dry run). */
  update: UpdateResult | null
}

/** The lineage tree and, for a fork its viewer maintains, the update from upstream's preview. */
export async function loadDesignForks(peer: Peer, url: string, me: string): Promise<DesignForks> {
  const design = await peer.commons.design(url)
  const lineage = await peer.commons.lineage(design).catch(() => null)
  let update: UpdateResult | null = null
  if (design.forkedFrom !== null && design.state.maintainers.includes(me as never)) {
    // Not possible while the upstream is not here (it arrives from the hub; the page reloads then).
    update = await peer.commons.update(design, { dryRun: true }).catch(() => null)
  }
  return { lineage, update }
}
