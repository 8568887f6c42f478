/**
 * "About": which BOM row, step or file of a design a comment or a need is about, grouped by kind.
 * Shows nothing for a design that has none of them.
 */
import type { DesignContent } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { anchorOptions } from '../peer/anchors.js'

export function AboutSelect(props: { id: string; content: DesignContent; value: string; onChange: (value: string) => void }) {
  const groups = () => anchorOptions(props.content)
  return (
    <Show when={groups().length > 0}>
      <div class="field">
        <label for={props.id}>About</label>
        <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
          <option value="">the whole design</option>
          <For each={groups()}>
            {(g) => (
              <optgroup label={g.group}>
                <For each={g.options}>{(o) => <option value={o.id}>{o.label}</option>}</For>
              </optgroup>
            )}
          </For>
        </select>
      </div>
    </Show>
  )
}
