/**
 * A design. It leads with what a maker needs (title, picture, who maintains it, licence, summary)
 * and one call to action: maintainers edit in place, everyone else gets "Fork to edit". Then the
 * details and readme, BOM, steps, files, proposals, maintainers, lineage and history.
 */
import type { Thumbnail } from '../peer/catalogue.js'
import { createEffect, createResource, createSignal, For, Match, on, Show, Switch } from 'solid-js'
import { Attachments } from '../components/Attachments.js'
import { BomTable } from '../components/BomTable.js'
import { DetailsEditor } from '../components/DetailsEditor.js'
import { ForkDialog } from '../components/ForkDialog.js'
import { HistoryList } from '../components/HistoryList.js'
import { IgnoredRecords } from '../components/IgnoredRecords.js'
import { ForkLicenceWarnings } from '../components/LicenceWarnings.js'
import { LineageSection } from '../components/LineageTree.js'
import { MaintainersPanel } from '../components/MaintainersPanel.js'
import { ErrorNotice } from '../components/Notice.js'
import { OkhExport } from '../components/OkhExport.js'
import { PersonName } from '../components/PersonName.js'
import { ProposalsList } from '../components/ProposalsList.js'
import { ProposeForm } from '../components/ProposeForm.js'
import { ShareDetails } from '../components/ShareDetails.js'
import { StepsList } from '../components/StepsList.js'
import { toUrl } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { loadDesignView, watchDocuments } from '../peer/design-view.js'
import { describeError } from '../peer/errors.js'
import { saveBlob } from '../peer/files.js'
import { useKeyGate } from '../peer/key-gate.js'
import { remember, thumbnailOf } from '../peer/library.js'
import { createLiveResource } from '../peer/live-resource.js'
import { href, navigate } from '../router.js'

export default function DesignPage(props: { id: string }) {
  const peer = usePeer()
  const gate = useKeyGate()
  const url = () => toUrl(props.id)
  const view = createLiveResource(url, (u) => loadDesignView(peer, u))
  const refetch = view.refetch
  const [error, setError] = createSignal<string | null>(null)
  const [forking, setForking] = createSignal(false)

  const d = () => view.latest()?.design
  const me = peer.identity?.id ?? ''
  const maintainer = () => d()?.state.maintainers.includes(me as never) ?? false

  // Live: reload when the design's documents change (own edits, or peers'). Started once per
  // design, from an effect (not during render), and stopped with the page.
  createEffect(
    on(
      () => d()?.url,
      (designUrl) => {
        const v = view.latest()
        if (designUrl === undefined || v === undefined) return
        watchDocuments(peer, peer.commons.documentsOf(v.design), () => void refetch())
        // Maintainers who are online get a direct connection: their edits then arrive even without the hub.
        for (const m of v.design.state.maintainers) void peer.meet(m)
      },
    ),
  )

  const [picture] = createResource(
    () => {
      const files = d()?.content.files
      return files === undefined ? null : thumbnailOf(files)
    },
    (t: Thumbnail) => peer.thumbnails.url(t),
  )

  /** An edit; its failure is shown by the control that asked (which keeps what was typed). */
  async function act(op: () => Promise<unknown>): Promise<void> {
    await op() // stored before it returns (Commons' write hook): a reload right after keeps it
    await refetch()
  }

  /** Forks under the name asked for; a visitor is asked for a key first. */
  async function fork(name: string, prefilled: boolean): Promise<void> {
    const title = d()?.content.title ?? ''
    const p = await gate.ensureKey('To fork this design')
    if (p === null) return
    // The offered name said "my fork" before the person had a name: now it can say whose.
    const forkName = prefilled && peer.identity === null ? `${title} (${p.identity!.name}'s fork)` : name
    const id = await p.commons.fork(url(), { title: forkName })
    remember(await p.commons.design(id))
    setForking(false)
    navigate({ page: 'design', id })
  }

  const upstreamTitle = () => view.latest()?.upstream?.content.title ?? 'another design'
  const licence = () => {
    const l = d()?.content.licenses
    return l === undefined ? [] : (['hardware', 'documentation', 'software'] as const).flatMap((k) => (l[k] === null ? [] : [`${l[k]} (${k})`]))
  }

  return (
    <main class="page">
      <Switch>
        <Match when={view.error() !== undefined && view.latest() === undefined}>
          <h1 tabIndex={-1}>Design unavailable</h1>
          <p class="error" role="alert">
            {describeError(view.error())}
          </p>
          <p>If this design is on a hub you are not connected to, it will open once you are.</p>
          <button type="button" onClick={() => void refetch()}>
            Try again
          </button>
        </Match>
        <Match when={d() === undefined}>
          <p class="muted">Finding and verifying the design…</p>
        </Match>
        <Match when={d()}>
          {(design) => (
            <>
              <header class="design-head">
                <div class="design-lead">
                  <h1 tabIndex={-1}>{design().content.title}</h1>
                  <Show when={design().forkedFrom}>
                    {(up) => (
                      <p class="fork-of">
                        <Show
                          when={design().state.genesis.body.author !== me}
                          fallback={<>Your fork of </>}
                        >
                          <PersonName id={design().state.genesis.body.author} names={view.latest()?.names} link />’s fork of{' '}
                        </Show>
                        <a href={href({ page: 'design', id: up().url })}>{upstreamTitle()}</a>
                      </p>
                    )}
                  </Show>
                  <p class="by">
                    Maintained by{' '}
                    <For each={design().state.maintainers}>
                      {(m, i) => (
                        <>
                          {i() > 0 && ', '}
                          <PersonName id={m} me={me} names={view.latest()?.names} link />
                        </>
                      )}
                    </For>
                  </p>
                  <Show when={licence().length > 0} fallback={<p class="muted">No licence given.</p>}>
                    <p class="licences">Licence: {licence().join(' · ')}</p>
                  </Show>
                  <Show when={design().content.summary}>
                    <p class="summary">{design().content.summary}</p>
                  </Show>
                  <Show
                    when={maintainer()}
                    fallback={
                      <p class="cta">
                        <button type="button" class="primary" onClick={() => setForking(true)}>
                          Fork to edit
                        </button>
                        <span class="muted"> Make your own copy to change it, then propose your changes back.</span>
                      </p>
                    }
                  >
                    <p class="notice">You maintain this design: your edits are signed with your key.</p>
                  </Show>
                </div>
                <Show when={picture()}>
                  {(src) => (
                    <a class="design-picture" href="#files-heading" onClick={(e) => { e.preventDefault(); document.getElementById('files-heading')?.scrollIntoView() }}>
                      <img src={src()} alt={`Picture of ${design().content.title}`} />
                    </a>
                  )}
                </Show>
              </header>
              <ShareDetails url={design().url} />
              <ErrorNotice message={error()} onDismiss={() => setError(null)} />
              <IgnoredRecords records={design().state.ignored} what="design" />
              <DetailsEditor
                design={design()}
                me={me}
                names={view.latest()?.names}
                editable={maintainer()}
                upstreamLicences={view.latest()?.upstream?.content.licenses ?? null}
                onSave={(patch) => act(() => peer.commons.editDesign(url(), patch))}
              />
              <BomTable
                rows={design().content.bom}
                title={design().content.title}
                editable={maintainer()}
                onAdd={(v) => act(() => peer.commons.addBomRow(url(), v))}
                onSave={(id, v) => act(() => peer.commons.setBomRow(url(), id, v))}
                onRemove={(id) => act(() => peer.commons.removeBomRow(url(), id))}
                onMove={(id, before) => act(() => peer.commons.moveBomRow(url(), id, before))}
              />
              <StepsList
                steps={design().content.steps}
                editable={maintainer()}
                draftName={`steps/${design().url}`}
                onAdd={(title, body) => act(() => peer.commons.addStep(url(), { title, body }))}
                onSave={(id, v) => act(() => peer.commons.setStep(url(), id, v))}
                onRemove={(id) => act(() => peer.commons.removeStep(url(), id))}
                onMove={(id, before) => act(() => peer.commons.moveStep(url(), id, before))}
              />
              <Attachments
                design={design()}
                maintainer={maintainer()}
                files={peer.files}
                onSave={saveBlob}
                onRemove={(id) => act(() => peer.commons.removeFile(url(), id))}
                onRole={(id, role) => act(() => peer.commons.setFile(url(), id, { role }))}
              />
              <OkhExport design={design()} onSave={saveBlob} />
              <Show when={design().forkedFrom !== null && maintainer()}>
                <ForkLicenceWarnings design={design()} load={(u) => peer.commons.design(u)} />
                <ProposeForm
                  draftName={`propose/${design().url}`}
                  proposals={view.latest()?.upstreamProposals ?? []}
                  onPropose={async (title, description) => {
                    const r = await peer.commons.propose({ from: url(), to: design().forkedFrom!.url, title, description })
                    navigate({ page: 'proposal', id: r.proposal })
                  }}
                />
              </Show>
              <ProposalsList proposals={view.latest()?.proposals ?? []} me={me} />
              <Show when={view.latest()?.inboxError}>
                <p class="muted">Proposals and forks are not available yet: {view.latest()?.inboxError}</p>
              </Show>
              <MaintainersPanel
                state={design().state}
                me={me}
                names={view.latest()?.names}
                editable={maintainer()}
                onAdd={(person) => act(() => peer.commons.addMaintainer(url(), person))}
                onRemove={(person) => act(() => peer.commons.removeMaintainer(url(), person))}
                onThreshold={(k) => act(() => peer.commons.setThreshold(url(), k))}
                onApprove={() => act(() => peer.commons.approve(url()))}
              />
              <LineageSection design={design()} upstream={view.latest()?.upstream ?? null} forks={view.latest()?.forks ?? []} me={me} names={view.latest()?.names} />
              <HistoryList entries={view.latest()?.log ?? []} me={me} />
              <Show when={forking()}>
                <ForkDialog title={design().content.title} person={peer.identity?.name ?? null} onFork={fork} onCancel={() => setForking(false)} />
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </main>
  )
}
