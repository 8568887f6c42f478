/**
 * The activity inbox over this store: for each followed design, what its verified states say
 * (folds/activity.ts turns them into items). Reads only what this store holds: following a design
 * never asks a peer for anything, and a design not here yet is reported, not waited for.
 */
import { activityOf, type Activity, type ActivitySource, type ReadMarks } from '../folds/activity.js'
import { parseDesignId, toUrl, type AutomergeUrl, type DesignId, type DocumentId, type PersonId } from '../ids.js'
import { NameBook } from '../names.js'
import type { Context } from './context.js'
import type { Needs } from './needs.js'
import type { VerifiedDesign, VerifiedProposal } from './verifier.js'

type Ref = string | VerifiedDesign

export interface ActivityResult extends Activity {
  /** Followed designs this store does not hold (or cannot verify): nothing of them is listed. */
  missing: { design: AutomergeUrl | string; reason: string }[]
  /** The documents the activity is computed from: recompute it when one of them changes. */
  documents: DocumentId[]
}

export class Activities {
  /** Maintainer changes per design, kept by the design's version (they need its full history). */
  readonly #changes = new Map<DesignId, { version: string; changes: ActivitySource['maintainerChanges'] }>()

  constructor(
    private readonly ctx: Context,
    private readonly needs: Needs,
  ) {}

  /** What one design (held here) says for the activity inbox. */
  async source(ref: Ref): Promise<ActivitySource> {
    const d = await this.ctx.design(ref, { held: true })
    const inbox = await this.ctx.verifier.inbox(d, { held: true })
    const needs = await this.needs.needs(d, { held: true })
    const names = new NameBook().merge(d.names).merge(inbox.book).merge(needs.book)
    const proposals: VerifiedProposal[] = []
    for (const pointer of inbox.proposals) {
      try {
        const p = await this.ctx.verifier.proposal(pointer.proposal, { held: true })
        if (p.target !== d.id) continue
        proposals.push(p)
        names.merge(p.names)
      } catch {
        // not held here (or not verifiable): listed from its pointer
      }
    }
    return {
      design: d.id,
      title: d.content.title,
      maintainerChanges: await this.#maintainerChanges(d),
      forks: inbox.forks.map((f) => ({ design: parseDesignId(f.design), author: f.author, time: f.time, record: f.record })),
      proposalPointers: inbox.proposals,
      proposals,
      merges: needs.merges,
      comments: inbox.comments,
      needs: needs.needs,
      name: (person) => names.get(person),
    }
  }

  /** The activity of the designs given, with read marks applied (see folds/activity.ts). */
  async activity(refs: readonly string[], marks: ReadMarks, options: { now?: number } = {}): Promise<ActivityResult> {
    const sources: ActivitySource[] = []
    const missing: ActivityResult['missing'] = []
    const documents = new Set<DocumentId>()
    for (const ref of new Set(refs)) {
      try {
        const source = await this.source(ref)
        sources.push(source)
        const d = await this.ctx.design(ref, { held: true })
        for (const id of [d.id, d.contentId, d.inboxId, ...source.proposalPointers.map((p) => p.proposal)]) documents.add(id)
      } catch (err) {
        missing.push({ design: designUrl(ref), reason: (err as Error).message })
      }
    }
    const me: PersonId | null = this.ctx.identity?.id ?? null
    return { ...activityOf(sources, marks, { me, now: options.now ?? Date.now() }), missing, documents: [...documents] }
  }

  async #maintainerChanges(d: VerifiedDesign): Promise<ActivitySource['maintainerChanges']> {
    const known = this.#changes.get(d.id)
    if (known?.version === d.version) return known.changes
    const history = await this.ctx.verifier.history(d.id)
    const byId = new Map(history.valid.map((r) => [r.id, r]))
    const changes: ActivitySource['maintainerChanges'] = []
    for (const a of history.applied) {
      const completing = byId.get(a.records.at(-1)!)
      if (completing === undefined) continue
      changes.push({ record: completing.id, actor: completing.body.author, time: completing.body.time, action: a.action })
    }
    this.#changes.set(d.id, { version: d.version, changes })
    return changes
  }
}

function designUrl(ref: string): AutomergeUrl | string {
  try {
    return toUrl(parseDesignId(ref))
  } catch {
    return ref
  }
}
