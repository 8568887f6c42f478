import { describe, expect, it } from 'vitest'
import { cleanDisplayName, MAX_DISPLAY_NAME_LENGTH } from '../src/index.js'
import { seededRandom } from '../src/random.js'

/** cleanDisplayName as it is specified, every step for every name (the fast path must agree with it). */
function reference(raw: string): string | null {
  const cleaned = raw
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/(?![\u200C\u200D])\p{Cf}/gu, '')
    .replace(/\s+/gu, ' ')
    .trim()
  if (cleaned === '') return null
  const graphemes = Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(cleaned), (g) => g.segment)
  if (graphemes.length <= MAX_DISPLAY_NAME_LENGTH) return cleaned
  return `${graphemes.slice(0, MAX_DISPLAY_NAME_LENGTH - 1).join('').trimEnd()}…`
}

const PIECES = ['a', 'Z', '7', ' ', '  ', '-', '~', '\t', '\n', '\u007f', '\u00a0', 'é', 'e\u0301', '\u200d', '\u202e', '\u2028', '👩‍🔧', 'ĩ', '\u0000']

describe('display names (cleanDisplayName)', () => {
  it('cleans plain ASCII names and any others as the full Unicode steps do (seeded)', () => {
    const random = seededRandom(0x5eed_d15b)
    for (let i = 0; i < 2_000; i++) {
      const ascii = random() < 0.5
      const length = Math.floor(random() * (random() < 0.2 ? 3 * MAX_DISPLAY_NAME_LENGTH : 20))
      let name = ''
      for (let j = 0; j < length; j++) {
        name += ascii ? String.fromCharCode(0x20 + Math.floor(random() * 0x5f)) : PIECES[Math.floor(random() * PIECES.length)]!
      }
      expect(cleanDisplayName(name), JSON.stringify(name)).toBe(reference(name))
    }
  })
})
