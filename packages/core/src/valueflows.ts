/**
 * A design's contributions as ValueFlows JSON-LD (https://w3id.org/valueflows/ont/vf#), so that a
 * community can apply its own value equation elsewhere. Every credited contribution becomes an
 * `EconomicEvent`: `work` for what people did on the design, `cite` for the work of the designs
 * it took content from, `produce` for each build reported (the thing built is a new resource).
 * Agents are people by id (and their self-asserted names), the design is an `EconomicResource`.
 * The context is inline, so the document expands without fetching anything. No quantities: the
 * events are counted contributions, not hours or money (docs/contributions.md).
 */
import type { CreditKind } from './folds/contributions.js'
import type { ContributionsView } from './commons/credit.js'
import type { MakeView } from './commons/makes.js'

export const VALUEFLOWS_NAMESPACE = 'https://w3id.org/valueflows/ont/vf#'
/** What each kind of contribution is, as a URI in `resourceClassifiedAs`. */
export const CONTRIBUTION_KIND_BASE = 'urn:cosmolocal:contribution:'

const ACTION: Record<CreditKind, 'work' | 'cite' | 'produce'> = {
  merged: 'work',
  row: 'work',
  step: 'work',
  file: 'work',
  review: 'work',
  merge: 'work',
  comment: 'work',
  need: 'work',
  make: 'produce',
  maintainer: 'work',
  cited: 'cite',
}

/** A person as a JSON-LD node id. */
export function agentId(person: string): string {
  return `urn:cosmolocal:person:${person}`
}

const CONTEXT = {
  vf: VALUEFLOWS_NAMESPACE,
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  EconomicEvent: 'vf:EconomicEvent',
  EconomicResource: 'vf:EconomicResource',
  Person: 'vf:Person',
  SpatialThing: 'vf:SpatialThing',
  action: { '@id': 'vf:action', '@type': '@vocab' },
  provider: { '@id': 'vf:provider', '@type': '@id' },
  receiver: { '@id': 'vf:receiver', '@type': '@id' },
  resourceInventoriedAs: { '@id': 'vf:resourceInventoriedAs', '@type': '@id' },
  resourceClassifiedAs: { '@id': 'vf:resourceClassifiedAs', '@type': '@id' },
  toLocation: { '@id': 'vf:toLocation', '@type': '@id' },
  hasPointInTime: { '@id': 'vf:hasPointInTime', '@type': 'xsd:dateTimeStamp' },
  name: 'vf:name',
  note: 'vf:note',
  mappableAddress: 'vf:mappableAddress',
  work: 'vf:work',
  cite: 'vf:cite',
  produce: 'vf:produce',
}

/** The ValueFlows JSON-LD document of a design's contributions (and its build reports, as `produce`). */
export function valueFlows(view: ContributionsView, makes: readonly MakeView[] = []): Record<string, unknown> {
  const graph: Record<string, unknown>[] = []
  const time = (ms: number) => (Number.isFinite(ms) && ms > 0 && ms <= 8.64e15 ? new Date(ms).toISOString() : undefined)
  const resources = new Set<string>([view.design])
  graph.push({ '@id': view.design, '@type': 'EconomicResource', name: view.title })
  const people = new Set<string>()
  const byRecord = new Map(makes.map((m) => [m.make, m]))
  for (const e of view.events) {
    people.add(e.person)
    if (!resources.has(e.design)) {
      resources.add(e.design)
      graph.push({ '@id': e.design, '@type': 'EconomicResource' })
    }
    const at = time(e.time)
    const event: Record<string, unknown> = {
      '@id': `urn:cosmolocal:event:${e.id}`,
      '@type': 'EconomicEvent',
      action: ACTION[e.kind],
      provider: agentId(e.person),
      resourceInventoriedAs: e.design,
      resourceClassifiedAs: `${CONTRIBUTION_KIND_BASE}${e.kind}`,
      ...(at === undefined ? {} : { hasPointInTime: at }),
      note: e.detail === '' ? `${e.kind} (signed record ${e.record})` : `${e.kind}: ${e.detail} (signed record ${e.record})`,
    }
    const m = e.kind === 'make' ? byRecord.get(e.record) : undefined
    if (m !== undefined) {
      // A build produces a new resource: the thing built, from the design at the heads it names.
      const built = `urn:cosmolocal:make:${m.make}`
      graph.push({
        '@id': built,
        '@type': 'EconomicResource',
        name: `${view.title}, as built${m.place === '' ? '' : ` in ${m.place}`}`,
        note: `result: ${m.result}${m.changes === '' ? '' : `; changed: ${m.changes}`}`,
      })
      event.resourceInventoriedAs = built
      event.note = `built from ${view.design} at heads ${m.heads.join(',')}: ${m.result} (signed record ${m.make})`
      if (m.place !== '') event.toLocation = { '@type': 'SpatialThing', mappableAddress: m.place }
    }
    graph.push(event)
  }
  for (const p of people) {
    const name = view.names[p]
    graph.push({ '@id': agentId(p), '@type': 'Person', ...(name === undefined ? {} : { name }) })
  }
  return { '@context': CONTEXT, '@graph': graph }
}
