/** Progress lines go to stderr, so stdout holds only the results table. */
const start = performance.now()

export function progress(line: string): void {
  const s = ((performance.now() - start) / 1000).toFixed(1).padStart(6)
  process.stderr.write(`[bench ${s} s] ${line}\n`)
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Polls `ready` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function until(ready: () => boolean, what: string, timeoutMs = 60_000, everyMs = 1): Promise<void> {
  const end = performance.now() + timeoutMs
  while (!ready()) {
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

/**
 * automerge-repo's throttle sets a negative timeout now and then, and Node warns on stderr: not a
 * finding of the bench. Every other warning is still printed.
 */
export function quietTimerWarnings(): void {
  process.removeAllListeners('warning')
  process.on('warning', (w) => {
    if (w.name !== 'TimeoutNegativeWarning') process.stderr.write(`${w.name}: ${w.message}\n`)
  })
}
