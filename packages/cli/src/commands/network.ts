/** Talking to peers: run a hub (`serve`), list a peer's catalogue, pull one design, sync everything. */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import {
  connectTo,
  DEFAULT_HUB_PORT,
  fetchCatalogue,
  fetchFiles,
  filesSettled,
  pullDesign,
  snapshotHeads,
  startHub,
  storedDocumentIds,
  syncAll,
  type Progress,
} from '@cosmolocal/hub'
import { SharedFiles } from '@cosmolocal/net'
import { listOption, parseWhole, requiredString, stringOption } from '../args.js'
import type { Command } from '../command.js'
import { controlSocketPath, serveControl } from '../control.js'
import type { Home } from '../home.js'
import { isoTimeOrEmpty, type Output } from '../output.js'
import { seedSampleCommons } from '../sample.js'
import { writeKeyFile } from '../keyfile.js'
import { createIdentity, flushReady, GOVERNANCE_SCHEMA, toUrl } from '@cosmolocal/core'
import { blobDirectory, storeDirectory, type Store } from '../store.js'

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
  for (const d of designs) for (const f of (await commons.design(d)).content.files) files.set(f.hash, f)
  return await fetchFiles(node, store.blobs, files.values(), {
    peers: [peer],
    onProgress: ({ file, blob }) => out.bar(blob.receivedBytes, blob.totalBytes, file.name),
    log: (line) => out.note(`note: ${line}`),
  })
}

/** Adds every verified design among `ids` to the home's index. */
async function remember(home: Home, ids: readonly string[]): Promise<string[]> {
  const { commons } = await home.network()
  const index = await home.index()
  const designs: string[] = []
  for (const id of ids) {
    const h = commons.repo.handles[id as never]
    if (!h?.isReady() || (h.doc() as { schema?: unknown }).schema !== GOVERNANCE_SCHEMA) continue
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

export const networkCommands: Command[] = [
  {
    name: 'serve',
    summary: 'run a hub on this home (libp2p, relay, automerge WebSocket endpoint, web app) until interrupted',
    options: {
      port: { type: 'string', placeholder: 'P', help: `HTTP port (default ${DEFAULT_HUB_PORT}); libp2p TCP and WebSockets use the next two` },
      host: { type: 'string', placeholder: 'ADDR', help: 'interface to listen on (default 127.0.0.1; 0.0.0.0 to serve a network)' },
      peer: { type: 'string', multiple: true, placeholder: 'MULTIADDR', help: 'another hub to peer with (repeatable)' },
      web: { type: 'string', placeholder: 'DIR', help: 'the built web app to serve (default: apps/web/dist when built)' },
      sample: { type: 'boolean', help: 'fill an empty home with a small sample commons first (what npm start does)' },
    },
    notes: ['While it runs, every other cosmo command on this home goes through it.'],
    async run({ values, home, out }) {
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
        log: (line) => out.note(`hub: ${line}`),
      })
      if (values.sample === true && (await home.index()).designs.length === 0) {
        out.note('seeding a sample commons…')
        const sample = await seedSampleCommons(hub.repo, hub.blobs)
        const index = await home.index()
        for (const d of [...sample.designs, sample.fork]) index.addDesign(d, 'imported')
        await index.save()
        await flushReady(hub.repo)
      }
      const store: Store = { repo: hub.repo, node: hub.node, shared: true, share: hub.share, blobs: hub.blobs, policy: hub.policy, close: async () => {} }
      // Imported lazily: cli.ts imports this file through the command list.
      const { main } = await import('../cli.js')
      const server = await serveControl(
        control,
        async (argv, io) => {
          const code = await main(argv, io, { store })
          out.note(`hub: ran \`cosmo ${argv.filter((a, i) => a !== '--home' && argv[i - 1] !== '--home').join(' ')}\` for a local client (exit ${code})`)
          return code
        },
        out.io.env,
      )
      out.result({ id: hub.id, multiaddrs: hub.multiaddrs(), http: hub.http, automergeWs: hub.automergeWs, web: webRoot }, () => [
        `hub ${hub.id} is running`,
        `  open ${hub.http}${webRoot === null ? ' (web app not built: a catalogue page is served)' : ''}`,
        ...hub.multiaddrs().map((m) => `  libp2p ${m}`),
        `  automerge WebSocket ${hub.automergeWs}`,
        'press Ctrl-C to stop',
      ])
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      out.note('stopping: flushing the store…')
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(control, { force: true })
      await hub.stop()
    },
  },
  {
    name: 'catalogue',
    summary: "list the designs a peer (a hub) holds",
    options: { peer: { type: 'string', placeholder: 'MULTIADDR', help: 'the peer to ask' } },
    required: ['peer'],
    async run({ values, home, out }) {
      const { store, node } = await home.network()
      const remote = await connectTo(node, store.repo, requiredString(values, 'peer'))
      const catalogue = await fetchCatalogue(node, remote)
      const rows = catalogue.designs.map((e) => ({
        design: toUrl(e.design),
        title: e.title,
        maintainers: e.maintainers,
        forkedFrom: e.forkedFrom === null ? null : toUrl(e.forkedFrom),
        lastChange: isoTimeOrEmpty(e.lastChange),
      }))
      out.result(rows, () =>
        rows.length === 0
          ? `${remote.id} holds no designs`
          : rows.map((r) => `${r.design}  ${r.title}${r.forkedFrom === null ? '' : `  (fork of ${r.forkedFrom})`}  ${r.lastChange}`),
      )
    },
  },
  {
    name: 'pull',
    summary: 'fetch a design with its inbox, proposals and the forks they point to, and verify it',
    positionals: ['URL'],
    options: { peer: { type: 'string', placeholder: 'MULTIADDR', help: 'the peer to fetch from' } },
    required: ['peer'],
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
    summary: 'exchange everything this home holds with a peer, and report what moved',
    options: { peer: { type: 'string', placeholder: 'MULTIADDR', help: 'the peer to sync with' } },
    required: ['peer'],
    async run({ values, home, out }) {
      const { store, node, share } = await home.network()
      const held = new Set<string>(await storedDocumentIds(storeDirectory(home.dir)))
      for (const id of Object.keys(store.repo.handles)) held.add(id)
      const before = await snapshotHeads(store.repo, [...held] as never[])
      out.progress(`connecting to ${requiredString(values, 'peer')}…`)
      const remote = await connectTo(node, store.repo, requiredString(values, 'peer'))
      const result = await syncAll(node, store.repo, remote, before, share, progressLine(out))
      const designs = await remember(home, result.received)
      // Files both ways: fetch what we lack of the designs we hold, and wait for the peer to hold
      // ours (a hub fetches the files of the designs it holds from us while we are connected).
      const { commons } = await home.network()
      const referenced = await new SharedFiles(commons).all()
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
