/**
 * Acting needs a key; looking does not. Pages call `ensureKey(why)` before an act (fork, propose,
 * comment, create): with a key it returns the running peer at once; without one it asks for a key
 * (KeyDialog), restarts the peer with it, and returns the new peer (null when the person declined).
 * The page's own state may be re-created by the restart: what an act needs is passed along, and
 * forms keep their drafts.
 */
import { createContext, useContext } from 'solid-js'
import type { Peer } from './peer.js'

export interface KeyGate {
  ensureKey(why: string): Promise<Peer | null>
}

export const KeyGateContext = createContext<KeyGate>()

export function useKeyGate(): KeyGate {
  const gate = useContext(KeyGateContext)
  if (gate === undefined) throw new Error('useKeyGate outside KeyGateContext')
  return gate
}
