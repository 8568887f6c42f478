import { createRoot } from 'solid-js'
import { describe, expect, it, vi } from 'vitest'
import { watchDocuments } from '../src/peer/design-view.js'
import type { Peer } from '../src/peer/peer.js'

/** A handle that counts its listeners, as automerge-repo's DocHandle emits 'change'. */
function handle() {
  const listeners = new Set<() => void>()
  return { listeners, on: (_: string, f: () => void) => listeners.add(f), off: (_: string, f: () => void) => listeners.delete(f), change: () => listeners.forEach((f) => f()) }
}

describe('watching a page’s documents', () => {
  it('stops listening when the page goes, even when it goes before the documents were found', async () => {
    vi.useFakeTimers()
    try {
      const h = handle()
      const peer = { repo: { find: async () => h } } as unknown as Peer
      const onChange = vi.fn()
      let dispose!: () => void
      createRoot((d) => {
        dispose = d
        watchDocuments(peer, ['a' as never], onChange)
      })
      await vi.advanceTimersByTimeAsync(0)
      expect(h.listeners.size).toBe(1)
      await vi.advanceTimersByTimeAsync(300)
      expect(onChange).toHaveBeenCalledTimes(1)
      h.change()
      await vi.advanceTimersByTimeAsync(300)
      expect(onChange).toHaveBeenCalledTimes(2)
      dispose()
      expect(h.listeners.size).toBe(0)
      h.change()
      await vi.advanceTimersByTimeAsync(300)
      expect(onChange).toHaveBeenCalledTimes(2)

      // Gone before the find resolved: it never starts listening.
      const late = handle()
      let found!: (x: unknown) => void
      const slow = { repo: { find: () => new Promise((r) => (found = r)) } } as unknown as Peer
      createRoot((d) => {
        watchDocuments(slow, ['b' as never], onChange)
        d()
      })
      found(late)
      await vi.advanceTimersByTimeAsync(300)
      expect(late.listeners.size).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})
