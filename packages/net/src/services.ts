/**
 * What every Cosmolocal libp2p node runs, in the browser and in Node: Noise, yamux, identify (and
 * identify push, so peers learn promptly when our protocols change), ping, and the WebRTC ICE
 * configuration. Nothing here may import a Node-only module.
 */
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify, identifyPush, type Identify, type IdentifyPush } from '@libp2p/identify'
import { ping, type Ping } from '@libp2p/ping'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Libp2p } from '@libp2p/interface'
import type { Libp2pInit } from 'libp2p'
import { ADDRESS_DIAL_TIMEOUT_MS, DIAL_TIMEOUT_MS, PING_TIMEOUT_MIN_MS } from './limits.js'

export type PeerServices = {
  identify: Identify
  identifyPush: IdentifyPush
  ping: Ping
  /** Present on nodes created with `relayServer` (hubs). */
  relay?: CircuitRelayService
}

/** A Cosmolocal libp2p node. */
export type CosmoNode = Libp2p<PeerServices>

export const connectionEncrypters = (): NonNullable<Libp2pInit['connectionEncrypters']> => [noise()]
export const streamMuxers = (): NonNullable<Libp2pInit['streamMuxers']> => [yamux()]

/**
 * Dial budgets. A WebRTC dial is a relay dial, a signalling exchange and ICE: on a loaded machine
 * or a slow network it can exceed libp2p's 6 s per-address default, and then the direct connection
 * is never made. See ADDRESS_DIAL_TIMEOUT_MS and DIAL_TIMEOUT_MS in limits.ts.
 */
export const connectionManager = (): NonNullable<Libp2pInit['connectionManager']> => ({
  addressDialTimeout: ADDRESS_DIAL_TIMEOUT_MS,
  dialTimeout: DIAL_TIMEOUT_MS,
})

/**
 * libp2p pings every connection every 10 s and aborts one whose answer takes longer than its
 * adaptive timeout (at least 5 s by default). A peer busy with a bulk transfer (a hub answering
 * thousands of finds, a client verifying what arrives) answers late because its event loop is
 * busy, not because it is gone, and the abort fails every find in flight. PING_TIMEOUT_MIN_MS.
 */
export const connectionMonitor = (): NonNullable<Libp2pInit['connectionMonitor']> => ({
  pingTimeout: { minTimeout: PING_TIMEOUT_MIN_MS },
})

export function commonServices() {
  return { identify: identify(), identifyPush: identifyPush(), ping: ping() }
}

/**
 * No STUN or TURN server unless the caller names one: libp2p's default list points at third-party
 * servers, which would learn every peer's address. Peers on the same network, or with public
 * addresses, connect without them; a deployment behind NAT passes its own.
 */
export function rtcConfiguration(iceServers: readonly RTCIceServer[] | undefined): RTCConfiguration {
  return { iceServers: [...(iceServers ?? [])] }
}

/** Listen addresses that make a node reachable through relays: a reservation, and WebRTC signalled over it. */
export const RELAYED_LISTEN_ADDRESSES: readonly string[] = ['/p2p-circuit', '/webrtc']

export function withRelayedAddresses(listen: readonly string[], useRelays: boolean): string[] {
  if (!useRelays) return [...listen]
  return [...listen, ...RELAYED_LISTEN_ADDRESSES.filter(addr => !listen.includes(addr))]
}
