/**
 * One upstream warning kept off a command's stderr. automerge-repo's throttles (its sync throttle
 * cannot be configured) hand setTimeout a negative delay when a change comes later than the
 * throttle's period, meaning "now"; Node runs the timer at once, as meant, but prints
 * TimeoutNegativeWarning, and on a busy machine that happens in ordinary commands. Only that
 * warning, and only when automerge-repo's code set the timer, is dropped; every other warning is
 * printed as Node prints it. (Process-wide: installed by the CLI's own entry points only.)
 */
let installed = false

export function quietUpstreamTimerWarnings(): void {
  if (installed) return
  installed = true
  const emit = process.emitWarning
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type
    if (type === 'TimeoutNegativeWarning' && /[\\/]@automerge[\\/]automerge-repo[\\/]/.test(new Error().stack ?? '')) return
    return (emit as (...args: unknown[]) => void).call(this, warning, ...rest)
  } as typeof process.emitWarning
}
