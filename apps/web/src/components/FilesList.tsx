/**
 * A design's files that are neither previewed nor shown as photos: a table with what each file is
 * for, its type and size, whether this device has its bytes, and a Download button.
 */
import { FILE_ROLES, type FileRef, type FileRole } from '@cosmolocal/core'
import { For, Match, Show, Switch, type JSX } from 'solid-js'
import { formatBytes, percentOf } from '../attachments/media.js'
import './attachments.css'

/** Whether this device holds a file's bytes. */
export type FileState =
  | { kind: 'available' }
  /** Being fetched from peers; `loaded` of the entry's `size` bytes so far. */
  | { kind: 'fetching'; loaded: number }
  /** Not here and not found on any peer we are connected to; `reason` adds what the fetch said. */
  | { kind: 'missing'; reason?: string }

/** A file of the design (core's `FileRef`) with what this device knows about its bytes. */
export interface FileEntry extends FileRef {
  state: FileState
}

export interface FilesListProps {
  files: FileEntry[]
  /** Save the file to the person's device (fetching it first when it is not here). */
  onDownload: (id: string) => void
  /** Shown when there are no files. */
  empty?: string
  /** Maintainers' tools: remove a file, say what it is for. Absent for everyone else. */
  onRemove?: (id: string) => void
  onRole?: (id: string, role: FileRole) => void
  busy?: boolean
  /** What people said about a file (comments, needs), shown beside it; `has` says whether there is any. */
  aside?: { has: (id: string) => boolean; render: (id: string, name: string) => JSX.Element }
}

const MISSING = 'Not on this device, and no connected peer has it right now. Download tries again; it also arrives when a peer that holds it comes online.'

const fetching = (s: FileState) => (s.kind === 'fetching' ? s : false)
const missing = (s: FileState) => (s.kind === 'missing' ? s : false)

export function FilesList(props: FilesListProps) {
  const sorted = () => [...props.files].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
  return (
    <Show when={sorted().length > 0} fallback={<p class="muted">{props.empty ?? 'No other files.'}</p>}>
      <div class="table-wrap">
        <table class="files-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Type</th>
              <th scope="col" class="num">
                Size
              </th>
              <th scope="col">State</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For each={sorted()}>
              {(file) => (
                <>
                <tr data-file={file.id} data-state={file.state.kind}>
                  <td class="file-name">
                    <span title={`sha-256 ${file.hash}`}>{file.name}</span>
                  </td>
                  <td>
                    <Show when={props.onRole} fallback={<span class="badge">{file.role}</span>}>
                      <label class="sr-only" for={`role-${file.id}`}>
                        Role of {file.name}
                      </label>
                      <select id={`role-${file.id}`} value={file.role} disabled={props.busy} onChange={(e) => props.onRole?.(file.id, e.currentTarget.value as FileRole)}>
                        <For each={FILE_ROLES}>{(r) => <option value={r}>{r}</option>}</For>
                      </select>
                    </Show>
                  </td>
                  <td>
                    <code class="wrap">{file.mediaType || 'unknown'}</code>
                  </td>
                  <td class="num" title={`${file.size} bytes`}>
                    {formatBytes(file.size)}
                  </td>
                  <td class="file-state">
                    <Switch>
                      <Match when={file.state.kind === 'available'}>
                        <span>Available</span>
                      </Match>
                      <Match when={fetching(file.state)}>
                        {(s) => (
                          <span class="fetching">
                            Fetching {percentOf(s().loaded, file.size)}
                            <progress max={file.size > 0 ? file.size : undefined} value={s().loaded} aria-label={`Fetching ${file.name}`} />
                          </span>
                        )}
                      </Match>
                      <Match when={missing(file.state)}>
                        {(s) => (
                          <span class="missing">
                            <strong>Missing.</strong> {MISSING}
                            <Show when={s().reason}>
                              {(reason) => <span class="field-error"> ({reason()})</span>}
                            </Show>
                          </span>
                        )}
                      </Match>
                    </Switch>
                  </td>
                  <td class="actions">
                    <button type="button" disabled={file.state.kind === 'fetching'} onClick={() => props.onDownload(file.id)} aria-label={`Download ${file.name}`}>
                      Download
                    </button>
                    <Show when={props.onRemove}>
                      <button type="button" class="danger" disabled={props.busy} onClick={() => props.onRemove?.(file.id)} aria-label={`Remove ${file.name}`}>
                        Remove
                      </button>
                    </Show>
                  </td>
                </tr>
                <Show when={props.aside?.has(file.id)}>
                  <tr class="anchored-row" data-about={file.id}>
                    <td colSpan={6}>{props.aside!.render(file.id, file.name)}</td>
                  </tr>
                </Show>
                </>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  )
}
