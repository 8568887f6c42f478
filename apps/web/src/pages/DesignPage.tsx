/** A design: overview, BOM, steps, proposals, lineage, history. Maintainers edit in place; others fork to edit. */
import { createSignal, Match, Show, Switch, getOwner, runWithOwner } from 'solid-js'
import { Attachments } from '../components/Attachments.js'
import { BomTable } from '../components/BomTable.js'
import { ForkLicenceWarnings } from '../components/LicenceWarnings.js'
import { OkhExport } from '../components/OkhExport.js'
import { saveBlob } from '../peer/files.js'
import { DetailsEditor } from '../components/DetailsEditor.js'
import { HistoryList } from '../components/HistoryList.js'
import { IgnoredRecords } from '../components/IgnoredRecords.js'
import { LineageSection } from '../components/LineageTree.js'
import { ErrorNotice } from '../components/Notice.js'
import { ProposalsList } from '../components/ProposalsList.js'
import { ProposeForm } from '../components/ProposeForm.js'
import { StepsList } from '../components/StepsList.js'
import { toUrl } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { loadDesignView, watchDocuments } from '../peer/design-view.js'
import { createLiveResource } from '../peer/live-resource.js'
import { describeError } from '../peer/errors.js'
import { remember } from '../peer/library.js'
import { href, navigate } from '../router.js'

export default function DesignPage(props: { id: string }) {
  const peer = usePeer()
  const url = () => toUrl(props.id)
  const view = createLiveResource(url, (u) => loadDesignView(peer, u))
  const refetch = view.refetch
  const [error, setError] = createSignal<string | null>(null)
  const owner = getOwner()
  let watching = ''

  const d = () => view.latest()?.design
  const me = peer.identity.id
  const maintainer = () => d()?.state.maintainers.includes(me as never) ?? false

  // Live: reload when the design's documents change (own edits, or peers').
  const watch = () => {
    const v = view.latest()
    if (v === undefined || watching === v.design.url) return
    watching = v.design.url
    runWithOwner(owner, () => void watchDocuments(peer, peer.commons.documentsOf(v.design), () => void refetch()))
    // Maintainers who are online get a direct connection: their edits then arrive even without the hub.
    for (const m of v.design.state.maintainers) void peer.meet(m)
  }

  /** An edit; its failure is shown by the control that asked (which keeps what was typed). */
  async function act(op: () => Promise<unknown>): Promise<void> {
    await op() // stored before it returns (Commons' write hook): a reload right after keeps it
    await refetch()
  }

  async function fork() {
    setError(null)
    try {
      const id = await peer.commons.fork(url())
      remember(await peer.commons.design(id))
      navigate({ page: 'design', id })
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <main class="page">
      <Switch>
        <Match when={view.error() !== undefined && view.latest() === undefined}>
          <h1>Design unavailable</h1>
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
          {(design) => {
            watch()
            return (
              <>
                <header class="design-head">
                  <h1>{design().content.title}</h1>
                  <Show when={design().forkedFrom}>
                    {(up) => (
                      <p class="muted">
                        Fork of <a href={href({ page: 'design', id: up().url })}>{view.latest()?.upstream?.content.title ?? 'the upstream design'}</a>
                      </p>
                    )}
                  </Show>
                  <p class="muted">
                    <code class="wrap">{design().url}</code> · verified
                  </p>
                  <Show
                    when={maintainer()}
                    fallback={
                      <p class="notice">
                        You are not a maintainer of this design.{' '}
                        <button type="button" onClick={() => void fork()}>
                          Fork to edit
                        </button>
                      </p>
                    }
                  >
                    <p class="notice">You maintain this design: your edits are signed with your key.</p>
                  </Show>
                </header>
                <ErrorNotice message={error()} onDismiss={() => setError(null)} />
                <IgnoredRecords records={design().state.ignored} what="design" />
                <DetailsEditor
                  design={design()}
                  me={me}
                  names={view.latest()?.names}
                  editable={maintainer()}
                  upstreamLicences={view.latest()?.upstream?.content.licenses ?? null}
                  onSave={(patch) => act(() => peer.commons.editDesign(url(), patch))}
                  onForkToEdit={() => void fork()}
                />
                <BomTable
                  rows={design().content.bom}
                  editable={maintainer()}
                  onForkToEdit={() => void fork()}
                  onAdd={(v) => act(() => peer.commons.addBomRow(url(), v))}
                  onSave={(id, v) => act(() => peer.commons.setBomRow(url(), id, v))}
                  onRemove={(id) => act(() => peer.commons.removeBomRow(url(), id))}
                  onMove={(id, before) => act(() => peer.commons.moveBomRow(url(), id, before))}
                />
                <StepsList
                  steps={design().content.steps}
                  editable={maintainer()}
                  draftName={`steps/${design().url}`}
                  onForkToEdit={() => void fork()}
                  onAdd={(title, body) => act(() => peer.commons.addStep(url(), { title, body }))}
                  onSave={(id, v) => act(() => peer.commons.setStep(url(), id, v))}
                  onRemove={(id) => act(() => peer.commons.removeStep(url(), id))}
                  onMove={(id, before) => act(() => peer.commons.moveStep(url(), id, before))}
                />
                <Attachments design={design()} maintainer={maintainer()} files={peer.files} onFork={() => void fork()} onSave={saveBlob} />
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
                <LineageSection design={design()} upstream={view.latest()?.upstream ?? null} forks={view.latest()?.forks ?? []} me={me} names={view.latest()?.names} />
                <HistoryList entries={view.latest()?.log ?? []} me={me} />
              </>
            )
          }}
        </Match>
      </Switch>
    </main>
  )
}
