/** What a maker needs to build a design: BOM totals per unit, the BOM as CSV, file names for downloads. */
import type { BomRow } from '@cosmolocal/core'

/** Quantities added up per unit ("pcs", "m", "kg"), units in order of first use. */
export function bomTotals(rows: readonly BomRow[]): { unit: string; quantity: number; rows: number }[] {
  const out = new Map<string, { unit: string; quantity: number; rows: number }>()
  for (const r of rows) {
    const t = out.get(r.unit) ?? { unit: r.unit, quantity: 0, rows: 0 }
    // Rounded to what people type: 0.1 + 0.2 shows as 0.3.
    t.quantity = Math.round((t.quantity + r.quantity) * 1e9) / 1e9
    t.rows++
    out.set(r.unit, t)
  }
  return [...out.values()]
}

/** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading =, +, - or @ is prefixed with ' so spreadsheets show it as text. */
function field(v: string | number): string {
  let s = String(v)
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** The BOM as CSV: part, quantity, unit, material, notes; one row per part, in BOM order. */
export function bomCsv(rows: readonly BomRow[]): string {
  const lines = [['Part', 'Quantity', 'Unit', 'Material', 'Notes'], ...rows.map((r) => [r.name, r.quantity, r.unit, r.material, r.notes])]
  return `${lines.map((l) => l.map(field).join(',')).join('\r\n')}\r\n`
}

/** A download's file name from a design's title: letters, digits, dashes. */
export function baseName(title: string): string {
  return title.trim().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'design'
}

export const zipName = (title: string) => `${baseName(title)}-files.zip`
export const csvName = (title: string) => `${baseName(title)}-bom.csv`
