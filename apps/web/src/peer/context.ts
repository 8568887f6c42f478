import { createContext, useContext } from 'solid-js'
import type { Peer } from './peer.js'

export const PeerContext = createContext<Peer>()

export function usePeer(): Peer {
  const peer = useContext(PeerContext)
  if (peer === undefined) throw new Error('usePeer outside PeerContext')
  return peer
}
