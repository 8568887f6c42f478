/**
 * Catalogue answers on the wire. Encoding an entry in DAG-CBOR costs far more than copying its
 * bytes (about a second per thousand entries on a busy machine), and a hub answers the same
 * entries page after page, so each entry's encoding is kept and a page is the concatenation of
 * its entries' bytes inside a map written here. The bytes are exactly `dagCbor.encode(answer)`.
 *
 * Cached by entry object: the catalogue builds a new entry object whenever a design's entry
 * changes (and never mutates one it has published), so a changed entry is simply a new key and the
 * old bytes go with the old object (a WeakMap: nothing to invalidate, nothing that outlives it).
 */
import * as dagCbor from '@ipld/dag-cbor'
import type { CatalogueEntry, CatalogueResponse } from './protocols.js'

export class EncodedEntries {
  readonly #bytes = new WeakMap<CatalogueEntry, Uint8Array>()
  /** Entries encoded since start (a cached one is not counted again): for tests and the log. */
  encodes = 0

  /** The DAG-CBOR bytes of one entry, encoded on first use. */
  of(entry: CatalogueEntry): Uint8Array {
    let bytes = this.#bytes.get(entry)
    if (bytes === undefined) {
      bytes = dagCbor.encode(entry)
      this.#bytes.set(entry, bytes)
      this.encodes++
    }
    return bytes
  }
}

/** DAG-CBOR orders map keys by length, then bytewise (RFC 7049 canonical order). */
const keyOrder = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)

/** A CBOR head (major type, argument) in its shortest form, as DAG-CBOR requires. */
function head(major: number, n: number): Uint8Array {
  const m = major << 5
  if (n < 24) return Uint8Array.of(m | n)
  if (n < 0x100) return Uint8Array.of(m | 24, n)
  if (n < 0x10000) return Uint8Array.of(m | 25, n >> 8, n & 0xff)
  return Uint8Array.of(m | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
}

/** The bytes of a catalogue-protocol answer; a catalogue page's entries come from `entries`. */
export function encodeCatalogueResponse(answer: CatalogueResponse, entries: EncodedEntries): Uint8Array {
  if (!('want' in answer) || answer.want !== 'catalogue') return dagCbor.encode(answer)
  const parts: Uint8Array[] = []
  const fields = answer as unknown as Record<string, unknown>
  const keys = Object.keys(fields).sort(keyOrder)
  parts.push(head(5, keys.length))
  for (const key of keys) {
    parts.push(dagCbor.encode(key))
    if (key === 'designs') {
      parts.push(head(4, answer.designs.length))
      for (const e of answer.designs) parts.push(entries.of(e))
    } else {
      parts.push(dagCbor.encode(fields[key]))
    }
  }
  let length = 0
  for (const p of parts) length += p.byteLength
  const out = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.byteLength
  }
  return out
}
