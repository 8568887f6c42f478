/**
 * The hub's HTTP side: the built web app (when present), a small JSON API, a plain catalogue page
 * when no web app is built, and the stock automerge-repo WebSocket endpoint at /automerge.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { pipeline } from 'node:stream'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { WebSocketServer } from 'ws'
import type { DeniedKey } from './deny-list.js'
import { DEFAULT_CATALOGUE_PAGE_DESIGNS, MAX_CATALOGUE_PAGE_DESIGNS } from './limits.js'
import { parseEntryCursor, type CatalogueEntry, type EntryCursor } from './protocols.js'

export const AUTOMERGE_WS_PATH = '/automerge'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

export interface CatalogueQuery {
  cursor?: EntryCursor | undefined
  offset?: number | undefined
  limit: number
}

export interface CataloguePageAnswer {
  designs: CatalogueEntry[]
  next: string | null
  total: number
}

/**
 * `/api/catalogue?cursor=&offset=&limit=`: a page, `{ designs, next, total }` (`next`: the cursor of
 * the following page, null on the last, and a `Link: <…>; rel="next"` header naming it). Without
 * any of them, what it always answered: an array, of the first MAX_CATALOGUE_PAGE_DESIGNS designs,
 * with the same `Link` header when there are more. Null when the query is malformed.
 */
function parseCatalogueQuery(search: URLSearchParams): CatalogueQuery | 'legacy' | null {
  const cursor = search.get('cursor')
  const offset = search.get('offset')
  const limit = search.get('limit')
  if (cursor === null && offset === null && limit === null) return 'legacy'
  const whole = (v: string, min: number) => (/^\d{1,9}$/.test(v) && Number(v) >= min ? Number(v) : null)
  const out: CatalogueQuery = { limit: DEFAULT_CATALOGUE_PAGE_DESIGNS }
  if (limit !== null) {
    const n = whole(limit, 1)
    if (n === null) return null
    out.limit = Math.min(n, MAX_CATALOGUE_PAGE_DESIGNS)
  }
  if (offset !== null) {
    const n = whole(offset, 0)
    if (n === null) return null
    out.offset = n
  }
  if (cursor !== null) {
    try {
      out.cursor = parseEntryCursor(cursor)
    } catch {
      return null
    }
  }
  return out
}

/** The `Link` header naming the page after a cursor (RFC 8288). */
const nextPageLink = (cursor: string, limit: number) => `</api/catalogue?cursor=${encodeURIComponent(cursor)}&limit=${limit}>; rel="next"`

export interface HttpDeps {
  webRoot: string | null
  wss: WebSocketServer
  info: () => { id: string; multiaddrs: string[]; automergeWs: string; denied: DeniedKey[]; index?: { complete: boolean; designs: number; documents: number } }
  /** A page of the catalogue (from the index: no document is loaded). */
  catalogue: (page: CatalogueQuery) => Promise<CataloguePageAnswer>
  /** A sample hub's shared demo key (HubInit.demoIdentity); /api/demo-identity is 404 without one. */
  demoIdentity?: { name: string; key: unknown } | null
  log: (line: string) => void
}

export function createHttpServer(deps: HttpDeps): Server {
  const server = createServer((req, res) => {
    handle(req, res, deps).catch((err: Error) => {
      deps.log(`http ${req.method} ${req.url}: ${err.message}`)
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n')
      else res.destroy()
    })
  })
  server.on('upgrade', (req, socket, head) => {
    if (requestPath(req) !== AUTOMERGE_WS_PATH) {
      socket.destroy()
      return
    }
    deps.wss.handleUpgrade(req, socket, head, (ws) => deps.wss.emit('connection', ws, req))
  })
  return server
}

/**
 * The request target's path, or null when it is not one. Parsed as a path, never as a URL of its
 * own: `//x` is a path here, not another host (and `new URL('//', base)` throws).
 */
function requestPath(req: IncomingMessage): string | null {
  return requestUrl(req)?.pathname ?? null
}

function requestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? '/'
  if (!target.startsWith('/')) return null
  try {
    return new URL(`http://hub${target}`)
  } catch {
    return null
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const pathname = requestPath(req)
  if (pathname === null) {
    send(res, 400, 'text/plain; charset=utf-8', 'bad request target\n')
    return
  }
  const url = { pathname }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain; charset=utf-8', 'only GET\n')
    return
  }
  if (url.pathname === '/api/hub') {
    json(res, deps.info())
    return
  }
  if (url.pathname === '/api/demo-identity' && deps.demoIdentity != null) {
    json(res, deps.demoIdentity)
    return
  }
  if (url.pathname === '/api/catalogue') {
    const query = parseCatalogueQuery(requestUrl(req)!.searchParams)
    if (query === null) {
      send(res, 400, 'text/plain; charset=utf-8', 'malformed catalogue query (cursor, offset: a whole number, limit: a whole number from 1)\n')
    } else if (query === 'legacy') {
      const page = await deps.catalogue({ limit: MAX_CATALOGUE_PAGE_DESIGNS })
      if (page.next !== null) res.setHeader('link', nextPageLink(page.next, MAX_CATALOGUE_PAGE_DESIGNS))
      json(res, page.designs)
    } else {
      // A page names the next one in its body and, as the first page does, in a Link header.
      const page = await deps.catalogue(query)
      if (page.next !== null) res.setHeader('link', nextPageLink(page.next, query.limit))
      json(res, page)
    }
    return
  }
  if (deps.webRoot !== null && (await serveStatic(req, res, deps.webRoot, url.pathname))) return
  if (url.pathname === '/' || url.pathname === '/index.html') {
    send(res, 200, TYPES['.html']!, cataloguePage(deps.info(), await deps.catalogue({ limit: MAX_CATALOGUE_PAGE_DESIGNS })))
    return
  }
  send(res, 404, 'text/plain; charset=utf-8', 'not found\n')
}

/** Serves a file under `root`; unknown paths without an extension get index.html (client-side routes). */
async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): Promise<boolean> {
  const base = resolve(root)
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return false // a malformed %-escape names no file: 404, not a server error
  }
  let file = resolve(join(base, normalize(decoded)))
  if (file !== base && !file.startsWith(base + sep)) return false
  let info = await stat(file).catch(() => null)
  if (info?.isDirectory()) {
    file = join(file, 'index.html')
    info = await stat(file).catch(() => null)
  }
  if (info === null && extname(pathname) === '') {
    file = join(base, 'index.html')
    info = await stat(file).catch(() => null)
  }
  if (info === null || !info.isFile()) return false
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    // Hashed assets never change; the entry page and service worker must always be revalidated.
    'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  })
  if (req.method === 'HEAD') res.end()
  // pipeline, not pipe: a read error (the file removed meanwhile) ends this response, not the process.
  else pipeline(createReadStream(file), res, () => {})
  return true
}

function json(res: ServerResponse, value: unknown): void {
  send(res, 200, TYPES['.json']!, `${JSON.stringify(value, null, 2)}\n`)
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' })
  res.end(body)
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** What the hub shows at / when the web app has not been built: its catalogue and how to connect. */
function cataloguePage(info: { id: string; multiaddrs: string[]; automergeWs: string }, page: CataloguePageAnswer): string {
  const rows = page.designs
    .map(
      (e) =>
        `<tr><td>${escape(e.title)}</td><td><code>automerge:${escape(e.design)}</code></td><td>${e.forkedFrom === null ? '' : `fork of <code>automerge:${escape(e.forkedFrom)}</code>`}</td><td>${new Date(e.lastChange).toISOString()}</td></tr>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cosmolocal hub</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}td,th{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #ddd}code{font-size:.85em}</style>
</head><body>
<h1>Cosmolocal hub</h1>
<p>Hub id <code>${escape(info.id)}</code>. The web app is not built; this page lists the designs this hub holds.</p>
<p>Pull one with <code>cosmo pull URL --peer ${escape(info.multiaddrs[0] ?? '')}</code>, or read it from any automerge-repo app at <code>${escape(info.automergeWs)}</code>.</p>
<h2>Designs (${page.total}${page.total > page.designs.length ? `, the newest ${page.designs.length} listed` : ''})</h2>
<table><thead><tr><th>Title</th><th>URL</th><th>Lineage</th><th>Last change</th></tr></thead><tbody>
${rows}
</tbody></table>
</body></html>
`
}
