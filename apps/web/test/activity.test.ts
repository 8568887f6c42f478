import { createRoot } from 'solid-js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { activityStore } from '../src/peer/activity.js'
import type { Peer } from '../src/peer/peer.js'

/** A peer whose Commons counts the inbox's computations (the inbox reads every followed design). */
function peer() {
  const activity = vi.fn(async () => ({ items: [], unread: 0, documents: [], missing: [] }))
  return { peer: { identity: null, commons: { activity } } as unknown as Peer, activity }
}

describe('the activity inbox', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('is computed after the first page rendered, not in the idle time while that page still loads', async () => {
    const { peer: p, activity } = peer()
    let dispose!: () => void
    createRoot((d) => {
      dispose = d
      activityStore(p)
    })
    try {
      // The page is idle (waiting for storage, say) but has not rendered its heading.
      await new Promise((r) => setTimeout(r, 300))
      expect(activity).not.toHaveBeenCalled()
      document.body.innerHTML = '<main><h1>A design</h1></main>'
      await vi.waitFor(() => expect(activity).toHaveBeenCalledTimes(1), { timeout: 3_000 })
    } finally {
      dispose()
    }
  })
})
