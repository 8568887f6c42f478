import { Repo } from '@automerge/automerge-repo'
import { Commons, createIdentity, type Identity } from '../src/index.js'

/** A person with their own in-memory repo (no storage, no network): core's unit-test peer. */
export async function person(name: string, repo: Repo = new Repo({ network: [] })): Promise<{ me: Identity; repo: Repo; commons: Commons }> {
  const me = await createIdentity(name)
  return { me, repo, commons: new Commons(repo, me) }
}

/** Copies every document of `from` that `to` lacks or lags behind (what a sync or bundle would do). */
export async function exchange(from: Repo, to: Repo, ids: string[]): Promise<void> {
  for (const id of ids) {
    const bytes = await from.export(id as never)
    if (bytes === undefined) continue
    try {
      await to.find(id as never, { allowableStates: ['ready', 'unavailable'] })
    } catch {
      // not there yet
    }
    to.import(bytes, { docId: id as never })
  }
}
