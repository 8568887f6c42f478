/**
 * A plain static file server standing in for a stopped hub: it serves the built web app at / and
 * the baseline page at /baseline/ on the hub's old port (the same origin, so both pages see the
 * IndexedDB the app filled while the hub ran), and answers every /api/ request 503, as a hub
 * that is down would leave the app: it finds the hub unreachable and works from local storage.
 *
 * Caching as a real deployment: hashed files under assets/ are immutable, HTML is revalidated.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { BASELINE_BASE } from './web-build.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
}

export interface StaticServer {
  /** Every path requested, in order (to see what a page loaded). */
  readonly requested: string[]
  close(): Promise<void>
}

export async function serveStatic(port: number, roots: { app: string; baseline: string }): Promise<StaticServer> {
  const requested: string[] = []
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
      requested.push(path)
      if (path.startsWith('/api/') || path.startsWith('/automerge')) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('hub stopped')
        return
      }
      const [root, rest] = path.startsWith(BASELINE_BASE) ? [roots.baseline, path.slice(BASELINE_BASE.length)] : [roots.app, path.slice(1)]
      const file = normalize(rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest)
      if (file.startsWith('..')) {
        res.writeHead(400).end()
        return
      }
      try {
        const body = await readFile(join(root, file))
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        })
        res.end(body)
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      }
    })()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot serve the built app on 127.0.0.1:${port} (the stopped hub's port): ${err.message}`)))
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return {
    requested,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
