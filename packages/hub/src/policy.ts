/**
 * How a hub defends the commons it hosts: the keys its operator denied, and a write budget per
 * peer. One object, consulted by the sync adapter (as its gate), by hub peering, and by the stock
 * WebSocket endpoint (which meters each connection the same way; see ws-endpoint.ts for why a
 * key cannot be denied there).
 *
 * - A denied key's sync sessions are refused (its join is answered with an error), and a session
 *   it has when it is denied is closed at once: nothing it sends reaches the repo, so nothing it
 *   wrote is stored or relayed. It is not accepted as a peered hub either.
 * - A peer that sends more than its budget (bytes, and documents the hub had not loaded, per
 *   window) has that message refused and its session closed, and is refused for PEER_CUTOFF_MS.
 */
import type { Message } from '@automerge/automerge-repo'
import type { PersonId } from '@cosmolocal/core'
import type { Refusal, SessionGate } from '@cosmolocal/net'
import { PeerBudgets, type PeerLimits } from './budget.js'
import { DenyList, type DeniedKey } from './deny-list.js'

export interface HubPolicyInit {
  /** Where the deny list lives; null keeps it in memory. */
  denyFile: string | null
  limits?: Partial<PeerLimits>
  /** Whether the hub has a document loaded (a message about any other one counts as a new document). */
  loaded(documentId: string): boolean
  /**
   * Peers not budgeted (still subject to denial): the hubs its operator told it to peer with,
   * whose first reconciliation may well be a whole catalogue.
   */
  unmetered?(peerId: string): boolean
}

export class HubPolicy {
  readonly #deny: DenyList
  readonly #budgets: PeerBudgets
  readonly #loaded: (documentId: string) => boolean
  readonly #unmetered: (peerId: string) => boolean
  readonly #listeners: Array<() => void> = []

  private constructor(deny: DenyList, init: HubPolicyInit) {
    this.#deny = deny
    this.#budgets = new PeerBudgets(init.limits)
    this.#loaded = init.loaded
    this.#unmetered = init.unmetered ?? (() => false)
  }

  static async open(init: HubPolicyInit): Promise<HubPolicy> {
    return new HubPolicy(init.denyFile === null ? DenyList.inMemory() : await DenyList.load(init.denyFile), init)
  }

  get limits(): PeerLimits {
    return this.#budgets.limits
  }

  isDenied(id: string): boolean {
    return this.#deny.has(id)
  }

  denied(): DeniedKey[] {
    return this.#deny.list()
  }

  /** Denies `id` from now on (persisted); its open session is closed at once. */
  async deny(id: PersonId, note: string | null = null): Promise<DeniedKey> {
    const entry = await this.#deny.deny(id, note)
    this.#changed()
    return entry
  }

  async allow(id: PersonId): Promise<boolean> {
    const was = await this.#deny.allow(id)
    if (was) this.#changed()
    return was
  }

  /** Called after every change to the deny list. */
  onChange(listener: () => void): void {
    this.#listeners.push(listener)
  }

  /** The sync adapter's gate: authenticated libp2p peers, by key. */
  readonly gate: SessionGate = {
    admit: (peerId) => this.#refusal(peerId) ?? (this.#unmetered(peerId) ? null : this.#budgets.admit(peerId)),
    inbound: (peerId, message, frameBytes) => this.#refusal(peerId) ?? (this.#unmetered(peerId) ? null : this.charge(peerId, message, frameBytes)),
  }

  /** Charges one message to `key`'s budget (a peer id, or a WebSocket connection's key). */
  charge(key: string, message: Message | { documentId?: unknown }, bytes: number): Refusal | null {
    const doc = 'documentId' in message && typeof message.documentId === 'string' ? message.documentId : null
    return this.#budgets.charge(key, bytes, doc !== null && !this.#loaded(doc) ? doc : null)
  }

  /** Charges bytes alone (a message not decoded yet, or one that names no document). */
  chargeBytes(key: string, bytes: number): Refusal | null {
    return this.#budgets.charge(key, bytes)
  }

  forget(key: string): void {
    this.#budgets.forget(key)
  }

  #refusal(peerId: string): Refusal | null {
    return this.#deny.has(peerId) ? { code: 'denied', message: 'this key is denied by the hub' } : null
  }

  #changed(): void {
    for (const listener of this.#listeners) listener()
  }
}
