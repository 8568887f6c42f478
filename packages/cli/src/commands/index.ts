/**
 * Every command, in the order `cosmo --help` lists them: the static table that parsing and help
 * read. Each group's implementation (./<group>.ts) is imported only when one of its commands runs,
 * so `--help`, `--version` and the local commands never load what the network commands need.
 */
import type { Command, CommandRun } from '../command.js'
import { DETAIL_OPTIONS, FILE_ROLE_NAMES, HUB_PORT, LICENSE_OPTIONS, PLACE_OPTIONS, ROW_OPTIONS } from './options.js'

type Loader = () => Promise<readonly CommandRun[]>

const id: Loader = () => import('./id.js').then((m) => m.idCommands)
const design: Loader = () => import('./design.js').then((m) => m.designCommands)
const bom: Loader = () => import('./bom.js').then((m) => m.bomCommands)
const step: Loader = () => import('./step.js').then((m) => m.stepCommands)
const files: Loader = () => import('./files.js').then((m) => m.fileCommands)
const collaborate: Loader = () => import('./collaborate.js').then((m) => m.collaborateCommands)
const diff: Loader = () => import('./diff.js').then((m) => m.diffCommands)
const maintainers: Loader = () => import('./maintainers.js').then((m) => m.maintainersCommands)
const history: Loader = () => import('./history.js').then((m) => m.historyCommands)
const bundle: Loader = () => import('./bundle.js').then((m) => m.bundleCommands)
const okh: Loader = () => import('./okh.js').then((m) => m.okhCommands)
const network: Loader = () => import('./network.js').then((m) => m.networkCommands)
const doctor: Loader = () => import('./doctor.js').then((m) => m.doctorCommands)
const hub: Loader = () => import('./hub.js').then((m) => m.hubCommands)
const forks: Loader = () => import('./forks.js').then((m) => m.forkCommands)
const needs: Loader = () => import('./needs.js').then((m) => m.needsCommands)
const inbox: Loader = () => import('./inbox.js').then((m) => m.inboxCommands)
const credit: Loader = () => import('./credit.js').then((m) => m.creditCommands)

export const COMMANDS: readonly Command[] = [
  // id.ts
  {
    name: 'id init',
    summary: 'create this home\'s identity (a new key)',
    options: {
      name: { type: 'string', placeholder: 'NAME', help: 'your display name' },
      force: { type: 'boolean', help: 'replace an existing identity (its key is lost)' },
    },
    required: ['name'],
    load: id,
  },
  {
    name: 'id show',
    summary: 'show this home\'s identity',
    load: id,
  },
  // design.ts
  {
    name: 'design new',
    summary: 'create a design (you become its maintainer)',
    options: {
      title: { type: 'string', placeholder: 'T', help: 'the design\'s title' },
      summary: { type: 'string', placeholder: 'S', help: 'a one-line summary' },
      ...LICENSE_OPTIONS,
      tag: { type: 'string', multiple: true, placeholder: 'T', help: 'a tag (repeat for more)' },
    },
    required: ['title'],
    load: design,
  },
  {
    name: 'design list',
    summary: 'list the designs this home knows (created, forked, imported)',
    load: design,
  },
  {
    name: 'design show',
    summary: 'show a design\'s canonical content (what its maintainers signed)',
    positionals: ['URL'],
    load: design,
  },
  {
    name: 'design edit',
    summary: 'edit a design\'s fields (maintainers only)',
    positionals: ['URL'],
    options: {
      title: { type: 'string', placeholder: 'T' },
      summary: { type: 'string', placeholder: 'S' },
      readme: { type: 'string', placeholder: 'TEXT' },
      version: { type: 'string', placeholder: 'V' },
      ...LICENSE_OPTIONS,
      ...DETAIL_OPTIONS,
      ...PLACE_OPTIONS,
    },
    load: design,
  },
  {
    name: 'design approve',
    summary: 'co-sign the changes that await your signature (threshold above 1)',
    positionals: ['URL'],
    load: design,
  },
  // bom.ts
  {
    name: 'bom add',
    summary: 'add a BOM row',
    positionals: ['URL'],
    options: { ...ROW_OPTIONS, before: { type: 'string', placeholder: 'ROWID', help: 'insert before this row (default: at the end)' } },
    required: ['name', 'quantity'],
    load: bom,
  },
  {
    name: 'bom set',
    summary: 'change a BOM row',
    positionals: ['URL', 'ID'],
    options: ROW_OPTIONS,
    load: bom,
  },
  {
    name: 'bom rm',
    summary: 'remove a BOM row',
    positionals: ['URL', 'ID'],
    load: bom,
  },
  {
    name: 'bom move',
    summary: 'move a BOM row before another one (or to the end)',
    positionals: ['URL', 'ID'],
    options: { before: { type: 'string', placeholder: 'ROWID', help: 'move before this row (default: to the end)' } },
    load: bom,
  },
  // step.ts
  {
    name: 'step add',
    summary: 'add a build step at the end',
    positionals: ['URL'],
    options: {
      title: { type: 'string', placeholder: 'T' },
      body: { type: 'string', placeholder: 'B', help: 'what to do (text)' },
    },
    required: ['title', 'body'],
    load: step,
  },
  {
    name: 'step set',
    summary: 'change a build step',
    positionals: ['URL', 'ID'],
    options: {
      title: { type: 'string', placeholder: 'T' },
      body: { type: 'string', placeholder: 'B' },
    },
    load: step,
  },
  {
    name: 'step rm',
    summary: 'remove a build step',
    positionals: ['URL', 'ID'],
    load: step,
  },
  {
    name: 'step move',
    summary: 'move a build step before another one (or to the end)',
    positionals: ['URL', 'ID'],
    options: { before: { type: 'string', placeholder: 'STEPID', help: 'move before this step (default: to the end)' } },
    load: step,
  },
  // files.ts
  {
    name: 'attach',
    summary: 'attach a file to a design (stored once, by sha-256; maintainers only)',
    positionals: ['URL', 'FILE'],
    options: {
      role: { type: 'string', placeholder: 'R', help: `${FILE_ROLE_NAMES.join(', ')} (default: guessed from the extension)` },
      name: { type: 'string', placeholder: 'N', help: "the name shown for it (default: the file's name)" },
      'media-type': { type: 'string', placeholder: 'T', help: 'e.g. model/stl (default: guessed from the extension)' },
    },
    load: files,
  },
  {
    name: 'files',
    summary: "list a design's files, and whether their bytes are in this home",
    positionals: ['URL'],
    load: files,
  },
  {
    name: 'file get',
    summary: "write a design's file to PATH, fetching it from a peer when it is not in this home",
    positionals: ['URL', 'ID'],
    options: {
      out: { type: 'string', placeholder: 'PATH', help: 'where to write it' },
      peer: { type: 'string', placeholder: 'MULTIADDR', help: 'a hub or peer to fetch it from when it is not here' },
    },
    required: ['out'],
    notes: ['Bytes are verified chunk by chunk as they arrive; an interrupted download resumes where it stopped.'],
    load: files,
  },
  {
    name: 'file rm',
    summary: 'remove a file from a design (its bytes stay: forks and other designs may share them)',
    positionals: ['URL', 'ID'],
    load: files,
  },
  // collaborate.ts
  {
    name: 'fork',
    summary: 'fork a design: your own copy of its canonical content, which you maintain',
    positionals: ['URL'],
    options: { title: { type: 'string', placeholder: 'T', help: 'a title for the fork' }, ...LICENSE_OPTIONS, ...PLACE_OPTIONS },
    notes: ['Licence options relicense the fork; a change the upstream licence does not allow (share-alike) is warned about.'],
    load: collaborate,
  },
  {
    name: 'propose',
    summary: "propose a design's changes to a related one: its upstream, a fork, a sibling (again: a new revision)",
    options: {
      from: { type: 'string', placeholder: 'FORK', help: 'your design (you maintain it)' },
      to: { type: 'string', placeholder: 'UPSTREAM', help: 'any design that shares content history with it' },
      title: { type: 'string', placeholder: 'T' },
      description: { type: 'string', placeholder: 'D' },
      need: { type: 'string', multiple: true, placeholder: 'NEED', help: "a need of the upstream this resolves (repeatable): accepting it closes the need" },
    },
    required: ['from', 'to', 'title'],
    load: collaborate,
  },
  {
    name: 'proposals',
    summary: 'list the proposals made to a design',
    positionals: ['URL'],
    load: collaborate,
  },
  {
    name: 'review',
    summary: 'accept or reject a proposal\'s latest revision (maintainers only)',
    positionals: ['PROPOSAL'],
    options: {
      accept: { type: 'boolean', help: 'merge it (with a threshold above 1: once enough maintainers accepted)' },
      reject: { type: 'boolean' },
      comment: { type: 'string', placeholder: 'C' },
    },
    load: collaborate,
  },
  // diff.ts
  {
    name: 'diff',
    summary: 'what merging a proposal would change in the design, and where it conflicts',
    positionals: ['PROPOSAL'],
    options: { revision: { type: 'string', placeholder: 'N', help: 'a revision number (default: the latest)' } },
    load: diff,
  },
  // forks.ts
  {
    name: 'update',
    summary: "take a related design's canonical content (default: the upstream's) into your fork, and sign it",
    positionals: ['FORK'],
    options: {
      from: { type: 'string', placeholder: 'DESIGN', help: 'the design to take it from (default: the one FORK was forked from)' },
      'dry-run': { type: 'boolean', help: 'only show what it would bring: fields, BOM rows, steps, files, licence warnings, conflicts' },
    },
    notes: ['Only what the other design\'s maintainers signed enters; with a threshold above 1 the update waits for co-signers (cosmo design approve).'],
    load: forks,
  },
  {
    name: 'lineage',
    summary: 'the tree a design belongs to (upstreams, forks, their forks) with how far each fork is ahead of and behind its upstream',
    positionals: ['URL'],
    load: forks,
  },
  // maintainers.ts
  {
    name: 'maintainers',
    summary: 'list a design\'s maintainers',
    positionals: ['URL'],
    load: maintainers,
  },
  {
    name: 'maintainers add',
    summary: 'add a maintainer (by person id; see cosmo id show)',
    positionals: ['URL', 'ID'],
    load: maintainers,
  },
  {
    name: 'maintainers remove',
    summary: 'remove a maintainer',
    positionals: ['URL', 'ID'],
    load: maintainers,
  },
  {
    name: 'maintainers threshold',
    summary: 'set how many maintainers must sign each change',
    positionals: ['URL', 'K'],
    load: maintainers,
  },
  // history.ts
  {
    name: 'log',
    summary: 'a design\'s valid signed records: who did what, when',
    positionals: ['URL'],
    load: history,
  },
  {
    name: 'verify',
    summary: 'verify a design: its genesis, governance, canonical heads, and every record ignored (with why)',
    positionals: ['URL'],
    load: history,
  },
  // credit.ts
  {
    name: 'contributors',
    summary: 'who contributed what to a design (merged changes, rows, steps, files, reviews, needs, comments, makes, citations), from its signed records',
    positionals: ['URL'],
    load: credit,
  },
  {
    name: 'make report',
    summary: 'report that you built a design (its canonical version): where, how it went, what you changed, photos',
    positionals: ['URL'],
    options: {
      photo: { type: 'string', multiple: true, placeholder: 'FILE', help: 'a photo of what you built (repeatable; stored by sha-256)' },
      place: { type: 'string', placeholder: 'PLACE', help: 'where, e.g. "Nairobi, KE"' },
      result: { type: 'string', placeholder: 'R', help: 'works, issues or failed (default works)' },
      changes: { type: 'string', placeholder: 'T', help: 'what you changed for local materials or tools' },
      notes: { type: 'string', placeholder: 'T' },
    },
    load: credit,
  },
  {
    name: 'makes',
    summary: "list a design's build reports (who made it, where, how it went)",
    positionals: ['URL'],
    load: credit,
  },
  {
    name: 'export valueflows',
    summary: "write a design's contributions as ValueFlows JSON-LD (work, cite and produce events)",
    positionals: ['URL'],
    options: { out: { type: 'string', placeholder: 'FILE', help: 'the JSON-LD file to write' } },
    required: ['out'],
    load: credit,
  },
  // bundle.ts
  {
    name: 'bundle export',
    summary: 'write designs or proposals (with everything they need) to a sealed bundle file',
    positionals: ['URL...'],
    options: { out: { type: 'string', placeholder: 'FILE', help: 'the bundle file to write' } },
    required: ['out'],
    load: bundle,
  },
  {
    name: 'bundle import',
    summary: 'import a bundle file (all or nothing: a damaged or tampered bundle imports nothing)',
    positionals: ['FILE'],
    load: bundle,
  },
  // okh.ts
  {
    name: 'import okh',
    summary: 'create a design from an Open Know-How manifest (okh.toml or okh.yml); problems are listed as warnings',
    positionals: ['FILE'],
    notes: ['Prints the new design\'s URL on stdout and each problem in the manifest as a warning on stderr.'],
    load: okh,
  },
  {
    name: 'export okh',
    summary: 'write a design as an OKH-LOSH manifest (okh.toml)',
    positionals: ['URL'],
    options: { out: { type: 'string', placeholder: 'FILE', help: 'the manifest file to write' } },
    required: ['out'],
    load: okh,
  },
  // network.ts
  {
    name: 'serve',
    summary: 'run a hub on this home (libp2p, relay, automerge WebSocket endpoint, web app) until interrupted',
    options: {
      port: { type: 'string', placeholder: 'P', help: `HTTP port (default ${HUB_PORT}); libp2p TCP and WebSockets use the next two` },
      host: { type: 'string', placeholder: 'ADDR', help: 'interface to listen on (default 127.0.0.1; 0.0.0.0 to serve a network)' },
      peer: { type: 'string', multiple: true, placeholder: 'MULTIADDR', help: 'another hub to peer with (repeatable)' },
      web: { type: 'string', placeholder: 'DIR', help: 'the built web app to serve (default: apps/web/dist when built)' },
      sample: { type: 'boolean', help: 'fill an empty home with a small sample commons first (what npm start does)' },
    },
    notes: ['While it runs, every other cosmo command on this home goes through it.'],
    load: network,
  },
  {
    name: 'catalogue',
    summary: "list the designs a peer (a hub) holds",
    options: {
      peer: { type: 'string', placeholder: 'MULTIADDR', help: 'the peer to ask' },
      place: { type: 'string', placeholder: 'P', help: 'only designs adapted for this place (words of its name, or an ISO 3166 code: KE, KE-30)' },
      limit: { type: 'string', placeholder: 'N', help: 'list only the N most recently changed designs (default: all, read a page at a time)' },
    },
    required: ['peer'],
    load: network,
  },
  {
    name: 'pull',
    summary: 'fetch a design with its inbox, proposals and the forks they point to, and verify it',
    positionals: ['URL'],
    options: { peer: { type: 'string', placeholder: 'MULTIADDR', help: 'the peer to fetch from' } },
    required: ['peer'],
    load: network,
  },
  {
    name: 'sync',
    summary: 'exchange everything this home holds with a peer, and report what moved',
    options: { peer: { type: 'string', placeholder: 'MULTIADDR', help: 'the peer to sync with' } },
    required: ['peer'],
    load: network,
  },
  // hub.ts
  {
    name: 'hub deny',
    summary: "refuse a key's sync sessions on the hub of this home (its writes are no longer stored or relayed)",
    positionals: ['ID'],
    options: { note: { type: 'string', placeholder: 'TEXT', help: 'why (kept with the entry, shown in the listing)' } },
    load: hub,
  },
  {
    name: 'hub allow',
    summary: 'lift a denial: the key may sync with the hub of this home again',
    positionals: ['ID'],
    load: hub,
  },
  {
    name: 'hub denied',
    summary: 'list the keys the hub of this home denies',
    load: hub,
  },
  // needs.ts
  {
    name: 'need open',
    summary: 'open a need of a design (anyone may): a task, a wish, a question',
    positionals: ['URL'],
    options: {
      title: { type: 'string', placeholder: 'T' },
      body: { type: 'string', placeholder: 'B' },
      label: { type: 'string', multiple: true, placeholder: 'L', help: 'a label (repeatable)' },
      about: { type: 'string', placeholder: 'ID', help: 'the BOM row, step or file it is about' },
    },
    required: ['title'],
    load: needs,
  },
  {
    name: 'need claim',
    summary: "claim a need (\"I'm on it\"; anyone may, several people at once)",
    positionals: ['URL', 'NEED'],
    load: needs,
  },
  {
    name: 'need release',
    summary: 'release your claim on a need',
    positionals: ['URL', 'NEED'],
    load: needs,
  },
  {
    name: 'need close',
    summary: "close a need (its author or a maintainer), optionally naming what resolved it",
    positionals: ['URL', 'NEED'],
    options: { by: { type: 'string', placeholder: 'PROPOSAL', help: 'the proposal (or fork) that resolved it' } },
    notes: ['Accepting a proposal that cites a need (cosmo propose --need) closes it too.'],
    load: needs,
  },
  {
    name: 'need reopen',
    summary: 'reopen a closed need (its author or a maintainer)',
    positionals: ['URL', 'NEED'],
    load: needs,
  },
  {
    name: 'needs',
    summary: 'the needs board: needs of one design, of every design this home holds, or of everything a hub holds',
    optionalPositionals: ['URL'],
    options: {
      state: { type: 'string', placeholder: 'S', help: 'open, claimed or closed (default: open and claimed)' },
      label: { type: 'string', placeholder: 'L', help: 'only needs with this label' },
      search: { type: 'string', placeholder: 'WORDS', help: 'only needs whose title, body or labels hold these words' },
      peer: { type: 'string', placeholder: 'MULTIADDR', help: "a hub: pull the designs its catalogue says have such needs, and list theirs" },
    },
    notes: ['NEED, here and in `cosmo need`, is a need\'s id or its first 8 or more characters.'],
    load: needs,
  },
  {
    name: 'comment',
    summary: 'comment on a design or a proposal (anyone may)',
    positionals: ['URL'],
    options: {
      text: { type: 'string', placeholder: 'T' },
      about: { type: 'string', placeholder: 'ID', help: "the BOM row, step or file of the design it is about (a design's discussion only)" },
      reply: { type: 'string', placeholder: 'COMMENT', help: 'the comment it answers' },
    },
    required: ['text'],
    load: needs,
  },
  {
    name: 'comments',
    summary: "a design's discussion, or a proposal's",
    positionals: ['URL'],
    load: needs,
  },
  // inbox.ts
  {
    name: 'follow',
    summary: 'follow a design: what happens on it shows in your inbox (from now on)',
    positionals: ['URL'],
    load: inbox,
  },
  {
    name: 'unfollow',
    summary: 'stop following a design (also one followed by default)',
    positionals: ['URL'],
    load: inbox,
  },
  {
    name: 'inbox',
    summary: 'what happened on the designs you follow since you last marked it read, newest first',
    options: {
      all: { type: 'boolean', help: 'list what was read too' },
      'mark-read': { type: 'boolean', help: 'mark everything read after listing it' },
    },
    notes: [
      'Designs you maintain and their upstreams are followed by default.',
      'What you follow and what you read stay in this home (follows.json); nothing of it is sent to peers.',
    ],
    load: inbox,
  },
  // doctor.ts
  {
    name: 'doctor',
    summary: "check every document in this home's store: list damaged chunks set aside and documents to fetch again",
    notes: [
      'Reads every document as a load does: a damaged chunk is moved to <home>/repo-quarantine (never deleted) and left out.',
      'A document listed to fetch again comes back from any peer that holds it (`cosmo pull`, `cosmo sync`) or from a bundle.',
    ],
    load: doctor,
  },
]
