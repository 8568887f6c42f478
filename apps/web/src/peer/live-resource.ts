/**
 * What a live page loads: the last value that loaded, and the last error, kept apart.
 *
 * Solid's `resource.latest` (and `resource()`) throw once a fetch has failed. A page that shows
 * "unavailable" when the first load fails, and keeps showing the last good value when a live
 * reload fails, cannot read them: the throw escapes to the top (an uncaught error, the page
 * frozen at "Finding…"). Here the fetch never rejects; a failure sets `error` and leaves `latest`
 * as it was for the same source, and a new source starts empty.
 *
 * A fetch may give its value in steps (an async iterable: a first view, then the complete one).
 * Every step shows until a fetch of the source has completed once; after that, a reload replaces
 * the value only with its last step, so a live reload never shows a partial view over a complete one.
 *
 * Only the latest fetch may show anything: a reload begun while an earlier fetch is still running
 * (a change arriving while the page's first load is slow, on a busy machine) makes that earlier
 * fetch's results stale, and one finishing after the reload would otherwise put the older value
 * back over the newer (a build report just made vanished from its own page that way).
 */
import { createResource, createSignal, type Accessor } from 'solid-js'

export interface LiveResource<T> {
  latest: Accessor<T | undefined>
  error: Accessor<unknown>
  loading: Accessor<boolean>
  /** Loads again; resolves once the load finished (failed or not). */
  refetch: () => Promise<void>
}

/** A source of undefined, null or false loads nothing until it is set (Solid's resource rule). */
export function createLiveResource<S, T>(source: Accessor<S | undefined | null | false>, fetch: (source: S) => Promise<T> | AsyncIterable<T>): LiveResource<T> {
  const [latest, setLatest] = createSignal<T | undefined>()
  const [error, setError] = createSignal<unknown>()
  let current: { source: S; complete: boolean } | null = null
  let generation = 0
  const [resource, { refetch }] = createResource(source, async (s) => {
    const mine = ++generation
    const stale = () => mine !== generation
    if (current === null || current.source !== s) {
      current = { source: s, complete: false }
      setLatest(undefined)
      setError(undefined)
    }
    try {
      const result = fetch(s)
      let last: { value: T } | null = null
      if (Symbol.asyncIterator in result) {
        for await (const step of result) {
          // A later fetch runs: this one's steps, and its end, are no longer news (the loop's end stops its work).
          if (stale()) return true
          last = { value: step }
          if (!current.complete) setLatest(() => step)
        }
      } else last = { value: await result }
      const done = last
      if (stale()) return true
      // Not stale: this is the latest fetch, so `current` is its source's.
      if (done !== null) {
        current.complete = true
        setLatest(() => done.value)
        setError(undefined)
      }
    } catch (err) {
      if (!stale()) setError(() => err)
    }
    return true
  })
  return { latest, error, loading: () => resource.loading, refetch: async () => {
    await refetch()
  } }
}
