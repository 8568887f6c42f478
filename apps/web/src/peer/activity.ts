/**
 * The activity inbox of this browser: what happened on the designs it follows (peer/follows.ts),
 * computed by core from the documents held here, and kept live: a change to any of those
 * documents (a peer's need, comment, proposal…) recomputes it. One per peer, shared by the
 * header's badge and the inbox page. Read marks stay in this browser.
 */
import { markRead, type ActivityResult } from '@cosmolocal/core'
import { createEffect, createMemo, createRoot, createSignal, on, onCleanup, type Accessor } from 'solid-js'
import { ACTIVITY_RECHECK_MS } from '../limits.js'
import { route } from '../router.js'
import { watchDocuments } from './design-view.js'
import { afterFirstRender } from './first-render.js'
import { followed, follows, setMarks } from './follows.js'
import type { Peer } from './peer.js'

/** The inbox is computed once the first page is idle, or after this long at the latest. */
const START_AFTER_MS = 2_000

export interface ActivityStore {
  activity: Accessor<ActivityResult | null>
  unread: Accessor<number>
  /** Marks every item read (or only those of one design). */
  markAllRead(design?: string): void
  refresh(): void
}

/** The store of the running peer; a new peer (a key made or imported) replaces it. */
let current: { peer: Peer; store: ActivityStore; dispose: () => void } | null = null

export function activityStore(peer: Peer): ActivityStore {
  if (current?.peer !== peer) {
    current?.dispose()
    current = createRoot((dispose) => ({ peer, store: create(peer), dispose }))
  }
  return current.store
}

function create(peer: Peer): ActivityStore {
  const me = peer.identity?.id ?? null
  const [tick, setTick] = createSignal(0)
  const [activity, setActivity] = createSignal<ActivityResult | null>(null)
  const refresh = () => setTick((t) => t + 1)
  let running = 0
  // Not part of the first render: the page a person opened comes first, the inbox in idle time
  // after it. (Idle time alone is not enough: the page is idle while it waits for IndexedDB, and
  // the inbox's reads would then queue before the page's own.)
  const [started, setStarted] = createSignal(false)
  let idle: number | null = null
  let fallback: ReturnType<typeof setTimeout> | undefined
  let disposed = false
  void afterFirstRender(START_AFTER_MS).then(() => {
    if (disposed) return
    if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(() => setStarted(true), { timeout: START_AFTER_MS })
    else fallback = setTimeout(() => setStarted(true), 0)
  })
  createEffect(
    on([tick, follows, route, started], async () => {
      if (running === -1 || !started()) return
      const run = ++running
      try {
        const result = await peer.commons.activity(followed(me), follows().marks)
        if (run === running && running !== -1) setActivity(result)
      } catch {
        // a design that cannot be read is reported by core in `missing`; anything else: try at the next change
      }
    }),
  )
  // Live: the documents the activity was computed from; a new set replaces the old watchers.
  const documents = createMemo(() => (activity()?.documents ?? []).slice().sort().join(' '), '')
  createEffect(
    on(documents, (docs) => {
      if (docs !== '') watchDocuments(peer, docs.split(' ') as never[], refresh)
    }),
  )
  const timer = setInterval(refresh, ACTIVITY_RECHECK_MS)
  onCleanup(() => {
    clearInterval(timer)
    disposed = true
    if (idle !== null) cancelIdleCallback(idle)
    clearTimeout(fallback)
    running = -1
  })
  return {
    activity,
    unread: () => activity()?.unread ?? 0,
    markAllRead(design) {
      const a = activity()
      if (a === null) return
      setMarks(markRead(follows().marks, a, design === undefined ? undefined : [design]))
    },
    refresh,
  }
}
