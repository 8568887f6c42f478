/// <reference types="vite/client" />
/**
 * The stock baseline for the web rows of `npm run bench` (see ../README.md): the smallest page
 * that shows a document's title from IndexedDB with stock automerge-repo, set up the way
 * automerge-repo documents for Vite (the slim entry, the wasm as its own asset). It reads the
 * database the web app wrote (same origin, same database name) and renders `title` of the document
 * named by `?doc=automerge:…` in an <h1>. No network adapter: only local storage can serve it.
 */
import { initializeWasm, Repo, type AutomergeUrl } from '@automerge/automerge-repo/slim'
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb'
import wasmUrl from '@automerge/automerge/automerge.wasm?url'

const root = document.getElementById('root')!
try {
  const url = new URLSearchParams(location.search).get('doc')
  if (url === null) throw new Error('no ?doc=automerge:… given')
  await initializeWasm(wasmUrl)
  const repo = new Repo({ storage: new IndexedDBStorageAdapter('cosmolocal'), network: [] })
  const handle = await repo.find<{ title?: unknown }>(url as AutomergeUrl)
  const h1 = document.createElement('h1')
  h1.textContent = String(handle.doc().title ?? '')
  root.replaceChildren(h1)
} catch (err) {
  const p = document.createElement('p')
  p.setAttribute('role', 'alert')
  p.textContent = `baseline failed: ${err instanceof Error ? err.message : String(err)}`
  root.replaceChildren(p)
}
