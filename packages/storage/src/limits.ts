/**
 * The storage package's limits. Each is listed, with its reason, in docs/LIMITS.md.
 */

/**
 * Largest deflated change chunk whose checksum is checked on load (bytes once inflated). The
 * checksum of a deflated chunk covers the inflated change, so checking it means inflating; a larger
 * one is checked for its framing only and left to Automerge, never set aside for its size.
 */
export const MAX_INFLATED_CHECK_BYTES = 64 * 1024 * 1024
