/** The web app's own limits (see docs/LIMITS.md). Core and net limits apply too. */

/** Largest STL the design page previews in 3D; larger ones are listed for download only (the bytes are read into memory whole). */
export const MAX_PREVIEW_BYTES = 128 * 1024 * 1024

/** Largest image shown in the gallery (decoded in memory); larger ones are listed for download only. */
export const MAX_GALLERY_IMAGE_BYTES = 32 * 1024 * 1024

/** While a design page is open, how often files no peer had are asked for again. */
export const FILE_RETRY_MS = 5_000

/**
 * A fork's page whose upstream could not be read yet (still arriving, or not verifiable yet) reads
 * it again after this long, doubling each time up to `UPSTREAM_RETRY_MAX_MS`.
 */
export const UPSTREAM_RETRY_MS = 1_000
export const UPSTREAM_RETRY_MAX_MS = 30_000

/**
 * A read of the opened design's documents started by the entry script (peer/storage-ahead.ts)
 * waits this long for the Repo to take it, then is dropped (the Repo reads afresh).
 */
export const READ_AHEAD_KEEP_MS = 10_000

/** Largest file a catalogue card fetches for its picture (a photo, or an STL to draw); larger ones get a placeholder. */
export const MAX_THUMBNAIL_SOURCE_BYTES = 32 * 1024 * 1024

/** Size of the picture drawn from an STL for a card, in CSS pixels. */
export const THUMBNAIL_WIDTH = 320
export const THUMBNAIL_HEIGHT = 200


/**
 * The hub's catalogue is read whole, page after page (peer/hub-catalogue.ts): each page is asked
 * for this many designs (the hub's own largest page), and at most MAX_HUB_CATALOGUE_PAGES pages and
 * MAX_HUB_CATALOGUE_DESIGNS designs are read. Past either, the catalogue says it shows only the
 * first ones (and the console says so too).
 */
export const HUB_CATALOGUE_PAGE_DESIGNS = 1_000
export const MAX_HUB_CATALOGUE_DESIGNS = 100_000
export const MAX_HUB_CATALOGUE_PAGES = 200

/** BOM names one entry of this browser's library keeps for search (the hub's catalogue lists as many). */
export const MAX_LIBRARY_BOM_NAMES = 200

/**
 * Designs the "What's needed" board reads needs from: those held here first, then the hub's, most
 * recently changed first. The rest are counted, not read: a hub of thousands of designs with
 * needs costs the board this many verifications, not thousands.
 */
export const MAX_BOARD_DESIGNS = 200

/** How many designs the board reads at once (each may be fetched from the hub and verified). */
export const BOARD_CONCURRENCY = 4

/** How often the inbox looks again at what is followed by default (designs that reached the library). */
export const ACTIVITY_RECHECK_MS = 10_000
