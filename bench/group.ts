/** What a group of rows (`BENCH_ONLY=<group>`) hands back to run.ts. */
import type { BenchRow } from './report.ts'

/** Rows printed as one table, under one heading for the comparison column. */
export interface Table {
  /** What the figures are compared with, e.g. "stock ws". */
  versus: string
  rows: BenchRow[]
}

export interface GroupResult {
  tables: Table[]
  /** Lines printed under the group's tables (what was not measured and why, how to read it). */
  notes: string[]
  /** Everything measured, for latest.json (under the group's name). */
  json: unknown
}

export interface Group {
  name: string
  /** One line: what the group measures, printed above its table. */
  title: string
  run(quick: boolean): Promise<GroupResult>
}

/** A group that failed as a whole still reports: no rows, one note. */
export function failedGroup(err: unknown): GroupResult {
  const message = (err instanceof Error ? (err.stack ?? err.message) : String(err)).split('\n').slice(0, 4).join(' | ')
  return { tables: [], notes: [`the group failed: ${message.slice(0, 600)}`], json: { failed: message } }
}
