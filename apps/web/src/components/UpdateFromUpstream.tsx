/**
 * On a fork, for its maintainers: what the upstream signed since (its canonical content only),
 * previewed as a diff first, then taken in and signed like any edit of the fork.
 */
import type { UpdateResult } from '@cosmolocal/core'
import { createSignal, Show } from 'solid-js'
import { describeError } from '../peer/errors.js'
import { DiffView } from './DiffView.js'
import { ErrorNotice } from './Notice.js'

export interface UpdateFromUpstreamProps {
  /** The dry run: what the update would bring (null while unknown or not possible here). */
  preview: UpdateResult | null | undefined
  upstreamTitle: string
  onApply: () => Promise<void>
}

export function UpdateFromUpstream(props: UpdateFromUpstreamProps) {
  const [open, setOpen] = createSignal(false)
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string | null>(null)
  async function apply() {
    setBusy(true)
    setError(null)
    try {
      await props.onApply()
      setOpen(false)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Show when={props.preview !== null && props.preview !== undefined && !props.preview.upToDate && props.preview}>
      {(p) => (
        <section class="card" aria-label="Update from upstream">
          <Show
            when={open()}
            fallback={
              <button type="button" onClick={() => setOpen(true)}>
                Update from upstream ({p().changes} change{p().changes === 1 ? '' : 's'})
              </button>
            }
          >
            <h2>Update from “{props.upstreamTitle}”</h2>
            <p class="muted">
              What the upstream's maintainers signed since you forked or last updated: {p().changes} change{p().changes === 1 ? '' : 's'}. Taking it in signs the result as
              an edit of this fork.
            </p>
            <DiffView diff={p().diff} />
            <ErrorNotice message={error()} />
            <button type="button" class="primary" disabled={busy()} onClick={() => void apply()}>
              Take these changes and sign
            </button>
            <button type="button" class="secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </Show>
        </section>
      )}
    </Show>
  )
}
