/**
 * Every limit the sync protocol enforces. Each one bounds what a single remote peer can make this
 * node hold or wait for; docs/protocol.md lists them with the same reasons.
 */

/**
 * Largest frame (one CBOR-encoded repo message) accepted or sent after the handshake, in bytes.
 * An automerge sync message can carry a whole document's history on first sync, so this is sized
 * for large designs; attachments never travel here (they use the blob protocol). A peer can make
 * us buffer at most this much per session before the frame is complete.
 */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024

/** Largest frame accepted during the handshake. Join / peer messages are a few hundred bytes. */
export const MAX_HANDSHAKE_FRAME_BYTES = 64 * 1024

/**
 * Longest length prefix, in bytes. Five unsigned-varint bytes hold 35 bits, more than any allowed
 * frame length, so a longer prefix can only be garbage.
 */
export const MAX_LENGTH_PREFIX_BYTES = 5

/**
 * Most bytes queued for one peer while its stream applies backpressure. Beyond this the peer is
 * not reading and its session is closed rather than letting the queue grow without bound. Room for
 * two maximal frames: automerge-repo waits for a peer's answer before sending a document's next
 * message, so an honest peer rarely has more than a few small messages queued.
 */
export const MAX_SEND_QUEUE_BYTES = 2 * MAX_FRAME_BYTES

/**
 * Longest id (peer id, document id, storage id) a message may carry. Real ones are under 60
 * characters; the bound keeps a multi-megabyte "id" from reaching the base58 decoder, whose cost
 * grows with the square of its input.
 */
export const MAX_ID_LENGTH = 128

/**
 * Largest piece handed to the stream at once. Matching yamux's message size lets backpressure act
 * between pieces of a large frame instead of after it.
 */
export const WRITE_CHUNK_BYTES = 64 * 1024

/**
 * Sync streams a remote peer may have open towards us on one connection. One session per peer,
 * plus room for a replacement arriving while the previous stream closes and for the losing stream
 * of a simultaneous open.
 */
export const MAX_INBOUND_STREAMS = 4

/** Sync streams we open on one connection; same reasoning as MAX_INBOUND_STREAMS. */
export const MAX_OUTBOUND_STREAMS = 4

/**
 * Time from opening (or accepting) a stream to a completed join / peer exchange. A peer that has
 * not completed the handshake by then is holding a stream slot for nothing.
 */
export const HANDSHAKE_TIMEOUT_MS = 10_000

/**
 * How long `whenReady()` waits for handshakes with peers already connected when `connect()` is
 * called. Same bound as the stock WebSocket client adapter's readiness fallback (1 s): long enough
 * for a loopback or LAN handshake, short enough not to stall a Repo that is offline.
 */
export const READY_TIMEOUT_MS = 1_000

/** Peers whose last session end an adapter remembers (for `lastSessionEnd`: why a peer is not syncing). */
export const MAX_REMEMBERED_SESSION_ENDS = 256

/** How long a graceful stream close may wait for queued data to flush before the stream is reset. */
export const CLOSE_TIMEOUT_MS = 5_000

/**
 * How long one address may take to dial (libp2p's default is 6 s). A WebRTC address means a relay
 * dial, signalling and ICE, which can take longer than that on a loaded machine or slow network.
 */
export const ADDRESS_DIAL_TIMEOUT_MS = 10_000

/** How long a whole dial (all of a peer's addresses) may take. */
export const DIAL_TIMEOUT_MS = 30_000

/**
 * Shortest wait for an answer to libp2p's connection-monitor ping (every 10 s) before the
 * connection is aborted (libp2p's default is 5 s). A peer in the middle of a bulk fetch, or on a
 * loaded machine, answers late because its event loop is busy; aborting then fails every find in
 * flight. A connection that is really gone is still dropped within 10 + 30 s (and at once when its
 * socket closes).
 */
export const PING_TIMEOUT_MIN_MS = 30_000

// ---- blob protocol (/cosmolocal/blob/1.0.0) -------------------------------------------------

/**
 * Largest blob-protocol frame: one chunk (core's BLOB_CHUNK_BYTES, 1 MiB) plus room for its
 * envelope. A chunk list (at most 32 KiB for a 1 GiB blob) fits too.
 */
export const MAX_BLOB_FRAME_BYTES = 1024 * 1024 + 64 * 1024

/**
 * Chunks a downloader asks one peer for before the first of them arrives (a sliding window: each
 * chunk in asks for the next). It bounds what a peer sends us unasked-for and what we buffer, at
 * 8 MiB per blob per peer; enough in flight to keep a loopback or LAN link busy. A serving stream
 * keeps as many chunk buffers for reuse (send-buffers.ts).
 */
export const MAX_CHUNKS_IN_FLIGHT = 8

/** Most hashes one `have` query may ask about. */
export const MAX_HAVE_HASHES = 1024

/** Blob streams a remote peer may have open towards us on one connection (downloads of several files at once). */
export const MAX_BLOB_STREAMS = 8

/** A blob stream on which nothing arrives for this long is abandoned (the peer went quiet), and the download moves on. */
export const BLOB_IDLE_TIMEOUT_MS = 30_000

/** How many peers a downloader asks with `have` at once, and how long it waits for their answers. */
export const HAVE_TIMEOUT_MS = 10_000

/** How stale the list of files a peer serves may be before a request for an unknown hash rebuilds it (ms). */
export const FILE_SHARE_REFRESH_MS = 1_000

/**
 * Bytes that `put` was storing when its process died or its tab closed are dropped after this
 * long (a day: no upload runs that long), when the store next stores something.
 */
export const STALE_BLOB_UPLOAD_MS = 24 * 60 * 60 * 1000
