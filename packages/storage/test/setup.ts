/**
 * automerge-repo's save throttle computes a negative delay when a change comes more than its
 * delay after the last save, and Node warns (TimeoutNegativeWarning) before running the timer at
 * once, which is what the throttle means. That one upstream warning is dropped here so that a
 * test's stderr shows only what matters; every other warning is printed as Node would.
 */
process.removeAllListeners('warning')
process.on('warning', (warning) => {
  if (warning.name === 'TimeoutNegativeWarning') return
  process.stderr.write(`${warning.stack ?? `${warning.name}: ${warning.message}`}\n`)
})
