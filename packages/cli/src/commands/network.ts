/** Talking to peers: run a hub (`serve`), list a peer's catalogue, pull one design, sync everything. */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import {
  connectTo,
  DEFAULT_HUB_PORT,
  fetchCatalogue,
  entriesAdaptedFor,
  fetchFiles,
  filesSettled,
  logLine,
  pullDesign,
  snapshotHeads,
  startHub,
  storedDocumentIds,
  syncAll,
  type Progress,
} from '@cosmolocal/hub'
import { SharedFiles } from '@cosmolocal/net'
import { listOption, parseWhole, requiredString, stringOption } from '../args.js'
import type { CommandRun } from '../command.js'
import { controlSocketPath, serveControl } from '../control.js'
import type { Home } from '../home.js'
import { isoTimeOrEmpty, type Output } from '../output.js'
import { sampleMaintainer, seedSampleCommons } from '../sample.js'
import { writeKeyFile } from '../keyfile.js'
import { createIdentity, flushReady, makePhotoFiles, serializeIdentity, toUrl } from '@cosmolocal/core'
import { blobDirectory, lentStore, storeDirectory } from '../store.js'

/** The web app's build, when it has been built next to this package (apps/web/dist). */
const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../../apps/web/dist', import.meta.url))

function progressLine(out: Output): (p: Progress) => void {
  return (p) => {
    const what = { connect: 'connecting', catalogue: 'reading the catalogue', fetch: 'fetching', settle: 'waiting for both sides to agree' }[p.phase]
    out.progress(`${what}${p.total > 1 ? ` ${p.done}/${p.total}` : ''}`)
  }
}

/** Fetches the missing files of `designs` (what a peer follows), with a progress bar. */
async function fetchDesignFiles(home: Home, out: Output, designs: readonly string[], peer: import('@libp2p/interface').PeerId) {
  const { commons, node, store } = await home.network()
  const files = new Map<string, import('@cosmolocal/core').FileRef>()
  for (const d of designs) {
    for (const f of (await commons.design(d)).content.files) files.set(f.hash, f)
    // Build reports' photos too: a design's page shows who made it, with their pictures.
    const makes = await commons.makes(d, { held: true }).catch(() => null)
    for (const f of makes === null ? [] : makePhotoFiles(makes)) if (!files.has(f.hash)) files.set(f.hash, f)
  }
  return await fetchFiles(node, store.blobs, files.values(), {
    peers: [peer],
    onProgress: ({ file, blob }) => out.bar(blob.receivedBytes, blob.totalBytes, file.name),
    log: (line) => out.note(`note: ${line}`),
  })
}

/** The designs this home's index lists. */
async function heldDesigns(home: Home): Promise<string[]> {
  return (await home.index()).designs.map((d) => d.design)
}

/** Adds every verified design among `ids` to the home's index. */
async function remember(home: Home, ids: readonly string[]): Promise<string[]> {
  const { commons } = await home.network()
  const index = await home.index()
  const designs: string[] = []
  for (const id of ids) {
    // What a document is comes from its signed history, not from a field anyone can rewrite.
    if ((await commons.kind(id)) !== 'design') continue
    try {
      const d = await commons.design(id)
      index.addDesign(d.url, 'imported')
      designs.push(d.url)
    } catch {
      // unverifiable: held, but not listed as a design
    }
  }
  return designs
}

export const networkCommands: CommandRun[] = [
  {
    name: 'serve',
    async run({ values, home, out, main }) {
      if (values.sample === true && (await home.identity()) === null) {
        // The sample commons' hub gets a key of its own on first start.
        await writeKeyFile(home.identityPath, await createIdentity('Sample commons hub'))
        home.forgetIdentity()
      }
      const me = await home.requireIdentity()
      // A hub keeps serving through a failure in one peer's sync: automerge-repo leaves some internal
      // timeouts (a document that took over 60 s to become ready under load) as unhandled rejections,
      // which would otherwise end the process for everyone.
      process.on('unhandledRejection', (reason) => {
        out.note(`hub: a background task failed (the hub keeps running): ${reason instanceof Error ? reason.message : String(reason)}`)
      })
      const portText = stringOption(values, 'port')
      const port = portText === undefined ? DEFAULT_HUB_PORT : parseWhole(portText, '--port', 0)
      const webOption = stringOption(values, 'web')
      const webRoot = webOption ?? (existsSync(DEFAULT_WEB_ROOT) ? DEFAULT_WEB_ROOT : null)
      const control = controlSocketPath(home.dir)
      // The sample designs' maintainer key, kept in the home and offered to browsers as a shared
      // demo identity so that newcomers can try the maintainer side (never on a real hub).
      const demo = values.sample === true ? await sampleMaintainer(home.dir, (await home.index()).designs.length === 0) : null
      const hub = await startHub({
        privateKey: me.privateKey,
        storageDir: storeDirectory(home.dir),
        blobsDir: blobDirectory(home.dir),
        home: home.dir,
        control,
        port,
        ...(stringOption(values, 'host') === undefined ? {} : { host: stringOption(values, 'host')! }),
        peers: listOption(values, 'peer') ?? [],
        webRoot,
        demoIdentity: demo === null ? null : { name: demo.name, key: serializeIdentity(demo) },
        // serve.json last: once the sample is there and the control socket answers.
        announce: false,
        log: (line) => out.note(`hub: ${line}`),
      })
      if (values.sample === true && (await home.index()).designs.length === 0) {
        out.note('seeding a sample commons…')
        const sample = await seedSampleCommons(hub.repo, hub.blobs, demo ?? undefined)
        const index = await home.index()
        for (const d of [...sample.designs, sample.fork]) index.addDesign(d, 'imported')
        await index.save()
        await flushReady(hub.repo)
        await hub.storage.settled()
        // Listed before anyone is told the hub is there.
        await hub.index.settled()
      }
      const store = lentStore(hub)
      const server = await serveControl(
        control,
        async (argv, io) => {
          const code = await main(argv, io, { store })
          out.note(`hub: ${logLine(`ran \`cosmo ${argv.filter((a, i) => a !== '--home' && argv[i - 1] !== '--home').join(' ')}\` for a local client (exit ${code})`)}`)
          return code
        },
        out.io.env,
      )
      await hub.announce()
      // The hub's own writes are durable when acknowledged (it settles before answering): nothing to hold back.
      out.release()
      out.result({ id: hub.id, multiaddrs: hub.multiaddrs(), http: hub.http, automergeWs: hub.automergeWs, web: webRoot }, () => [
        `hub ${hub.id} is running`,
        `  open ${hub.http}${webRoot === null ? ' (web app not built: a catalogue page is served)' : ''}`,
        ...hub.multiaddrs().map((m) => `  libp2p ${m}`),
        `  automerge WebSocket ${hub.automergeWs}`,
        'press Ctrl-C to stop',
      ])
      // The handlers stay until the process ends: a second signal while the store is being flushed
      // (a terminal's Ctrl-C reaches both a re-executing wrapper and this process, and people press
      // it twice) must not cut the flush short.
      await new Promise<void>((resolve) => {
        process.on('SIGINT', () => resolve())
        process.on('SIGTERM', () => resolve())
      })
      out.note('stopping: flushing the store…')
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(control, { force: true })
      await hub.stop()
    },
  },
  {
    name: 'catalogue',
    async run({ values, home, out }) {
      const { store, node } = await home.network()
      const remote = await connectTo(node, store.repo, requiredString(values, 'peer'))
      // Every page, unless --limit says how many of the newest designs to list.
      const limitText = stringOption(values, 'limit')
      const catalogue = await fetchCatalogue(node, remote, limitText === undefined ? {} : { limit: parseWhole(limitText, '--limit', 1) })
      const place = stringOption(values, 'place')
      const rows = entriesAdaptedFor(catalogue.designs, place).map((e) => ({
        design: toUrl(e.design),
        title: e.title,
        maintainers: e.maintainers,
        forkedFrom: e.forkedFrom === null ? null : toUrl(e.forkedFrom),
        lastChange: isoTimeOrEmpty(e.lastChange),
        place: e.place,
        placeCode: e.placeCode,
        needs: e.needs,
        makes: e.makes,
      }))
      out.result(rows, () =>
        rows.length === 0
          ? `${remote.id} holds no designs${place === undefined ? '' : ` adapted for ${JSON.stringify(place)}`}`
          : rows.map((r) => {
              const where = [r.place, r.placeCode ?? ''].filter((x) => x !== '').join(', ')
              return `${r.design}  ${r.title}${where === '' ? '' : `  [${where}]`}${r.forkedFrom === null ? '' : `  (fork of ${r.forkedFrom})`}  ${r.lastChange}`
            }),
      )
    },
  },
  {
    name: 'pull',
    async run({ values, positionals, home, out }) {
      const { store, commons, node, share } = await home.network()
      out.progress(`connecting to ${requiredString(values, 'peer')}…`)
      const remote = await connectTo(node, store.repo, requiredString(values, 'peer'))
      const result = await pullDesign(commons, node, share, remote, positionals[0]!, progressLine(out))
      const designs = await remember(home, result.designs)
      const d = await commons.design(result.design)
      const files = await fetchDesignFiles(home, out, designs, remote.peer)
      out.result(
        { design: d.url, title: d.content.title, designs, documents: result.documents.length, fetched: result.fetched.length, files: files.fetched.length, filesMissing: files.failed.length },
        () => [
          `pulled "${d.content.title}" (${d.url}) from ${remote.id}: ${result.fetched.length} of ${result.documents.length} documents were new or changed; ${designs.length} design(s) verified` +
            (files.fetched.length + files.failed.length === 0 ? '' : `; ${files.fetched.length} file(s) fetched, ${files.failed.length} not available`),
        ],
      )
    },
  },
  {
    name: 'sync',
    async run({ values, home, out }) {
      const { store, node, share, commons } = await home.network()
      // Everything written so far is on disk, so the store's listing is all this home holds.
      await commons.settled()
      await flushReady(store.repo)
      const held = await storedDocumentIds(storeDirectory(home.dir))
      const before = await snapshotHeads(commons, held)
      out.progress(`connecting to ${requiredString(values, 'peer')}…`)
      const remote = await connectTo(node, store.repo, requiredString(values, 'peer'))
      const result = await syncAll(node, commons, remote, before, share, progressLine(out))
      const designs = await remember(home, result.received)
      // Files both ways: fetch what we lack of the designs we hold, and wait for the peer to hold
      // ours (a hub fetches the files of the designs it holds from us while we are connected).
      const referenced = await new SharedFiles(commons, () => heldDesigns(home)).all()
      const got = await fetchFiles(node, store.blobs, referenced.values(), {
        peers: [remote.peer],
        onProgress: ({ file, blob }) => out.bar(blob.receivedBytes, blob.totalBytes, file.name),
        log: (line) => out.note(`note: ${line}`),
      })
      const mine = []
      for (const h of referenced.keys()) if (await store.blobs.has(h)) mine.push(h)
      out.progress(`waiting for ${remote.id} to hold ${mine.length} file(s)…`)
      const notThere = await filesSettled(node, remote.peer, mine)
      for (const h of notThere) out.note(`note: ${remote.id} did not take file ${h}`)
      out.result(
        { peer: remote.id, documents: result.documents, received: result.received.map(toUrl), sent: result.sent.map(toUrl), designs, filesReceived: got.fetched.map((f) => f.hash), filesThere: mine.length - notThere.length },
        () => [
          `synced ${result.documents} documents with ${remote.id}: ${result.received.length} received, ${result.sent.length} sent`,
          ...designs.map((d) => `  design ${d}`),
        ],
      )
    },
  },
]
