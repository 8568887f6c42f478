/**
 * Follow / unfollow a design: its activity then shows in this browser's inbox (or stops showing).
 * Kept in this browser only; nothing is signed or sent. Following starts now: what happened
 * before is marked read.
 */
import { createSignal } from 'solid-js'
import { activityStore } from '../peer/activity.js'
import { toId } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { follow, followed, follows, unfollow } from '../peer/follows.js'

export function FollowButton(props: { design: string; title: string }) {
  const peer = usePeer()
  const me = peer.identity?.id ?? null
  const [busy, setBusy] = createSignal(false)
  const following = () => followed(me, follows()).includes(toId(props.design))
  async function toggle() {
    setBusy(true)
    try {
      if (following()) unfollow(props.design)
      else {
        const id = toId(props.design)
        const now = await peer.commons.activity([id], follows().marks).catch(() => null)
        follow(props.design, now?.keys[id] ?? [])
      }
      activityStore(peer).refresh()
    } finally {
      setBusy(false)
    }
  }
  return (
    <button type="button" class="secondary follow" aria-pressed={following()} disabled={busy()} onClick={() => void toggle()} title={following() ? `Stop listing what happens on "${props.title}" in your inbox` : `List what happens on "${props.title}" in your inbox`}>
      {following() ? 'Following' : 'Follow'}
    </button>
  )
}
