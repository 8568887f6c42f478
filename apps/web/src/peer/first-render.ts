/**
 * When the first page has rendered: its heading (every page leads with a `main h1`) is in the DOM
 * and the browser has had a frame to paint it. The peer starts its network then, so that loading
 * and starting libp2p does not compete with the first render of what this browser holds.
 */

const rendered = () => document.querySelector('main h1') !== null

/** Resolves once the first page has rendered, or after `maxMs` whatever the page does. */
export function afterFirstRender(maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    let done = false
    const finish = () => {
      if (done) return
      done = true
      observer?.disconnect()
      clearTimeout(timer)
      resolve()
    }
    // A frame to paint, then a task: requestAnimationFrame alone would run before the paint, and
    // does not run at all in a background tab (the timeout covers that).
    const afterPaint = () => requestAnimationFrame(() => setTimeout(finish, 0))
    const timer = setTimeout(finish, maxMs)
    let observer: MutationObserver | null = null
    if (rendered()) {
      afterPaint()
      return
    }
    observer = new MutationObserver(() => {
      if (!rendered()) return
      observer?.disconnect()
      afterPaint()
    })
    observer.observe(document.body, { childList: true, subtree: true })
  })
}
