/** The labelled inputs of one BOM row draft, with each field's message under it. */
import { For } from 'solid-js'
import type { BomDraft, BomErrors } from '../peer/bom-input.js'

const FIELDS: { key: keyof BomDraft; label: string; inputMode?: 'decimal' }[] = [
  { key: 'name', label: 'Part' },
  { key: 'quantity', label: 'Quantity', inputMode: 'decimal' },
  { key: 'unit', label: 'Unit' },
  { key: 'material', label: 'Material' },
  { key: 'notes', label: 'Notes' },
]

export function BomFields(props: { idPrefix: string; draft: BomDraft; errors: BomErrors; onInput: (key: keyof BomDraft, value: string) => void }) {
  return (
    <div class="bom-fields">
      <For each={FIELDS}>
        {(f) => {
          const id = `${props.idPrefix}-${f.key}`
          return (
            <div class="field">
              <label for={id}>{f.label}</label>
              <input
                id={id}
                name={f.key}
                value={props.draft[f.key]}
                inputMode={f.inputMode}
                aria-invalid={props.errors[f.key] !== undefined}
                aria-describedby={props.errors[f.key] !== undefined ? `${id}-error` : undefined}
                onInput={(e) => props.onInput(f.key, e.currentTarget.value)}
              />
              {props.errors[f.key] !== undefined && (
                <p class="field-error" id={`${id}-error`} role="alert">
                  {props.errors[f.key]}
                </p>
              )}
            </div>
          )
        }}
      </For>
    </div>
  )
}
