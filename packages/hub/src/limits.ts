/**
 * The hub's limits. Each is listed, with its reason, in docs/LIMITS.md.
 */

/** Largest catalogue request or response frame (bytes). A catalogue of ~10,000 designs fits. */
export const MAX_CATALOGUE_FRAME_BYTES = 16 * 1024 * 1024
/** Most document ids one heads request may ask about. */
export const MAX_HEADS_REQUEST_DOCUMENTS = 50_000
/** How long a catalogue request may take before the asker gives up (ms). */
export const CATALOGUE_TIMEOUT_MS = 30_000
/** How often peered hubs compare catalogues to catch anything announcements missed (ms). */
export const HUB_RECONCILE_INTERVAL_MS = 30_000
/** Most hubs one hub peers with. */
export const MAX_HUB_PEERS = 64
/** Most concurrent inbound catalogue streams per connection. */
export const MAX_CATALOGUE_STREAMS = 8
/** How long `cosmo sync` waits for the peer to hold the files of the designs it sent (ms). */
export const FILES_SETTLE_TIMEOUT_MS = 120_000
/** Peers whose followed documents the hub remembers across reconnections (least recently active forgotten first). */
export const MAX_REMEMBERED_FOLLOWERS = 10_000
/** Documents remembered per following peer; beyond it, a reconnecting peer re-asks for the rest itself. */
export const MAX_FOLLOWED_PER_PEER = 10_000
/** Most BOM row names and most materials one catalogue entry lists (for search); the rest of a long BOM is on the design's page. */
export const MAX_CATALOGUE_BOM_TERMS = 200
