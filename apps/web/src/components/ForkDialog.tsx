/**
 * "Fork to edit" asks what the fork is called before anything is made: prefilled with whose fork
 * of what it is ("OHLOOM frame loom (Wanjiru's fork)"). The name goes in the fork's genesis, so
 * it never renames the design it came from.
 */
import { MAX_FIELD_LENGTH } from '@cosmolocal/core'
import { createSignal, onMount, Show } from 'solid-js'
import { describeError } from '../peer/errors.js'

/** The name a fork is offered: "<title> (<name>'s fork)", or "(my fork)" before the person has a name. */
export function defaultForkName(title: string, person: string | null): string {
  const whose = person === null || person.trim() === '' ? 'my fork' : `${person.trim()}'s fork`
  return `${title.trim() || 'Untitled'} (${whose})`.slice(0, MAX_FIELD_LENGTH)
}

export interface ForkDialogProps {
  title: string
  /** The person's name, null before they have a key. */
  person: string | null
  /** Forks under `name`; `prefilled`: the name is the one offered, untouched. */
  onFork: (name: string, prefilled: boolean) => Promise<void>
  onCancel: () => void
}

export function ForkDialog(props: ForkDialogProps) {
  const offered = defaultForkName(props.title, props.person)
  const [name, setName] = createSignal(offered)
  const [error, setError] = createSignal<string | null>(null)
  const [busy, setBusy] = createSignal(false)
  let input!: HTMLInputElement
  onMount(() => {
    input.focus()
    input.select()
  })

  async function submit(e: SubmitEvent) {
    e.preventDefault()
    const n = name().trim()
    if (n === '') return setError('Give the fork a name.')
    if (n.length > MAX_FIELD_LENGTH) return setError(`A name is at most ${MAX_FIELD_LENGTH} characters.`)
    setBusy(true)
    setError(null)
    try {
      await props.onFork(n, name() === offered)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="overlay" onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <form class="card dialog" role="dialog" aria-modal="true" aria-labelledby="fork-title" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="fork-title">Fork “{props.title}”</h2>
        <p>Your fork is your own copy, linked to this design: edit it freely, and propose your changes back when they are ready.</p>
        <div class="field">
          <label for="fork-name">Name of your fork</label>
          <input
            id="fork-name"
            ref={input}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-invalid={error() !== null}
            aria-describedby={error() === null ? undefined : 'fork-name-error'}
          />
          <Show when={error()}>
            <p class="field-error" id="fork-name-error" role="alert">
              {error()}
            </p>
          </Show>
        </div>
        <div class="row">
          <button type="submit" disabled={busy()}>
            {busy() ? 'Forking…' : 'Fork'}
          </button>
          <button type="button" class="secondary" onClick={() => props.onCancel()}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  )
}
