/**
 * A live page's resource given in steps: every step shows until a fetch of the source has completed
 * once (a design page's first paint from the state last verified here, then the design read from its
 * documents, then its history); after that a reload shows only its last step, never a partial view
 * over a complete one.
 */
import { createRoot, createSignal } from 'solid-js'
import { describe, expect, it } from 'vitest'
import { createLiveResource } from '../src/peer/live-resource.js'

/** A fetch whose steps are let through one at a time. */
function steppedFetch() {
  const gates: (() => void)[] = []
  const next = () => new Promise<void>((r) => gates.push(r))
  let run = 0
  async function* fetch(source: string): AsyncGenerator<string> {
    const n = ++run
    await next()
    yield `${source} ${n}: first`
    await next()
    yield `${source} ${n}: second`
    await next()
    yield `${source} ${n}: complete`
  }
  const step = async () => {
    for (let i = 0; i < 100 && gates.length === 0; i++) await new Promise((r) => setTimeout(r, 1))
    gates.shift()!()
    await new Promise((r) => setTimeout(r, 5))
  }
  return { fetch, step }
}

describe('a live resource given in steps', () => {
  it('shows every step of the first load, then only the last step of a reload', async () => {
    const { fetch, step } = steppedFetch()
    await createRoot(async (dispose) => {
      const [source] = createSignal('loom')
      const r = createLiveResource(source, fetch)
      const shown: (string | undefined)[] = []
      const note = () => shown.push(r.latest())
      await step()
      note()
      await step()
      note()
      await step()
      note()
      expect(shown).toEqual(['loom 1: first', 'loom 1: second', 'loom 1: complete'])

      const reloaded = r.refetch()
      await step()
      expect(r.latest()).toBe('loom 1: complete')
      await step()
      expect(r.latest()).toBe('loom 1: complete')
      await step()
      await reloaded
      expect(r.latest()).toBe('loom 2: complete')
      dispose()
    })
  })

  it('keeps showing the steps of a load that failed before completing, and its error', async () => {
    await createRoot(async (dispose) => {
      const [source] = createSignal('loom')
      let fail = true
      async function* fetch(s: string): AsyncGenerator<string> {
        yield `${s}: last verified`
        if (fail) throw new Error('documents missing')
        yield `${s}: checked`
      }
      const r = createLiveResource(source, fetch)
      await new Promise((done) => setTimeout(done, 10))
      expect(r.latest()).toBe('loom: last verified')
      expect((r.error() as Error).message).toBe('documents missing')
      fail = false
      // Not complete yet: the reload's steps show, and the complete value clears the error.
      await r.refetch()
      expect(r.latest()).toBe('loom: checked')
      expect(r.error()).toBeUndefined()
      dispose()
    })
  })

  it('a reload begun while the first load is slow shows the reload, not the first load finishing after it', async () => {
    await createRoot(async (dispose) => {
      const [source] = createSignal('loom')
      // Each fetch waits until the test lets it finish, with what the documents held when it began.
      const waiting: (() => void)[] = []
      let reports = 0
      const fetch = (s: string) => {
        const seen = reports
        return new Promise<string>((resolve) => waiting.push(() => resolve(`${s}: ${seen} build report(s)`)))
      }
      const r = createLiveResource(source, fetch)
      await new Promise((done) => setTimeout(done, 5))
      // A build is reported while the first load is still running, and the page reloads.
      reports = 1
      const reloaded = r.refetch()
      await new Promise((done) => setTimeout(done, 5))
      expect(waiting).toHaveLength(2)
      waiting[1]!()
      await reloaded
      expect(r.latest()).toBe('loom: 1 build report(s)')
      waiting[0]!()
      await new Promise((done) => setTimeout(done, 5))
      expect(r.latest()).toBe('loom: 1 build report(s)')
      dispose()
    })
  })

  it('a reload begun while a stepped first load is still running drops that load\'s later steps', async () => {
    const { fetch, step } = steppedFetch()
    await createRoot(async (dispose) => {
      const [source] = createSignal('loom')
      const r = createLiveResource(source, fetch)
      await step()
      expect(r.latest()).toBe('loom 1: first')
      const reloaded = r.refetch()
      // Gates open in the order they were asked for: run 1's second step, then run 2's steps.
      await step()
      expect(r.latest()).toBe('loom 1: first')
      await step()
      expect(r.latest()).toBe('loom 2: first')
      await step()
      await step()
      await reloaded
      expect(r.latest()).toBe('loom 2: complete')
      dispose()
    })
  })
})
