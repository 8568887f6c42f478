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

// ---- what one peer may write (policy.ts; docs/LIMITS.md, docs/governance.md) ----------------

/**
 * The window over which a peer's write budget refills, evenly (a token bucket: a peer may spend a
 * whole window's budget at once, then what refills).
 */
export const PEER_BUDGET_WINDOW_MS = 60_000
/**
 * Bytes of sync messages one peer may send per window. Room for a large first sync (a home full of
 * designs); a flood runs into it within a window.
 */
export const MAX_PEER_BYTES_PER_WINDOW = 256 * 1024 * 1024
/** The least one message counts toward the byte budget, so a flood of tiny messages is bounded too. */
export const MIN_MESSAGE_CHARGE_BYTES = 1024
/**
 * Documents the hub had not loaded that one peer's messages may name per window. Each costs the
 * hub a handle in memory, a request to its peers and, once written, storage and a catalogue check.
 */
export const MAX_PEER_NEW_DOCUMENTS_PER_WINDOW = 5_000
/** How long a peer that went over its budget is refused before it may sync again (ms). */
export const PEER_CUTOFF_MS = 60_000
/** Peers (and stock WebSocket connections) whose budgets are tracked; least recently active forgotten first. */
export const MAX_METERED_PEERS = 10_000

// ---- the stock automerge-repo WebSocket endpoint (ws-endpoint.ts) ---------------------------

/** Largest WebSocket message accepted (bytes): the sync protocol's MAX_FRAME_BYTES. */
export const MAX_WS_MESSAGE_BYTES = 32 * 1024 * 1024
/** How long a WebSocket client may take to send its join after connecting (ms). */
export const WS_JOIN_TIMEOUT_MS = 10_000
/** How often the endpoint pings each client; one that has not answered the previous ping is dropped (ms). */
export const WS_KEEPALIVE_MS = 5_000
/** Bytes waiting to be sent to one WebSocket client before it is dropped as not reading. */
export const MAX_WS_SEND_BUFFER_BYTES = 64 * 1024 * 1024
/** Longest peer id a WebSocket client may claim in its join (characters). */
export const MAX_WS_PEER_ID_LENGTH = 128

/** Longest line the hub logs (characters); a peer-chosen string in it is cut there (log-line.ts). */
export const MAX_LOG_LINE_CHARS = 2_000

// ---- the catalogue index and lazy loading (catalogue.ts, index-files.ts, residency.ts) --------

/** Designs one catalogue page holds at most (a request asking for more gets this many, and a `next` cursor). */
export const MAX_CATALOGUE_PAGE_DESIGNS = 1_000
/** Designs a paged catalogue request without a `limit` gets. */
export const DEFAULT_CATALOGUE_PAGE_DESIGNS = 100
/** Stored documents one `documents` page (ids and heads, for reconciling hubs and `cosmo sync`) holds at most. */
export const MAX_DOCUMENTS_PAGE = 20_000
/** How long a loaded document may go unused (no sync message, change or read) before it is written out and unloaded (ms). */
export const DOCUMENT_IDLE_MS = 120_000
/** How often loaded documents are checked for idleness (ms). */
export const IDLE_SWEEP_INTERVAL_MS = 15_000
/** How long a catalogue answer waits for changes the hub already received to be indexed (ms): fresh when idle, bounded when busy. */
export const CATALOGUE_FRESH_WAIT_MS = 5_000
/** How long index changes are gathered before the changed index shards are written (ms): a burst of edits costs one write. */
export const INDEX_WRITE_DELAY_MS = 2_000
/** The same while the store is checked against the index at start (a rebuild changes every shard all the time) (ms). */
export const INDEX_CHECK_WRITE_DELAY_MS = 30_000
/** Documents the index reads through one reader (reader.ts) before dropping it: bounds what indexing holds in memory (with the documents their designs need, about three times as many). */
export const INDEX_READ_BATCH_DOCUMENTS = 64
/** Documents the index reads at once (their heads and what they are): reading is mostly waiting for the disk. */
export const INDEX_READ_CONCURRENCY = 4
/** Documents indexed between two progress lines while the index is rebuilt. */
export const INDEX_PROGRESS_EVERY = 2_000
/** Catalogue (and documents) pages a client follows at most in one listing: a peer handing out endless cursors ends there. */
export const MAX_CATALOGUE_PAGES_FOLLOWED = 1_000
