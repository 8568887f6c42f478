/**
 * A design. It leads with what a maker needs (title, picture, who maintains it, licence, summary)
 * and one call to action: maintainers edit in place, everyone else gets "Fork to edit". Then the
 * details and readme, BOM, steps, files, proposals, maintainers, lineage and history.
 */
import type { MakeInput, NeedInput } from '@cosmolocal/core'
import type { Thumbnail } from '../peer/catalogue.js'
import { createEffect, createMemo, createResource, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js'
import { AnchoredComments } from '../components/AnchoredComments.js'
import { ContributorsPanel } from '../components/ContributorsPanel.js'
import { LicenceNotice } from '../components/LicenceNotice.js'
import { MakesGallery } from '../components/MakesGallery.js'
import { Attachments } from '../components/Attachments.js'
import { BomTable } from '../components/BomTable.js'
import { DetailsEditor } from '../components/DetailsEditor.js'
import { DiscussionSection } from '../components/DiscussionSection.js'
import { FollowButton } from '../components/FollowButton.js'
import { ForkDialog } from '../components/ForkDialog.js'
import { HistoryList } from '../components/HistoryList.js'
import { IgnoredRecords } from '../components/IgnoredRecords.js'
import { ForkLicenceWarnings } from '../components/LicenceWarnings.js'
import { LineageSection } from '../components/LineageTree.js'
import { UpdateFromUpstream } from '../components/UpdateFromUpstream.js'
import { MaintainersPanel } from '../components/MaintainersPanel.js'
import type { NeedAct } from '../components/NeedItem.js'
import { NeedsSection } from '../components/NeedsSection.js'
import { ErrorNotice } from '../components/Notice.js'
import { OkhExport } from '../components/OkhExport.js'
import { PersonName } from '../components/PersonName.js'
import { ProposalsList } from '../components/ProposalsList.js'
import { ProposeForm } from '../components/ProposeForm.js'
import { ShareDetails } from '../components/ShareDetails.js'
import { StepsList } from '../components/StepsList.js'
import { toUrl } from '../peer/catalogue.js'
import { usePeer } from '../peer/context.js'
import { loadDesignCredit, loadDesignForks, loadDesignSocial } from '../peer/design-social.js'
import { proposalTargets } from '../peer/lineage-tree.js'
import { loadDesignView, watchDocuments } from '../peer/design-view.js'
import { describeError } from '../peer/errors.js'
import { saveBlob } from '../peer/files.js'
import { useKeyGate } from '../peer/key-gate.js'
import { remember, thumbnailOf } from '../peer/library.js'
import { createLiveResource } from '../peer/live-resource.js'
import { UPSTREAM_RETRY_MAX_MS, UPSTREAM_RETRY_MS } from '../limits.js'
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
        // A fork watches its upstream's governance too: every signed edit there lands in it, and
        // "Update from upstream" counts what it would bring.
        const upstream = v.design.forkedFrom === null ? [] : [v.design.forkedFrom.design]
        watchDocuments(peer, [...peer.commons.documentsOf(v.design), ...upstream], () => void refetch())
        // Maintainers who are online get a direct connection: their edits then arrive even without the hub.
        for (const m of v.design.state.maintainers) void peer.meet(m)
      },
    ),
  )

  // Proposals the inbox names whose documents have not arrived yet (a pointer can sync before the
  // proposal it points to): the view reloads once they are here, or nothing would list them until
  // the design's own documents changed again.
  const pendingProposals = createMemo(() => (view.latest()?.proposals ?? []).filter((p) => p.status === 'unavailable').map((p) => p.proposal).join(' '))
  createEffect(
    on(pendingProposals, (urls) => {
      if (urls !== '') watchDocuments(peer, urls.split(' ') as never[], () => void refetch())
    }),
  )

  // A fork whose upstream could not be read yet (still arriving, or a read that failed on a busy
  // moment) tries again, later each time: the licence checks and "Update from upstream" need it,
  // and nothing else would reload the page unless the upstream's governance changed.
  let upstreamRetries = 0
  createEffect(
    on(
      () => view.latest(),
      (v) => {
        if (v === undefined || v.design.forkedFrom === null || v.upstream !== null) {
          upstreamRetries = 0
          return
        }
        const timer = setTimeout(() => void refetch(), Math.min(UPSTREAM_RETRY_MAX_MS, UPSTREAM_RETRY_MS * 2 ** upstreamRetries++))
        onCleanup(() => clearTimeout(timer))
      },
    ),
  )

  // Needs and discussion live in the design's inbox: reloaded whenever the view reloads.
  // Only once the design itself is here: asked before, a design not yet held would be looked for
  // before the hub is a peer, and marked unavailable for the view's own load too. And only once
  // it has been painted: begun with the page, their reads would run ahead of its first render. And
  // only once it was read from its documents (the first paint may show its last verified state).
  const [painted, setPainted] = createSignal<string | undefined>()
  createEffect(
    on(
      () => (view.latest() === undefined ? undefined : url()),
      (shown) => {
        if (shown !== undefined) requestAnimationFrame(() => setTimeout(() => setPainted(shown), 0))
      },
    ),
  )
  const loaded = () => (view.latest()?.checked !== true || painted() !== url() ? undefined : url())
  const social = createLiveResource(loaded, (u) => loadDesignSocial(peer, u))
  const credit = createLiveResource(loaded, (u) => loadDesignCredit(peer, u))
  const forks = createLiveResource(loaded, (u) => loadDesignForks(peer, u, me))
  createEffect(
    on(
      () => view.latest(),
      () => {
        void social.refetch()
        void credit.refetch()
        void forks.refetch()
      },
      { defer: true },
    ),
  )
  const names = () => ({ ...social.latest()?.needs.book.toJSON(), ...view.latest()?.names })

  /** A signed act around the design (a need, a comment): a visitor is asked for a key first. */
  async function sign(why: string, op: (p: NonNullable<Awaited<ReturnType<typeof gate.ensureKey>>>) => Promise<unknown>): Promise<void> {
    const p = await gate.ensureKey(why)
    if (p === null) return
    await op(p)
    await refetch()
  }
  const openNeed = (input: NeedInput) => sign('To open a need', (p) => p.commons.openNeed(url(), input))
  const actOnNeed = (need: string, op: NeedAct, by?: string) =>
    sign(op === 'claim' ? 'To say you are on it' : 'To sign this', (p) =>
      op === 'claim' ? p.commons.claimNeed(url(), need) : op === 'release' ? p.commons.releaseNeed(url(), need) : op === 'close' ? p.commons.closeNeed(url(), need, by === undefined ? {} : { by }) : p.commons.reopenNeed(url(), need),
    )
  async function reportMake(input: MakeInput, photos: File[]): Promise<void> {
    const data = await Promise.all(photos.map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()), ...(f.type === '' ? {} : { mediaType: f.type.toLowerCase() }) })))
    await sign('To report your build', async (p) => {
      await p.commons.reportMake(url(), { ...input, photos: data })
      // The photos are served from here until the hub holds them.
      p.files.shared.invalidate()
    })
  }
  const postComment = (text: string, options: { about?: string; replyTo?: string }) => sign('To comment', (p) => p.commons.commentOnDesign(url(), text, options))
  /** Claims the need and forks the design to work on it: the fork is where the work is done. */
  async function forkFor(need: string): Promise<void> {
    const p = await gate.ensureKey('To fork this design and work on the need')
    if (p === null) return
    const n = await p.commons.need(url(), need)
    if (!n.claims.includes(p.identity!.id) && n.status !== 'closed') await p.commons.claimNeed(url(), need)
    const id = await p.commons.fork(url(), { title: `${d()?.content.title ?? 'Design'} (${p.identity!.name}'s fork)` })
    remember(await p.commons.design(id))
    navigate({ page: 'design', id })
  }
  const targets = () => proposalTargets(forks.latest()?.lineage, url(), d()?.forkedFrom?.url ?? null)
  const resolvers = () => [
    ...(view.latest()?.proposals ?? []).map((pr) => ({ url: pr.proposal, label: `Proposal: ${pr.title}`, kind: 'proposal' as const })),
    ...(view.latest()?.forks ?? []).map((f) => ({ url: f.design, label: `Fork by ${f.authorName ?? f.author.slice(-6)}`, kind: 'design' as const })),
  ]
  const anchored = (id: string, name: string) => (
    <AnchoredComments
      entry={id}
      name={name}
      comments={social.latest()?.discussion.comments ?? []}
      needs={social.latest()?.needs.needs ?? []}
      content={d()!.content}
      designUrl={url()}
      me={me}
      names={names()}
      onPost={postComment}
    />
  )
  const hasAnchored = (id: string) =>
    (social.latest()?.discussion.comments ?? []).some((c) => c.about?.id === id && c.replyTo === null) ||
    (social.latest()?.needs.needs ?? []).some((n) => n.about?.id === id && n.status !== 'closed')

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
                  <div class="title-row">
                    <h1 tabIndex={-1}>{design().content.title}</h1>
                    <FollowButton design={design().url} title={design().content.title} />
                  </div>
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
                  <Show when={design().content.place || design().content.placeCode}>
                    <p class="place">Adapted for {[design().content.place, design().content.placeCode].filter((x) => x).join(' · ')}</p>
                  </Show>
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
              <LicenceNotice notice={design().licenceNotice} title={(u) => (u === view.latest()?.upstream?.url ? upstreamTitle() : null)} />
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
                aside={{ has: hasAnchored, render: anchored }}
              />
              <StepsList
                steps={design().content.steps}
                editable={maintainer()}
                draftName={`steps/${design().url}`}
                onAdd={(title, body) => act(() => peer.commons.addStep(url(), { title, body }))}
                onSave={(id, v) => act(() => peer.commons.setStep(url(), id, v))}
                onRemove={(id) => act(() => peer.commons.removeStep(url(), id))}
                onMove={(id, before) => act(() => peer.commons.moveStep(url(), id, before))}
                aside={(id, title) => anchored(id, title)}
              />
              <Attachments
                design={design()}
                maintainer={maintainer()}
                files={peer.files}
                onSave={saveBlob}
                onRemove={(id) => act(() => peer.commons.removeFile(url(), id))}
                onRole={(id, role) => act(() => peer.commons.setFile(url(), id, { role }))}
                aside={{ has: hasAnchored, render: anchored }}
              />
              {/* What the design's inbox and history hold comes a frame after the design itself: its data loads from then (`loaded`). */}
              <Show when={painted() === url()}>
                <NeedsSection
                  needs={social.latest()?.needs}
                  content={design().content}
                  designUrl={design().url}
                  me={me}
                  names={names()}
                  maintainer={maintainer()}
                  resolvers={resolvers()}
                  onOpen={openNeed}
                  onAct={actOnNeed}
                  onFork={maintainer() ? undefined : forkFor}
                />
                <DiscussionSection discussion={social.latest()?.discussion} content={design().content} designUrl={design().url} me={me} names={names()} onPost={postComment} />
                <MakesGallery makes={credit.latest()?.makes} me={me} designUrl={design().url} files={peer.files} onReport={reportMake} />
                <ContributorsPanel contributions={credit.latest()?.contributions} me={me} />
              </Show>
              <OkhExport design={design()} onSave={saveBlob} />
              <Show when={design().forkedFrom !== null && maintainer()}>
                <ForkLicenceWarnings design={design()} load={(u) => peer.commons.design(u)} />
                <UpdateFromUpstream
                  preview={forks.latest()?.update}
                  upstreamTitle={upstreamTitle()}
                  onApply={() => act(() => peer.commons.update(url()))}
                />
              </Show>
              <Show when={maintainer() && targets().length > 0}>
                <ProposeForm
                  draftName={`propose/${design().url}`}
                  proposals={view.latest()?.upstreamProposals ?? []}
                  targets={targets()}
                  needsOf={async (target) => (await peer.commons.needs(target)).needs.filter((n) => n.status !== 'closed').map((n) => ({ id: n.id, title: n.title }))}
                  onPropose={async (title, description, target, needs) => {
                    const r = await peer.commons.propose({ from: url(), to: target ?? design().forkedFrom!.url, title, description, ...(needs === undefined ? {} : { needs }) })
                    navigate({ page: 'proposal', id: r.proposal })
                  }}
                />
              </Show>
              <ProposalsList proposals={view.latest()?.proposals ?? []} me={me} reading={view.latest()?.checked === false} />
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
              <Show when={painted() === url() && view.latest()?.checked === true}>
                <LineageSection design={design()} upstream={view.latest()?.upstream ?? null} forks={view.latest()?.forks ?? []} me={me} names={view.latest()?.names} tree={forks.latest()?.lineage} />
                {/* Every design has its genesis record: an empty log is one not read yet. */}
                <HistoryList entries={view.latest()?.log ?? []} me={me} reading={(view.latest()?.log.length ?? 0) === 0} />
              </Show>
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
