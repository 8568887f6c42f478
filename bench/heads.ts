import type { DocHandle } from '@automerge/automerge-repo'

/** Heads as one comparable string (order-independent). */
export function headsKey(heads: readonly string[]): string {
  return [...heads].sort().join(',')
}

/** Resolves when `handle` has exactly `heads` (at once if it already has). */
export function untilHeads(handle: DocHandle<unknown>, heads: string, timeoutMs: number): Promise<void> {
  if (headsKey(handle.heads()) === heads) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      handle.off('change', onChange)
      reject(new Error(`${handle.documentId} did not reach heads ${heads} in ${timeoutMs} ms`))
    }, timeoutMs)
    const onChange = () => {
      if (headsKey(handle.heads()) !== heads) return
      clearTimeout(timer)
      handle.off('change', onChange)
      resolve()
    }
    handle.on('change', onChange)
  })
}
