/**
 * A Commons whose every operation returns only once what it wrote is in IndexedDB.
 *
 * automerge-repo saves a changed document at most every 100 ms (`saveDebounceRate`); a page
 * reloaded or closed inside that window loses the edit, and a browser gives no time to finish an
 * async IndexedDB write on unload. So each call that returns a promise is followed by a flush of
 * the repo's ready documents (cheap for the unchanged ones: automerge-repo skips documents whose
 * heads it already saved). Wrapping the whole object rather than listing write methods means a
 * write operation added to core later is covered without anyone remembering to.
 */
import type { Repo } from '@automerge/automerge-repo'
import { flushReady, type Commons } from '@cosmolocal/core'

export function durableCommons(commons: Commons, repo: Repo): Commons {
  return new Proxy(commons, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args)
        if (!(result instanceof Promise)) return result
        return result.then(async (v: unknown) => {
          await flushReady(repo)
          return v
        })
      }
    },
  })
}
