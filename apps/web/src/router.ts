/** Hash routes (they work offline and from any static host): #/, #/new, #/me, #/inbox, #/needs, #/design/ID, #/proposal/ID, #/person/ID. */
import { createSignal } from 'solid-js'

export type Route =
  | { page: 'catalogue' }
  | { page: 'new' }
  | { page: 'me' }
  | { page: 'inbox' }
  | { page: 'needs' }
  | { page: 'design'; id: string }
  | { page: 'proposal'; id: string }
  | { page: 'person'; id: string }

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '')
  const [head, arg] = parts
  if (head === 'new') return { page: 'new' }
  if (head === 'me') return { page: 'me' }
  if (head === 'inbox') return { page: 'inbox' }
  if (head === 'needs') return { page: 'needs' }
  if ((head === 'design' || head === 'proposal' || head === 'person') && arg !== undefined) return { page: head, id: decodeURIComponent(arg) }
  return { page: 'catalogue' }
}

const [route, setRoute] = createSignal<Route>(parseRoute(typeof location === 'undefined' ? '' : location.hash))
if (typeof window !== 'undefined') window.addEventListener('hashchange', () => setRoute(parseRoute(location.hash)))

export { route }

export function href(r: Route): string {
  switch (r.page) {
    case 'catalogue':
      return '#/'
    case 'new':
      return '#/new'
    case 'me':
      return '#/me'
    case 'inbox':
      return '#/inbox'
    case 'needs':
      return '#/needs'
    case 'design':
    case 'proposal':
      return `#/${r.page}/${encodeURIComponent(r.id.replace(/^automerge:/, ''))}`
    case 'person':
      return `#/person/${encodeURIComponent(r.id)}`
  }
}

export function navigate(r: Route): void {
  location.hash = href(r)
}
