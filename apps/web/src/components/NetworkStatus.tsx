/** Always visible: online or offline, the hub, and how many peers this browser syncs with. */
import { Show } from 'solid-js'
import type { NetworkState } from '../peer/peer.js'

export function NetworkStatus(props: { state: NetworkState; onRetry?: () => void }) {
  const hubText = () =>
    props.state.hub === 'connected' ? 'hub connected' : props.state.hub === 'connecting' ? 'connecting to hub…' : 'hub unreachable'
  return (
    <div class="net" role="status" aria-live="polite" title={props.state.error ?? ''}>
      <span class={`dot ${props.state.online ? (props.state.hub === 'connected' ? 'ok' : 'warn') : 'off'}`} aria-hidden="true" />
      <span>{props.state.online ? 'online' : 'offline'}</span>
      <span>· {hubText()}</span>
      <span>
        · {props.state.syncPeers.length} sync peer{props.state.syncPeers.length === 1 ? '' : 's'}, {props.state.connections} connection
        {props.state.connections === 1 ? '' : 's'}
      </span>
      <Show when={props.state.hub === 'unreachable' && props.state.online && props.onRetry}>
        <button type="button" class="link" onClick={() => props.onRetry?.()}>
          retry
        </button>
      </Show>
    </div>
  )
}
