import * as A from '@automerge/automerge'
import { Repo, type Chunk, type DocumentId, type StorageAdapterInterface, type StorageKey } from '@automerge/automerge-repo'
import { Commons, createIdentity, type Identity, type ContentDoc } from '../src/index.js'

export interface Person {
  me: Identity
  repo: Repo
  commons: Commons
}

/** A person with their own in-memory repo (no storage, no network): core's unit-test peer. */
export async function person(name: string, repo: Repo = new Repo({ network: [] })): Promise<Person> {
  const me = await createIdentity(name)
  return { me, repo, commons: new Commons(repo, me) }
}

/** Copies documents from one repo into another, merging with what is there (what a sync or bundle does). */
export async function exchange(from: Repo, to: Repo, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const bytes = await from.export(id as DocumentId)
    if (bytes === undefined) continue
    try {
      await to.find(id as DocumentId, { allowableStates: ['ready', 'unavailable'] })
    } catch {
      // not there yet
    }
    to.import(bytes, { docId: id as DocumentId })
  }
}

/** Every document id a design is made of, as seen from `p`. */
export async function designDocs(p: Person, design: string): Promise<string[]> {
  const d = await p.commons.design(design)
  return [d.id, d.contentId, d.inboxId]
}

/** Writes raw bytes into a governance document, as a hostile peer with the raw automerge-repo API would. */
export async function injectRecord(repo: Repo, design: string, bytes: Uint8Array, list: 'records' | 'entries' = 'records'): Promise<void> {
  const h = await repo.find<Record<string, unknown>>(design as DocumentId)
  h.change((d) => {
    // The hostile writer's own earlier writes may have deleted or retyped the list.
    if (Array.isArray(d[list])) (d[list] as Uint8Array[]).push(bytes)
    else d[list] = [bytes]
  })
}

/** A raw, unsigned change to a content document, as a hostile peer would write it. */
export async function injectContent(repo: Repo, contentId: string, fn: (d: ContentDoc) => void): Promise<void> {
  const h = await repo.find<ContentDoc>(contentId as DocumentId)
  h.change(fn)
}

export function junkRow(name: string) {
  return {
    name: new A.ImmutableString(name),
    quantity: 1,
    unit: new A.ImmutableString('pcs'),
    material: new A.ImmutableString(''),
    notes: '',
    position: 99,
  }
}

/** A small deterministic PRNG for seeded randomized tests. */
export { seededRandom as prng } from '../src/random.js'

/**
 * Storage in memory, through automerge-repo's storage contract: loads take the Repo's storage path,
 * and the contents can be read back at any moment (what a reloaded page would find).
 */
export class MapStorage implements StorageAdapterInterface {
  readonly data = new Map<string, Uint8Array>()
  async load(key: StorageKey) {
    return this.data.get(key.join('/'))
  }
  async save(key: StorageKey, value: Uint8Array) {
    this.data.set(key.join('/'), value)
  }
  async remove(key: StorageKey) {
    this.data.delete(key.join('/'))
  }
  async loadRange(prefix: StorageKey): Promise<Chunk[]> {
    const p = prefix.join('/')
    return [...this.data].filter(([k]) => k.startsWith(p)).map(([k, data]) => ({ key: k.split('/'), data }))
  }
  async removeRange(prefix: StorageKey) {
    for (const k of [...this.data.keys()]) if (k.startsWith(prefix.join('/'))) this.data.delete(k)
  }
}
