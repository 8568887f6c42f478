/** A target maintainer's verdict on a proposal's latest revision, with a comment. */
import { createSignal } from 'solid-js'
import { describeError } from '../peer/errors.js'
import { ErrorNotice } from './Notice.js'

export function ReviewForm(props: { onReview: (verdict: 'accept' | 'reject', comment: string) => Promise<void> }) {
  const [comment, setComment] = createSignal('')
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  async function review(verdict: 'accept' | 'reject') {
    setBusy(true)
    setError(null)
    try {
      await props.onReview(verdict, comment())
      setComment('')
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="card" aria-label="Review" onSubmit={(e) => e.preventDefault()}>
      <h2>Review</h2>
      <div class="field">
        <label for="review-comment">Comment</label>
        <textarea id="review-comment" rows="3" value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />
      </div>
      <ErrorNotice message={error()} />
      <div class="row">
        <button type="button" disabled={busy()} onClick={() => void review('accept')}>
          Accept and merge
        </button>
        <button type="button" class="danger" disabled={busy()} onClick={() => void review('reject')}>
          Reject
        </button>
      </div>
    </form>
  )
}
