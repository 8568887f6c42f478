/**
 * What people do around a design, beside its content: its needs and its own discussion, verified
 * by core. Loaded with the design view, and again whenever that reloads (a change to any of the
 * design's documents); core keeps each view by the versions it was computed from.
 */
import type { ContributionsView, Discussion, MakesView, VerifiedNeeds } from '@cosmolocal/core'
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
