/**
 * A proposal's diff in domain terms: licence warnings first, conflicts, fields, licences, tags, BOM
 * rows, steps, files, OKH details, parts and software.
 */
import { For, Show, type JSX } from 'solid-js'
import type { BomRow, DesignDiff, EntryDiff, FieldChange, Part, SoftwareRef, Step } from '@cosmolocal/core'
import { LicenceWarnings } from './LicenceWarnings.js'

const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v))
const bomLabel = (r: BomRow) => `${r.name}: ${r.quantity} ${r.unit}${r.material ? `, ${r.material}` : ''}`
const stepLabel = (s: Step) => s.title
const partLabel = (p: Part) => `${p.name}${p.material ? ` (${p.material})` : ''}`
const softwareLabel = (s: SoftwareRef) => s.release

function Changes(props: { changes: FieldChange[]; label?: (field: string) => string }) {
  return (
    <ul class="changes">
      <For each={props.changes}>
        {(c) => (
          <li class="changed">
            <span class="field-name">{props.label ? props.label(c.field) : c.field}</span>: <del>{show(c.before)}</del> → <ins>{show(c.after)}</ins>
          </li>
        )}
      </For>
    </ul>
  )
}

function Entries<T extends { id: string }>(props: { title: string; diff: EntryDiff<T>; label: (e: T) => string }) {
  const count = () => props.diff.added.length + props.diff.removed.length + props.diff.changed.length
  return (
    <Show when={count() > 0}>
      <section class="diff-section" aria-label={props.title}>
        <h3>{props.title}</h3>
        <ul>
          <For each={props.diff.added}>
            {(e) => (
              <li class="added">
                <span class="badge">added</span> {props.label(e)}
              </li>
            )}
          </For>
          <For each={props.diff.removed}>
            {(e) => (
              <li class="removed">
                <span class="badge">removed</span> <del>{props.label(e)}</del>
              </li>
            )}
          </For>
          <For each={props.diff.changed}>
            {(c) => (
              <li class="changed">
                <span class="badge">changed</span> {props.label(c.before)}
                <Changes changes={c.changes.filter((x) => x.field !== 'position')} />
                <Show when={c.changes.some((x) => x.field === 'position')}>
                  <p class="muted">moved</p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  )
}

export function DiffView(props: { diff: DesignDiff }): JSX.Element {
  const d = () => props.diff
  return (
    <div class="diff">
      <LicenceWarnings
        warnings={d().licenceWarnings ?? []}
        intro="Merging changes licences in ways the current licence may not allow. You decide: merging is not blocked."
      />
      <Show when={d().conflicts.length > 0}>
        <section class="diff-section conflicts" aria-label="Conflicts" role="alert">
          <h3>Conflicts</h3>
          <p>Both sides changed these concurrently; the merge would show the first value, the others are kept in history.</p>
          <ul>
            <For each={d().conflicts}>
              {(c) => (
                <li class="conflict">
                  <span class="badge">conflict</span> {c.label}: shows <strong>{show(c.winner)}</strong> (values: {c.values.map(show).join(' / ')})
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
      <Show when={d().empty && d().conflicts.length === 0}>
        <p class="muted">Merging this would change nothing.</p>
      </Show>
      <Show when={d().fields.length > 0}>
        <section class="diff-section" aria-label="Fields">
          <h3>Fields</h3>
          <Changes changes={d().fields} />
        </section>
      </Show>
      <Show when={d().licenses.length > 0}>
        <section class="diff-section licences" aria-label="Licences">
          <h3>Licences</h3>
          <Changes changes={d().licenses} label={(k) => `${k} licence`} />
        </section>
      </Show>
      <Show when={d().tags.added.length + d().tags.removed.length > 0}>
        <section class="diff-section" aria-label="Tags">
          <h3>Tags</h3>
          <ul>
            <For each={d().tags.added}>{(t) => <li class="added"><span class="badge">added</span> {t}</li>}</For>
            <For each={d().tags.removed}>{(t) => <li class="removed"><span class="badge">removed</span> <del>{t}</del></li>}</For>
          </ul>
        </section>
      </Show>
      <Entries title="Bill of materials" diff={d().bom} label={bomLabel} />
      <Entries title="Build steps" diff={d().steps} label={stepLabel} />
      <Entries title="Files" diff={d().files} label={(f) => f.name} />
      <Show when={(d().details ?? []).length > 0}>
        <section class="diff-section" aria-label="Details">
          <h3>Details</h3>
          <Changes changes={d().details} />
        </section>
      </Show>
      <Show when={d().parts}>{(parts) => <Entries title="Parts" diff={parts()} label={partLabel} />}</Show>
      <Show when={d().software}>{(software) => <Entries title="Software" diff={software()} label={softwareLabel} />}</Show>
    </div>
  )
}
