/**
 * Which of the target design's open needs a proposal resolves: accepting it closes them (core's
 * rule: a merge of a revision that cites a need closes it).
 */
import { For, Show } from 'solid-js'

export function ResolvesNeeds(props: { needs: { id: string; title: string }[]; selected: readonly string[]; onChange: (ids: string[]) => void }) {
  const toggle = (id: string, on: boolean) => props.onChange(on ? [...props.selected, id] : props.selected.filter((x) => x !== id))
  return (
    <Show when={props.needs.length > 0}>
      <fieldset class="resolves">
        <legend>It resolves these needs (accepting it closes them)</legend>
        <For each={props.needs}>
          {(n) => (
            <label class="inline">
              <input type="checkbox" checked={props.selected.includes(n.id)} onChange={(e) => toggle(n.id, e.currentTarget.checked)} /> {n.title}
            </label>
          )}
        </For>
      </fieldset>
    </Show>
  )
}
