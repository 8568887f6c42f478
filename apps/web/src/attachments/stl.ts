/**
 * Checks that bytes are an STL file three.js's STLLoader can read, before handing them over.
 * STLLoader trusts its input: a short file throws a RangeError, a binary file whose triangle count
 * does not match its length reads past the end or allocates gigabytes, and text that is not STL
 * yields an empty mesh. Here each of those becomes a sentence for people instead.
 */

export type StlCheck = { ok: true; format: 'binary' | 'ascii'; triangles: number | null } | { ok: false; problem: string }

const HEADER = 80
const TRIANGLE = 50 // normal + three vertices (12 float32) + a 16-bit attribute

/** Whether the first bytes say "solid", as STLLoader decides ASCII (it allows a 5-byte prefix). */
function startsWithSolid(bytes: Uint8Array): boolean {
  const solid = [0x73, 0x6f, 0x6c, 0x69, 0x64]
  for (let off = 0; off < 5; off++) {
    if (solid.every((c, i) => bytes[off + i] === c)) return true
  }
  return false
}

export function checkStl(bytes: Uint8Array): StlCheck {
  if (bytes.byteLength === 0) return { ok: false, problem: 'the file is empty.' }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = bytes.byteLength >= HEADER + 4 ? view.getUint32(HEADER, true) : null
  const expected = count === null ? null : HEADER + 4 + count * TRIANGLE
  // The same order as STLLoader: an exact binary length wins, then "solid" means text.
  if (count !== null && expected === bytes.byteLength) {
    return count === 0 ? { ok: false, problem: 'the file holds no triangles.' } : { ok: true, format: 'binary', triangles: count }
  }
  if (startsWithSolid(bytes)) {
    const text = new TextDecoder().decode(bytes)
    if (!/facet[\s\S]*?vertex[\s\S]*?endfacet/.test(text)) return { ok: false, problem: 'it starts like a text STL ("solid") but holds no facets.' }
    return { ok: true, format: 'ascii', triangles: null }
  }
  if (count === null) return { ok: false, problem: `it is ${bytes.byteLength} bytes, too short for an STL file (a binary STL has an 84-byte header).` }
  if (count === 0) return { ok: false, problem: 'the file holds no triangles.' }
  if (expected !== null && expected > bytes.byteLength) {
    return {
      ok: false,
      problem: `it is not a text STL, and as a binary STL it claims ${count} triangles (${expected} bytes) but has only ${bytes.byteLength} bytes; it may be truncated or not an STL at all.`,
    }
  }
  // Trailing bytes after the last triangle: STLLoader reads the triangles and ignores the rest.
  return { ok: true, format: 'binary', triangles: count }
}

/** Checks the mesh STLLoader produced: triangles, and coordinates that are all numbers. */
export function checkPositions(positions: ArrayLike<number>): string | null {
  if (positions.length < 9) return 'no triangles could be read from it.'
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i])) return 'some of its coordinates are not numbers.'
  }
  return null
}

/** How much of a file `checkStlFile` reads: enough for the binary header and the first text facets. */
const HEAD_BYTES = 64 * 1024

/**
 * `checkStl` for a file about to be attached, reading only its start (a binary STL's length is
 * checked against the file's size; a text STL's first facets must be in its first 64 KiB).
 */
export async function checkStlFile(file: Blob): Promise<StlCheck> {
  if (file.size <= HEAD_BYTES) return checkStl(new Uint8Array(await file.arrayBuffer()))
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer())
  const count = new DataView(head.buffer).getUint32(HEADER, true)
  if (HEADER + 4 + count * TRIANGLE === file.size && count > 0) return { ok: true, format: 'binary', triangles: count }
  if (startsWithSolid(head)) {
    const text = new TextDecoder().decode(head)
    return /facet[\s\S]*?vertex[\s\S]*?endfacet/.test(text) ? { ok: true, format: 'ascii', triangles: null } : { ok: false, problem: 'it starts like a text STL ("solid") but holds no facets.' }
  }
  return checkStl(head).ok ? { ok: true, format: 'binary', triangles: count } : { ok: false, problem: `it is neither a text STL nor a binary STL of ${count} triangles (${HEADER + 4 + count * TRIANGLE} bytes; the file has ${file.size}).` }
}
