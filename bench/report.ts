/**
 * The rows every group of the bench reports: a figure measured today, the stock (or other)
 * figure it is compared with in the same run, their ratio, the target the issue sets, and whether
 * the figure meets it. Printed as one table per group; written to latest.json as they are.
 */
import { formatMs, renderGrid } from './table.ts'

export type Unit = 'ms' | 'bytes' | 'MiB'

export interface Target {
  /** How the target reads in the table, e.g. "< 0.5 s, ≤ 2×". */
  text: string
  /** The figure must be below this (in the row's unit). */
  below?: number
  /** The figure divided by the compared one must be at most this. */
  ratioAtMost?: number
  /** The figure must equal this (blob bytes copied: 0). */
  equals?: number
}

export interface BenchRow {
  benchmark: string
  unit: Unit
  /** Today's figure; NaN when it could not be measured. */
  value: number
  /** What it is compared with, measured in the same run; null when nothing is. */
  stock: number | null
  target: Target | null
  /** The figure is only a lower bound (e.g. "not ready after the deadline"). */
  atLeast?: boolean
}

export const ratioOf = (r: BenchRow): number => (r.stock === null || r.stock === 0 ? Number.NaN : r.value / r.stock)

/** True / false when the row has a target and a figure, null otherwise. */
export function meets(r: BenchRow): boolean | null {
  const t = r.target
  if (t === null || Number.isNaN(r.value)) return t === null ? null : false
  if (t.below !== undefined && !(r.value < t.below)) return false
  if (t.equals !== undefined && r.value !== t.equals) return false
  if (t.ratioAtMost !== undefined) {
    const ratio = ratioOf(r)
    if (Number.isNaN(ratio) || ratio > t.ratioAtMost) return false
  }
  // A lower bound that is under the limit says nothing about the figure itself.
  if (r.atLeast && t.below !== undefined) return false
  return true
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MB`
  if (n >= 1024) return `${(n / 1024).toFixed(1)} kB`
  return `${n} B`
}

export function formatValue(unit: Unit, v: number): string {
  if (Number.isNaN(v)) return 'failed'
  if (unit === 'bytes') return formatBytes(v)
  if (unit === 'MiB') return `${v.toFixed(0)} MiB`
  return formatMs(v)
}

export function renderRows(rows: readonly BenchRow[], stockHeading = 'compared with'): string {
  const body = rows.map((r) => {
    const ratio = ratioOf(r)
    const ok = meets(r)
    return [
      r.benchmark,
      `${r.atLeast && !Number.isNaN(r.value) ? '> ' : ''}${formatValue(r.unit, r.value)}`,
      r.stock === null ? '—' : formatValue(r.unit, r.stock),
      Number.isNaN(ratio) ? '—' : `${r.atLeast ? '> ' : ''}${ratio.toFixed(2)}`,
      r.target?.text ?? '—',
      ok === null ? '' : ok ? 'yes' : 'NO',
    ]
  })
  return renderGrid(['benchmark', 'today', stockHeading, 'ratio', 'target', 'meets'], body)
}

/** A row as latest.json holds it. */
export function rowJson(group: string, r: BenchRow) {
  return { group, ...r, value: Number.isNaN(r.value) ? null : r.value, ratio: Number.isNaN(ratioOf(r)) ? null : ratioOf(r), target: r.target?.text ?? null, meets: meets(r) }
}
