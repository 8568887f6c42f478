/**
 * Seeded randomness for the frame fuzzer: a small PRNG (mulberry32), one seed per case derived
 * from the run's seed and the case's index (so any case can be regenerated alone), and junk:
 * values of every CBOR shape, and mutations of real bytes.
 */

export class Rng {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  float(): number {
    return this.next() / 2 ** 32
  }

  /** 0 ≤ n < max. */
  int(max: number): number {
    return Math.floor(this.float() * max)
  }

  bool(p = 0.5): boolean {
    return this.float() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff
    return out
  }

  /** A size that is usually small and sometimes large: 0..max, log-distributed. */
  size(max: number): number {
    return Math.min(max, Math.floor(Math.exp(this.float() * Math.log(max + 1))) - 1 + this.int(2))
  }
}

/** The seed of case `index` of a run seeded `run`: independent of every other case. */
export function caseSeed(run: number, index: number): number {
  let h = (run ^ 0x9e3779b9) >>> 0
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

const STRINGS = ['', 'join', 'sync', 'request', 'peer', 'error', 'ephemeral', 'doc-unavailable', '__proto__', 'constructor', 'toString', '../../../x', '\u0000', '\ud800', '💥', 'automerge:', '12D3KooW', 'a'.repeat(300)]

/** A random string: short, long, unicode, lone surrogates, familiar words. */
export function junkString(rng: Rng): string {
  switch (rng.int(4)) {
    case 0:
      return rng.pick(STRINGS)
    case 1:
      return Array.from({ length: rng.size(40) }, () => String.fromCharCode(rng.int(0x3000))).join('')
    case 2:
      return 'x'.repeat(rng.size(200_000))
    default:
      return Buffer.from(rng.bytes(rng.size(60))).toString('base64')
  }
}

/** A random value of any shape CBOR can carry (and some it carries badly). */
export function junkValue(rng: Rng, depth = 0): unknown {
  const leaf = depth > 3 || rng.bool(0.4)
  const k = leaf ? rng.int(9) : 9 + rng.int(3)
  switch (k) {
    case 0:
      return null
    case 1:
      return undefined
    case 2:
      return rng.bool()
    case 3:
      return rng.pick([0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -0])
    case 4:
      return rng.int(1000)
    case 5:
    case 6:
      return junkString(rng)
    case 7:
      return rng.bytes(rng.size(4096))
    case 8:
      return BigInt(rng.next()) * 2n ** 64n
    case 9:
      return Array.from({ length: rng.size(20) }, () => junkValue(rng, depth + 1))
    default: {
      const out: Record<string, unknown> = {}
      for (let i = rng.size(8); i > 0; i--) out[rng.bool(0.6) ? rng.pick(STRINGS) : junkString(rng).slice(0, 30)] = junkValue(rng, depth + 1)
      return out
    }
  }
}

/** `bytes` damaged: bits flipped, cut short, spliced, repeated or padded. */
export function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes)
  switch (rng.int(5)) {
    case 0:
      for (let i = 1 + rng.int(8); i > 0 && out.length > 0; i--) out[rng.int(out.length)]! ^= 1 << rng.int(8)
      return out
    case 1:
      return out.subarray(0, rng.int(out.length + 1))
    case 2: {
      const at = rng.int(out.length + 1)
      return Uint8Array.from([...out.subarray(0, at), ...rng.bytes(rng.size(64)), ...out.subarray(at)])
    }
    case 3:
      return Uint8Array.from([...out, ...out])
    default:
      if (out.length > 0) out[rng.int(out.length)] = rng.pick([0x00, 0xff, 0xf6, 0xf7, 0x9f, 0xbf, 0x5f, 0x7f, 0x1b])
      return out
  }
}

/** An unsigned LEB128 varint, possibly longer than any limit allows, or not terminated. */
export function hugePrefix(rng: Rng): Uint8Array {
  switch (rng.int(4)) {
    case 0:
      return Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]) // ~34 bits
    case 1:
      return Uint8Array.from(Array.from({ length: 6 + rng.int(10) }, () => 0x80 | rng.int(128))) // never ends
    case 2:
      return Uint8Array.from([0x00]) // zero length
    default: {
      const n = 2 ** (20 + rng.int(15)) + rng.int(1000)
      const out: number[] = []
      let rest = n
      while (rest >= 0x80) {
        out.push((rest % 0x80) | 0x80)
        rest = Math.floor(rest / 0x80)
      }
      out.push(rest)
      return Uint8Array.from(out)
    }
  }
}
