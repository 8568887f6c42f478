/** Order statistics over samples in milliseconds. */

function sorted(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new Error('no samples')
  return [...samples].sort((a, b) => a - b)
}

export function median(samples: readonly number[]): number {
  const s = sorted(samples)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** Nearest-rank 95th percentile: the smallest sample with at least 95 % of the samples at or below it. */
export function p95(samples: readonly number[]): number {
  const s = sorted(samples)
  return s[Math.max(1, Math.ceil(0.95 * s.length)) - 1] as number
}
