/**
 * Entry: Automerge's wasm and the app's chunk load side by side (index.html preloads both, see
 * vite.config.ts; the wasm compiles off the main thread while the app's script is parsed, and no
 * module touches a document as it is evaluated), and the app renders once both are there.
 */
import { render } from 'solid-js/web'
import './styles.css'
import { loadAutomerge } from './peer/wasm.js'

const root = document.getElementById('root')!

Promise.all([import('./App.js'), loadAutomerge()])
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
