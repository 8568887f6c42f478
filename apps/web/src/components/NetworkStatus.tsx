/**
 * Always visible: online or offline, the hub, peers, and whether this browser's designs are in
 * sync with the hub (with the count of changes it has not acknowledged yet). The details list
 * every connection with its transport, and every design's sync state.
 */
import { For, Show } from 'solid-js'
import type { NetworkState } from '../peer/peer.js'
import type { DesignSync, SyncStatus } from '../peer/sync-state.js'
import { href } from '../router.js'

const STATUS_TEXT: Record<SyncStatus, string> = {
  'in-sync': 'in sync',
  pending: 'changes not on the hub yet',
  behind: 'receiving changes',
  unknown: 'not checked yet',
}

const short = (id: string) => (id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id)

export function syncSummary(designs: readonly DesignSync[]): string {
  const pending = designs.reduce((n, d) => n + d.pending, 0)
  if (pending > 0) return `${pending} change${pending === 1 ? '' : 's'} pending`
  if (designs.length === 0) return 'no designs yet'
  if (designs.every((d) => d.status === 'in-sync')) return 'all designs in sync'
  return 'syncing…'
}

export function NetworkStatus(props: { state: NetworkState; designs: readonly DesignSync[]; onRetry?: () => void }) {
  const hubText = () =>
    props.state.hub === 'connected' ? 'hub connected' : props.state.hub === 'connecting' ? 'connecting to hub…' : 'hub unreachable'
  const browsers = () => props.state.links.filter((l) => !l.hub).length
  return (
    <div class="net">
      <div class="net-line" role="status" aria-live="polite" aria-label="Network status" title={props.state.error ?? ''}>
        <span class={`dot ${props.state.online ? (props.state.hub === 'connected' ? 'ok' : 'warn') : 'off'}`} aria-hidden="true" />
        <span>{props.state.online ? 'online' : 'offline'}</span>
        <span>· {hubText()}</span>
        <span>
          · {browsers()} peer{browsers() === 1 ? '' : 's'}
        </span>
        <span data-testid="sync-summary">· {syncSummary(props.designs)}</span>
        <Show when={props.state.hub === 'unreachable' && props.state.online && props.onRetry}>
          <button type="button" class="link" onClick={() => props.onRetry?.()}>
            retry
          </button>
        </Show>
      </div>
      <details class="net-details">
        <summary>Network details</summary>
        <div class="net-panel">
          <p class="net-summary">
            {props.state.online ? 'Online' : 'Offline'} · {hubText()} · {browsers()} peer{browsers() === 1 ? '' : 's'} · {syncSummary(props.designs)}
          </p>
          <Show when={props.state.error}>
            <p class="field-error">{props.state.error}</p>
          </Show>
          <h2>Connections</h2>
          <Show when={props.state.links.length > 0} fallback={<p class="muted">No open connections.</p>}>
            <ul aria-label="Connections">
              <For each={props.state.links}>
                {(l) => (
                  <li data-transport={l.transport} data-peer={l.peer}>
                    {l.hub ? 'hub' : 'peer'} <code title={l.peer}>{short(l.peer)}</code> · {l.transport}
                    {props.state.syncPeers.includes(l.peer) ? ' · syncing' : ''}
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <p class="muted">
            {props.state.relayed
              ? "Other browsers can reach this one through the hub's relay."
              : "Other browsers cannot reach this one yet (no slot on the hub's relay)."}
          </p>
          <h2>Designs</h2>
          <Show when={props.designs.length > 0} fallback={<p class="muted">This browser holds no designs yet.</p>}>
            <ul aria-label="Design sync states">
              <For each={props.designs}>
                {(d) => (
                  <li data-status={d.status}>
                    <a href={href({ page: 'design', id: d.url })}>{d.title}</a>: {STATUS_TEXT[d.status]}
                    {d.pending > 0 ? ` (${d.pending} pending)` : ''}
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </div>
      </details>
    </div>
  )
}
