/**
 * The document store's finds. A document read from storage and then unloaded must be let go of:
 * a hub reads thousands of documents a day and keeps only those in use.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Repo, type DocumentId } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import { Commons, createIdentity } from '../../src/index.js'
import { DocumentStore } from '../../src/commons/store.js'
import { MapStorage } from '../helpers.js'

describe('DocumentStore finds', () => {
  it('let go of the documents they loaded from storage once the repo unloads them', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const storage = new MapStorage()
    const writer = new Repo({ storage, network: [] })
    const commons = new Commons(writer, await createIdentity('alice'))
    const designs = [await commons.createDesign({ title: 'Loom' }), await commons.createDesign({ title: 'Press' }), await commons.createDesign({ title: 'Lathe' })]
    await writer.flush()
    await writer.shutdown()

    const repo = new Repo({ storage, network: [] })
    const store = new DocumentStore(repo)
    const refs: WeakRef<object>[] = []
    for (const url of designs) {
      const id = url.replace(/^automerge:/, '') as DocumentId
      const handle = await store.find(id)
      expect(handle.isReady()).toBe(true)
      refs.push(new WeakRef(handle.doc() as object))
      expect((await store.findHeld(id))?.documentId).toBe(id)
      await repo.removeFromCache(id)
    }
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    gc()
    await new Promise((r) => setTimeout(r, 10))
    gc()
    // Every document but the last, which the last find's own frames may still hold a moment. (The
    // handles themselves, a few hundred bytes each, are still kept by automerge-repo: not the
    // documents, which are what costs memory.)
    expect(refs.slice(0, -1).map((r) => r.deref() !== undefined)).toEqual([false, false])
    await repo.shutdown()
  }, 30_000)
})
