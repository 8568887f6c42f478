/**
 * Entry: Automerge's wasm and the app's chunk load side by side (index.html preloads both, see
 * vite.config.ts; the wasm compiles off the main thread while the app's script is parsed, and no
 * module touches a document as it is evaluated), and the app renders once both are there.
 */
import { render } from 'solid-js/web'
import './styles.css'
import { readAheadForPage } from './peer/storage-ahead.js'
import { loadAutomerge } from './peer/wasm.js'

const root = document.getElementById('root')!

const loading = Promise.all([import('./App.js'), loadAutomerge()])
// The opened design's documents are read from IndexedDB meanwhile, not once the code is here.
try {
  readAheadForPage()
} catch {
  // no IndexedDB (private browsing, say): the Repo says so when it starts
}
// The first page reads localStorage (the key, the library) and sessionStorage (drafts of forms); a
// page's first touch of either loads it from the browser, a synchronous round trip. Touched here,
// that overlaps the loading of the app's code instead of delaying the page.
try {
  void localStorage.length
  void sessionStorage.length
} catch {
  // storage disabled: the app says so where it needs it
}
loading
  .then(([{ default: App }]) => {
    root.textContent = ''
    render(() => <App />, root)
  })
  .catch((err: unknown) => {
    root.innerHTML = ''
    const p = document.createElement('p')
    p.className = 'error'
    p.setAttribute('role', 'alert')
    p.textContent = `Cosmolocal could not start: ${err instanceof Error ? err.message : String(err)}`
    root.append(p)
  })
