/** The results table printed at the end of a run. */

export interface Row {
  benchmark: string
  /** Milliseconds. */
  libp2p: number
  stock: number
}

export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return 'failed'
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  if (ms >= 100) return `${ms.toFixed(0)} ms`
  if (ms >= 10) return `${ms.toFixed(1)} ms`
  return `${ms.toFixed(2)} ms`
}

export function renderTable(rows: readonly Row[]): string {
  const head = ['benchmark', 'libp2p', 'stock ws', 'ratio (libp2p/stock)']
  const body = rows.map((r) => [r.benchmark, formatMs(r.libp2p), formatMs(r.stock), Number.isNaN(r.libp2p / r.stock) ? '—' : (r.libp2p / r.stock).toFixed(2)])
  return renderGrid(head, body)
}

/** Any table in the same style: the first column left-aligned, the others right-aligned. */
export function renderGrid(head: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)))
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('   ')
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')
}
