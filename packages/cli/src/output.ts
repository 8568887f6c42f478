/**
 * Where output goes. With --json, each command prints one JSON value on stdout; without, short
 * readable lines. Progress goes to stderr, only when stderr is a terminal.
 */

/** The process around the CLI: streams and environment. The hub can pass its own. */
export interface Io {
  stdout(text: string): void
  stderr(text: string): void
  env: Readonly<Record<string, string | undefined>>
  /** Whether stderr is a terminal (progress is shown only then). */
  stderrIsTTY: boolean
}

export class Output {
  /** Results not printed yet: a result is a promise that what the command wrote is on disk. */
  #held: string[] | null = []

  constructor(
    readonly io: Io,
    readonly json: boolean,
  ) {}

  /**
   * A command's result: `data` as JSON with --json, else the human lines. Held back until
   * `release()`, which main calls once the command's writes are on disk; a command that fails
   * before then prints its error and no result.
   */
  result(data: unknown, human: () => string | readonly string[]): void {
    let text: string
    if (this.json) text = `${JSON.stringify(data, null, 2)}\n`
    else {
      const shown = human()
      const lines = typeof shown === 'string' ? [shown] : shown
      if (lines.length === 0) return
      text = `${lines.join('\n')}\n`
    }
    if (this.#held !== null) this.#held.push(text)
    else this.io.stdout(text)
  }

  /** Prints the results held back, and from now on prints them at once. */
  release(): void {
    const held = this.#held ?? []
    this.#held = null
    for (const text of held) this.io.stdout(text)
  }

  /** Plain text on stdout (help, version). */
  text(text: string): void {
    this.io.stdout(text.endsWith('\n') ? text : `${text}\n`)
  }

  /** A progress line on stderr, only when stderr is a terminal. */
  progress(text: string): void {
    if (this.io.stderrIsTTY) this.io.stderr(`${text}\n`)
  }

  /**
   * A progress bar on stderr, redrawn in place, only when stderr is a terminal; the line ends once
   * `done` reaches `total`. Redraws at most once per percent.
   */
  bar(done: number, total: number, label: string): void {
    if (!this.io.stderrIsTTY) return
    const fraction = total === 0 ? 1 : Math.min(1, done / total)
    const percent = Math.floor(fraction * 100)
    if (percent === this.#lastPercent && done < total) return
    this.#lastPercent = percent
    const width = 30
    const filled = Math.round(fraction * width)
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1)
    this.io.stderr(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(percent).padStart(3)}% ${mb(done)}/${mb(total)} MB ${label}${done >= total ? '\n' : ''}`)
    if (done >= total) this.#lastPercent = -1
  }

  #lastPercent = -1

  /** A note for people on stderr (never with --json output mixed in). */
  note(text: string): void {
    this.io.stderr(`${text}\n`)
  }
}

// ---- formatting helpers -----------------------------------------------------------------

/** Pads columns so a list of rows reads as a table. */
export function table(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd())
}

/** A person id, shortened for reading: every Ed25519 id starts with the same "12D3KooW". */
export function shortId(id: string): string {
  return id.length > 16 ? `…${id.slice(-8)}` : id
}

/**
 * A person as people read them: their display name with the end of their id ("Alice · …Hnf2iNab"),
 * or the short id alone when no record names them. Names are self-asserted and not unique, so the
 * id is never left out.
 */
export function person(id: string, name: string | null | undefined): string {
  return name ? `${name} · ${shortId(id)}` : shortId(id)
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}

/** A time claimed by a peer: '' when it is not a representable date. */
export function isoTimeOrEmpty(ms: number): string {
  return Number.isFinite(ms) && ms > 0 && ms <= 8.64e15 ? isoTime(ms) : ''
}

/** A value from a diff or conflict, shown compactly. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'none'
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
