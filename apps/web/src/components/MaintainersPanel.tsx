/**
 * Who maintains a design, and (for its maintainers) the tools the CLI has: add and remove
 * maintainers, set how many signatures a change needs, and sign what waits for a signature.
 * Every change is a signed governance record; with a threshold above one it waits for co-signers.
 */
import { describeAction, type DesignState, type PersonNames } from '@cosmolocal/core'
import { createSignal, For, Show } from 'solid-js'
import { describeError } from '../peer/errors.js'
import { PersonName } from './PersonName.js'

export interface MaintainersPanelProps {
  state: DesignState
  me: string
  names?: PersonNames
  editable: boolean
  onAdd: (person: string) => Promise<void>
  onRemove: (person: string) => Promise<void>
  onThreshold: (k: number) => Promise<void>
  onApprove: () => Promise<void>
}

/** What waits for more maintainers' signatures, in words, and whether `me` signed it. */
export function waiting(state: DesignState, me: string): { what: string; signed: boolean; signers: number; needed: number }[] {
  return [
    ...state.approvals.filter((a) => !a.approved).map((a) => ({ what: a.summary || 'a change to the content', signed: a.signers.includes(me as never), signers: a.signers.length, needed: a.needed })),
    ...state.pending.map((p) => ({ what: describeAction(p.action), signed: p.signers.includes(me as never), signers: p.signers.length, needed: p.needed })),
  ]
}

export function MaintainersPanel(props: MaintainersPanelProps) {
  const [person, setPerson] = createSignal('')
  const [addError, setAddError] = createSignal<string | null>(null)
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  const [k, setK] = createSignal<number | null>(null)
  const open = () => waiting(props.state, props.me)

  async function run(op: () => Promise<void>, onError: (m: string) => void = setError): Promise<boolean> {
    setBusy(true)
    setError(null)
    setAddError(null)
    try {
      await op()
      return true
    } catch (err) {
      onError(describeError(err))
      return false
    } finally {
      setBusy(false)
    }
  }

  async function add(e: SubmitEvent) {
    e.preventDefault()
    const id = person().trim()
    if (id === '') return setAddError("Paste the person's id (they find it on their identity page).")
    if (await run(() => props.onAdd(id), setAddError)) setPerson('')
  }

  return (
    <section aria-labelledby="maintainers-heading" class="maintainers">
      <h2 id="maintainers-heading">Maintainers</h2>
      <ul>
        <For each={props.state.maintainers}>
          {(m) => (
            <li>
              <PersonName id={m} me={props.me} names={props.names} link />
              {/* The last maintainer cannot go (core refuses it): no button that can only fail. */}
              <Show when={props.editable && props.state.maintainers.length > 1}>
                {' '}
                <button type="button" class="danger" disabled={busy()} onClick={() => void run(() => props.onRemove(m))} aria-label={`Remove maintainer ${props.names?.[m] ?? m}`}>
                  Remove
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <p class="muted">
        {props.state.threshold === 1 ? 'One maintainer’s signature makes a change.' : `A change needs ${props.state.threshold} maintainers’ signatures.`}
      </p>
      <Show when={error()}>
        <p class="field-error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={open().length > 0}>
        <div class="warning" role="status" aria-label="Waiting for signatures">
          <p>
            <strong>Waiting for signatures:</strong>
          </p>
          <ul>
            <For each={open()}>
              {(w) => (
                <li>
                  {w.what}: {w.signers} of {w.needed} signatures{w.signed ? ' (yours included)' : ''}
                </li>
              )}
            </For>
          </ul>
          <Show when={props.editable && open().some((w) => !w.signed)}>
            <button type="button" disabled={busy()} onClick={() => void run(props.onApprove)}>
              Sign what waits for me
            </button>
          </Show>
        </div>
      </Show>
      <Show when={props.editable}>
        <form class="card" aria-label="Add a maintainer" onSubmit={(e) => void add(e)} noValidate>
          <div class="field">
            <label for="add-maintainer">Add a maintainer (their id)</label>
            <input
              id="add-maintainer"
              value={person()}
              placeholder="12D3KooW…"
              onInput={(e) => setPerson(e.currentTarget.value)}
              aria-invalid={addError() !== null}
              aria-describedby={addError() === null ? undefined : 'add-maintainer-error'}
            />
            <Show when={addError()}>
              <p class="field-error" id="add-maintainer-error" role="alert">
                {addError()}
              </p>
            </Show>
          </div>
          <button type="submit" disabled={busy()}>
            Add maintainer
          </button>
        </form>
        <Show when={props.state.maintainers.length > 1}>
          <div class="row threshold">
            <label for="threshold">Signatures a change needs</label>
            <select id="threshold" value={k() ?? props.state.threshold} onChange={(e) => setK(Number(e.currentTarget.value))}>
              <For each={props.state.maintainers.map((_, i) => i + 1)}>{(n) => <option value={n}>{n}</option>}</For>
            </select>
            <button type="button" disabled={busy() || k() === null || k() === props.state.threshold} onClick={() => void run(() => props.onThreshold(k()!)).then((ok) => ok && setK(null))}>
              Set
            </button>
          </div>
        </Show>
      </Show>
    </section>
  )
}
