/**
 * "Made it": who built this design, where, how it went and what they changed, with their photos;
 * and the "I made this" form. Every report is a signed record citing the version built.
 */
import { makePhotoFiles, type MakeInput, type MakesView } from '@cosmolocal/core'
import { For, Show } from 'solid-js'
import { ago } from './DesignCard.js'
import { MakeForm } from './MakeForm.js'
import { MakePhotos, type PhotoSource } from './MakePhotos.js'
import { PersonName } from './PersonName.js'

const RESULT = { works: 'works', issues: 'works, with issues', failed: 'failed' } as const

export function MakesGallery(props: { makes: MakesView | undefined; me: string; designUrl: string; files: PhotoSource; onReport: (input: MakeInput, photos: File[]) => Promise<void> }) {
  const photos = () => (props.makes === undefined ? [] : makePhotoFiles(props.makes))
  return (
    <section aria-labelledby="makes-heading">
      <div class="section-head">
        <h2 id="makes-heading">Made it</h2>
        <Show when={props.makes}>{(m) => <span class="muted">{m().makes.length === 1 ? 'built once' : `built ${m().makes.length} times`}</span>}</Show>
      </div>
      <Show when={(props.makes?.makes.length ?? 0) > 0} fallback={<p class="muted">Nobody has reported a build yet. Built it? Say so: where, how it went, what you changed.</p>}>
        <ul class="makes-list" aria-label="Build reports">
          <For each={props.makes!.makes}>
            {(m) => (
              <li class="make" data-make={m.make}>
                <p>
                  <PersonName id={m.author} me={props.me} name={m.authorName} link />
                  <Show when={m.place}> in {m.place}</Show> <span class={`badge result-${m.result}`}>{RESULT[m.result]}</span>{' '}
                  <span class="muted">{ago(m.time)}</span>
                </p>
                <Show when={m.changes}>
                  <p class="comment-text">
                    <strong>Changed:</strong> {m.changes}
                  </p>
                </Show>
                <Show when={m.notes}>
                  <p class="comment-text">{m.notes}</p>
                </Show>
                <MakePhotos photos={photos().filter((f) => f.id.startsWith(m.make.slice(0, 12)))} files={props.files} label={`Photos of the build in ${m.place || 'an unnamed place'}`} />
              </li>
            )}
          </For>
        </ul>
      </Show>
      <MakeForm draftName={`make/${props.designUrl}`} onReport={props.onReport} />
    </section>
  )
}
