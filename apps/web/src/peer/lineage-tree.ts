/**
 * Core's lineage tree (`Commons.lineage`: the designs this browser holds that share a design's
 * history, with ahead / behind per fork) flattened for lookups: the counts beside each fork in the
 * lineage section, and the related designs a proposal may go to.
 */
import type { LineageNode } from '@cosmolocal/core'

export function lineageNodes(root: LineageNode | null | undefined): LineageNode[] {
  const out: LineageNode[] = []
  const walk = (n: LineageNode) => {
    out.push(n)
    for (const f of n.forks) walk(f)
  }
  if (root != null) walk(root)
  return out
}

export function lineageByUrl(root: LineageNode | null | undefined): Map<string, LineageNode> {
  return new Map(lineageNodes(root).map((n) => [n.design as string, n]))
}

/** Designs a proposal from `self` may go to: every other design of its tree, its upstream first. */
export function proposalTargets(root: LineageNode | null | undefined, self: string, upstream: string | null): { url: string; title: string; relation: string }[] {
  const nodes = lineageNodes(root).filter((n) => n.design !== self)
  const byUrl = lineageByUrl(root)
  const relation = (n: LineageNode) => {
    if (n.design === upstream) return 'upstream'
    if (n.upstream === self) return 'your fork'
    if (upstream !== null && n.upstream === upstream) return 'sibling'
    return 'related'
  }
  const out = nodes.map((n) => ({ url: n.design as string, title: n.title, relation: relation(n) }))
  // The upstream is the usual target even when this browser does not hold it (no node for it).
  if (upstream !== null && !byUrl.has(upstream)) out.unshift({ url: upstream, title: 'the upstream design', relation: 'upstream' })
  return out.sort((a, b) => (a.relation === 'upstream' ? -1 : b.relation === 'upstream' ? 1 : a.title.localeCompare(b.title)))
}
