/** Entry: Automerge's wasm first, then the app (which imports core, automerge-repo and libp2p). */
import { render } from 'solid-js/web'
import './styles.css'
import { loadAutomerge } from './peer/wasm.js'

const root = document.getElementById('root')!

loadAutomerge()
  .then(() => import('./App.js'))
  .then(({ default: App }) => {
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
