/**
 * Who maintains a design: adding and removing maintainers, the threshold, and co-signing what
 * awaits more signatures (threshold > 1). Each is a signed governance record; the fold
 * (folds/governance.ts) decides what takes effect.
 */
import { InvalidInputError, NotFoundError, StateError } from '../errors.js'
import type { DesignState, HeadsApproval } from '../folds/governance.js'
import { newNonce } from '../genesis.js'
import { parsePersonId, type RecordId } from '../ids.js'
import type { GovernanceAction } from '../records.js'
import type { Context } from './context.js'
import type { VerifiedDesign } from './verifier.js'

type Ref = string | VerifiedDesign

export class Maintainers {
  constructor(private readonly ctx: Context) {}

  async addMaintainer(ref: Ref, person: string): Promise<DesignState> {
    const member = parsePersonId(person)
    const d = await this.ctx.requireMaintainer(ref, 'add maintainers')
    if (d.state.maintainers.includes(member)) throw new StateError(`${member} is already a maintainer`)
    return await this.#action(d, { op: 'add', member })
  }

  async removeMaintainer(ref: Ref, person: string): Promise<DesignState> {
    const member = parsePersonId(person)
    const d = await this.ctx.requireMaintainer(ref, 'remove maintainers')
    if (!d.state.maintainers.includes(member)) throw new NotFoundError(`${member} is not a maintainer`)
    if (d.state.maintainers.length - 1 < d.state.threshold) {
      throw new StateError(
        d.state.maintainers.length === 1
          ? 'cannot remove the last maintainer: add another one first'
          : `cannot go below the threshold of ${d.state.threshold}: lower it first (cosmo maintainers threshold)`,
      )
    }
    return await this.#action(d, { op: 'remove', member })
  }

  async setThreshold(ref: Ref, k: number): Promise<DesignState> {
    if (!Number.isSafeInteger(k) || k < 1) throw new InvalidInputError(`threshold must be a whole number of at least 1, not ${k}`)
    const d = await this.ctx.requireMaintainer(ref, 'change the threshold')
    if (k > d.state.maintainers.length) {
      throw new StateError(`threshold ${k} is larger than the number of maintainers (${d.state.maintainers.length})`)
    }
    return await this.#action(d, { op: 'threshold', k })
  }

  /**
   * Signs a governance action. If other maintainers already signed the same action and it awaits
   * more signatures (threshold > 1), this signature joins theirs.
   */
  async #action(d: VerifiedDesign, action: GovernanceAction): Promise<DesignState> {
    const me = this.ctx.me()
    const same = d.state.pending.find((p) => JSON.stringify(p.action) === JSON.stringify(action))
    if (same?.signers.includes(me.id)) {
      throw new StateError(`you already signed this; it needs ${same.needed - same.signers.length} more maintainer signature(s)`)
    }
    await this.ctx.appendGovernance(d, {
      base: d.state.canonicalHeads,
      payload: { kind: 'governance', action, nonce: same?.nonce ?? newNonce() },
    })
    return (await this.ctx.design(d.id)).state
  }

  /** Co-signs content heads and governance actions awaiting more maintainer signatures (threshold > 1). */
  async approve(ref: Ref): Promise<HeadsApproval[]> {
    const me = this.ctx.me()
    const d = await this.ctx.requireMaintainer(ref, 'approve changes')
    const waiting = d.state.approvals.filter((a) => !a.approved && !a.signers.includes(me.id))
    const pendingActions = d.state.pending.filter((p) => !p.signers.includes(me.id))
    if (waiting.length === 0 && pendingActions.length === 0) throw new StateError('nothing awaits your signature')
    // Each signature names the one before it, so that they stand in the order they were made.
    let prev: readonly RecordId[] = d.state.recordHeads
    for (const a of waiting) {
      const record = await this.ctx.appendGovernance(
        d,
        {
          base: d.state.canonicalHeads,
          heads: a.heads,
          payload: {
            kind: 'content',
            reason: a.reason === 'genesis' ? 'edit' : a.reason,
            summary: a.summary,
            proposal: a.proposal as never,
            ...(a.from === undefined ? {} : { from: a.from }),
          },
        },
        prev,
      )
      prev = [record.id]
    }
    for (const p of pendingActions) {
      const record = await this.ctx.appendGovernance(d, { base: d.state.canonicalHeads, payload: { kind: 'governance', action: p.action, nonce: p.nonce } }, prev)
      prev = [record.id]
    }
    return waiting
  }
}
