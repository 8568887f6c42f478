/** The web app's own limits (see docs/LIMITS.md). Core and net limits apply too. */

/** Largest STL the design page previews in 3D; larger ones are listed for download only (the bytes are read into memory whole). */
export const MAX_PREVIEW_BYTES = 128 * 1024 * 1024

/** Largest image shown in the gallery (decoded in memory); larger ones are listed for download only. */
export const MAX_GALLERY_IMAGE_BYTES = 32 * 1024 * 1024

/** While a design page is open, how often files no peer had are asked for again. */
export const FILE_RETRY_MS = 5_000
