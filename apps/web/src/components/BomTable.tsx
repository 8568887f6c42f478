/**
 * The bill of materials. Maintainers add, edit, remove and reorder rows in place; everyone else
 * sees the table (the page offers one "Fork to edit"); everyone gets totals per unit and a CSV export. A draft that fails (validation or the operation)
 * stays as typed, with the reason next to it.
 */
import { createSignal, For, Show, type JSX } from 'solid-js'
import type { BomRow } from '@cosmolocal/core'
import { draftOf, EMPTY_DRAFT, validateBomDraft, type BomDraft, type BomErrors, type BomValue } from '../peer/bom-input.js'
import { describeError } from '../peer/errors.js'
import { saveBlob } from '../peer/files.js'
import { bomCsv, bomTotals, csvName } from '../peer/make.js'
import { BomFields } from './BomFields.js'

export interface BomTableProps {
  rows: BomRow[]
  editable: boolean
  onAdd: (value: BomValue) => Promise<void>
  onSave: (id: string, value: BomValue) => Promise<void>
  onRemove: (id: string) => Promise<void>
  /** Moves `id` before `before` (null: to the end). */
  onMove: (id: string, before: string | null) => Promise<void>
  /** The design's title, for the CSV's file name. */
  title?: string
  /** Saves the CSV (default: the browser's download). */
  onSaveCsv?: (blob: Blob, name: string) => void
  /** What people said about a row (comments, needs), shown beside it; `has` says whether there is any. */
  aside?: { has: (id: string) => boolean; render: (id: string, name: string) => JSX.Element }
}

export function BomTable(props: BomTableProps) {
  const sorted = () => [...props.rows].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
  const [editing, setEditing] = createSignal<string | null>(null)
  const [draft, setDraft] = createSignal<BomDraft>(EMPTY_DRAFT)
  const [errors, setErrors] = createSignal<BomErrors>({})
  const [adding, setAdding] = createSignal(false)
  const [addDraft, setAddDraft] = createSignal<BomDraft>(EMPTY_DRAFT)
  const [addErrors, setAddErrors] = createSignal<BomErrors>({})
  const [busy, setBusy] = createSignal(false)
  const [failure, setFailure] = createSignal<string | null>(null)

  async function run(op: () => Promise<void>): Promise<boolean> {
    setBusy(true)
    setFailure(null)
    try {
      await op()
      return true
    } catch (err) {
      setFailure(describeError(err))
      return false
    } finally {
      setBusy(false)
    }
  }

  function startEdit(row: BomRow) {
    setEditing(row.id)
    setDraft(draftOf(row))
    setErrors({})
    document.getElementById(`bom-${row.id}-name`)?.focus()
  }

  async function saveEdit(id: string) {
    const checked = validateBomDraft(draft())
    if ('errors' in checked) return setErrors(checked.errors)
    setErrors({})
    if (await run(() => props.onSave(id, checked.value))) setEditing(null)
  }

  async function saveAdd() {
    const checked = validateBomDraft(addDraft())
    if ('errors' in checked) return setAddErrors(checked.errors)
    setAddErrors({})
    if (await run(() => props.onAdd(checked.value))) {
      setAddDraft(EMPTY_DRAFT)
      setAdding(false)
    }
  }

  function move(index: number, delta: -1 | 1) {
    const rows = sorted()
    const row = rows[index]
    if (row === undefined) return
    // Up: before the previous row. Down: before the row after next (or to the end).
    const before = delta === -1 ? rows[index - 1]?.id : rows[index + 2]?.id ?? null
    if (before === undefined) return
    void run(() => props.onMove(row.id, before))
  }

  return (
    <section class="bom" aria-labelledby="bom-heading">
      <div class="section-head">
        <h2 id="bom-heading">Bill of materials</h2>
        <Show when={sorted().length > 0}>
          <button
            type="button"
            class="secondary"
            onClick={() => (props.onSaveCsv ?? saveBlob)(new Blob([bomCsv(sorted())], { type: 'text/csv' }), csvName(props.title ?? 'design'))}
          >
            Export CSV
          </button>
        </Show>
      </div>
      <Show when={failure()}>
        <p class="error" role="alert">
          {failure()}
        </p>
      </Show>
      <Show when={sorted().length > 0} fallback={<p class="muted">No parts listed yet.</p>}>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Part</th>
                <th scope="col">Qty</th>
                <th scope="col">Unit</th>
                <th scope="col">Material</th>
                <th scope="col">Notes</th>
                <Show when={props.editable}>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </Show>
              </tr>
            </thead>
            <tbody>
              <For each={sorted()}>
                {(row, i) => (
                  <>
                  <Show
                    when={editing() === row.id}
                    fallback={
                      <tr data-row={row.id}>
                        <td>{row.name}</td>
                        <td class="num">{row.quantity}</td>
                        <td>{row.unit}</td>
                        <td>{row.material}</td>
                        <td>{row.notes}</td>
                        <Show when={props.editable}>
                          <td class="actions">
                            <button type="button" disabled={busy()} onClick={() => startEdit(row)} aria-label={`Edit ${row.name}`}>
                              Edit
                            </button>
                            <button type="button" disabled={busy() || i() === 0} onClick={() => move(i(), -1)} aria-label={`Move ${row.name} up`}>
                              ↑
                            </button>
                            <button
                              type="button"
                              disabled={busy() || i() === sorted().length - 1}
                              onClick={() => move(i(), 1)}
                              aria-label={`Move ${row.name} down`}
                            >
                              ↓
                            </button>
                            <button
                              type="button"
                              class="danger"
                              disabled={busy()}
                              onClick={() => void run(() => props.onRemove(row.id))}
                              aria-label={`Remove ${row.name}`}
                            >
                              Remove
                            </button>
                          </td>
                        </Show>
                      </tr>
                    }
                  >
                    <tr data-row={row.id} class="editing">
                      <td colSpan={6}>
                        <form
                          aria-label={`Edit ${row.name}`}
                          onSubmit={(e) => {
                            e.preventDefault()
                            void saveEdit(row.id)
                          }}
                        >
                          <BomFields idPrefix={`bom-${row.id}`} draft={draft()} errors={errors()} onInput={(k, v) => setDraft((d) => ({ ...d, [k]: v }))} />
                          <button type="submit" disabled={busy()}>
                            Save
                          </button>
                          <button type="button" onClick={() => setEditing(null)}>
                            Cancel
                          </button>
                        </form>
                      </td>
                    </tr>
                  </Show>
                  <Show when={props.aside?.has(row.id)}>
                    <tr class="anchored-row" data-about={row.id}>
                      <td colSpan={props.editable ? 6 : 5}>{props.aside!.render(row.id, row.name)}</td>
                    </tr>
                  </Show>
                  </>
                )}
              </For>
            </tbody>
            <tfoot>
              <tr class="totals">
                <th scope="row">Total</th>
                <td colSpan={props.editable ? 5 : 4}>
                  {bomTotals(sorted())
                    .map((t) => `${t.quantity} ${t.unit}`)
                    .join(' · ')}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      </Show>
      <Show when={props.editable}>
        <Show
          when={adding()}
          fallback={
            <button
              type="button"
              onClick={() => {
                setAdding(true)
                // Keyboard users land in the form's first field.
                document.getElementById('bom-new-name')?.focus()
              }}
            >
              Add a part
            </button>
          }
        >
          <form
            class="card"
            aria-label="Add a part"
            onSubmit={(e) => {
              e.preventDefault()
              void saveAdd()
            }}
          >
            <BomFields idPrefix="bom-new" draft={addDraft()} errors={addErrors()} onInput={(k, v) => setAddDraft((d) => ({ ...d, [k]: v }))} />
            <button type="submit" disabled={busy()}>
              Add part
            </button>
            <button
              type="button"
              onClick={() => {
                setAdding(false)
                setTimeout(() => document.querySelector<HTMLElement>('.bom > button')?.focus())
              }}
            >
              Cancel
            </button>
          </form>
        </Show>
      </Show>
    </section>
  )
}
