/**
 * A design's needs: its open tasks and wishes, signed by whoever opened them, claimed by whoever
 * is on them. Open ones first (newest first, as core orders them); closed ones on request.
 */
import type { DesignContent, NeedInput, PersonNames, VerifiedNeeds } from '@cosmolocal/core'
import { createSignal, For, Show } from 'solid-js'
import { IgnoredRecords } from './IgnoredRecords.js'
import { NeedForm } from './NeedForm.js'
import './social.css'
import { NeedItem, type NeedAct, type Resolver } from './NeedItem.js'

export interface NeedsSectionProps {
  needs: VerifiedNeeds | undefined
  content: DesignContent
  designUrl: string
  me: string
  names?: PersonNames
  maintainer: boolean
  resolvers: Resolver[]
  onOpen: (input: NeedInput) => Promise<void>
  onAct: (need: string, op: NeedAct, by?: string) => Promise<void>
  onFork?: (need: string) => Promise<void>
}

export function NeedsSection(props: NeedsSectionProps) {
  const [showClosed, setShowClosed] = createSignal(false)
  const open = () => props.needs?.needs.filter((n) => n.status !== 'closed') ?? []
  const closed = () => props.needs?.needs.filter((n) => n.status === 'closed') ?? []
  const names = () => ({ ...props.needs?.book.toJSON(), ...props.names })
  const item = (n: VerifiedNeeds['needs'][number]) => (
    <NeedItem
      need={n}
      content={props.content}
      me={props.me}
      names={names()}
      maintainer={props.maintainer}
      resolvers={props.resolvers}
      onAct={(op, by) => props.onAct(n.id, op, by)}
      onFork={props.onFork === undefined ? undefined : () => props.onFork!(n.id)}
    />
  )
  return (
    <section class="needs" aria-labelledby="needs-heading">
      <div class="section-head">
        <h2 id="needs-heading">Needs</h2>
        <Show when={props.needs}>
          {(v) => (
            <span class="muted">
              {v().summary.open} open · {v().summary.claimed} being worked on · {v().summary.closed} closed
            </span>
          )}
        </Show>
      </div>
      <Show when={props.needs !== undefined} fallback={<p class="muted">Reading needs…</p>}>
        <Show when={open().length > 0} fallback={<p class="muted">Nothing is asked for yet. Say what this design needs: a part tested, a cheaper material, a translation.</p>}>
          <ul class="need-list" aria-label="Open needs">
            <For each={open()}>{item}</For>
          </ul>
        </Show>
        <Show when={closed().length > 0}>
          <button type="button" class="link" aria-expanded={showClosed()} onClick={() => setShowClosed((s) => !s)}>
            {showClosed() ? 'Hide' : 'Show'} closed needs ({closed().length})
          </button>
          <Show when={showClosed()}>
            <ul class="need-list" aria-label="Closed needs">
              <For each={closed()}>{item}</For>
            </ul>
          </Show>
        </Show>
        {/* Merged proposals not here yet are not failures: their needs stay as their records say. */}
        <IgnoredRecords records={(props.needs?.ignored ?? []).filter((r) => r.kind === 'need')} what="design's needs" />
      </Show>
      <NeedForm content={props.content} draftName={`need/${props.designUrl}`} onOpen={props.onOpen} />
    </section>
  )
}
