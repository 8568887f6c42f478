// @vitest-environment node
/**
 * The web app reads the hub's whole catalogue, page after page by the `Link: rel="next"` header:
 * against a real hub whose catalogue takes several pages, and against answers that would keep a
 * naive reader going forever or send it to another origin.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MAX_HUB_CATALOGUE_PAGES } from '../src/limits.js'
import { fetchHubCatalogue, nextLink } from '../src/peer/hub-catalogue.js'

const DESIGNS = 11
const PAGE = 4

describe('reading the hub catalogue', () => {
  let dir: string
  let child: ChildProcess
  let hub: { http: string; titles: string[] }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cosmo-web-catalogue-'))
    child = spawn(process.execPath, [fileURLToPath(new URL('./catalogue-hub-process.ts', import.meta.url)), dir, String(DESIGNS)], { stdio: ['pipe', 'pipe', 'inherit'] })
    hub = await new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the hub process exited (${code}) before it was ready`)))
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as typeof hub))
    })
  }, 120_000)

  afterAll(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.stdin?.end()
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      child.kill()
    }
    await rm(dir, { recursive: true, force: true })
  })

  it('follows every page of a real hub, and lists each design once', async () => {
    const first = (await (await fetch(new URL(`/api/catalogue?limit=${PAGE}`, hub.http))).json()) as { designs: unknown[] }
    expect(first.designs).toHaveLength(PAGE)
    const read = await fetchHubCatalogue(hub.http, { pageSize: PAGE })
    expect(read.incomplete).toBeNull()
    expect(read.total).toBe(DESIGNS)
    expect(read.entries.map((e) => e.title).sort()).toEqual(hub.titles)
    expect(new Set(read.entries.map((e) => e.design)).size).toBe(DESIGNS)
    // Without a page size, the hub's largest pages: here, one.
    expect((await fetchHubCatalogue(hub.http)).entries).toHaveLength(DESIGNS)
  })
})

/** A server that answers every catalogue request with one design and whatever Link `link` gives. */
async function hostile(link: (url: URL, n: number) => string | null): Promise<{ origin: string; requests: () => number; close: () => Promise<void> }> {
  let n = 0
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    n++
    const l = link(url, n)
    res.writeHead(200, { 'content-type': 'application/json', ...(l === null ? {} : { link: l }) })
    res.end(JSON.stringify({ designs: [{ design: `d${n}`, title: `T${n}` }], next: null, total: 10 ** 9 }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, requests: () => n, close: () => new Promise((r) => server.close(() => r())) }
}

describe('a hostile catalogue', () => {
  it('is not followed to another origin or path', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      const away = await hostile(() => '<http://127.0.0.2:9/api/catalogue?cursor=x>; rel="next"')
      const elsewhere = await hostile(() => '</api/other?cursor=x>; rel="next"')
      try {
        const a = await fetchHubCatalogue(away.origin)
        expect(a.entries).toHaveLength(1)
        expect(a.incomplete).toMatch(/elsewhere/)
        expect(away.requests()).toBe(1)
        const b = await fetchHubCatalogue(elsewhere.origin)
        expect(b.incomplete).toMatch(/elsewhere/)
        expect(elsewhere.requests()).toBe(1)
        expect(warn).toHaveBeenCalledWith(expect.stringMatching(/elsewhere/))
      } finally {
        await away.close()
        await elsewhere.close()
      }
    } finally {
      warn.mockRestore()
    }
  })

  it('stops at a link back to a page already read, and at its bound on pages', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      // a → b → a: a loop, whatever else the link says
      const loop = await hostile((url) => `</api/catalogue?cursor=${url.searchParams.get('cursor') === 'b' ? 'a' : 'b'}&x=${Math.random()}>; rel="next"`)
      // a fresh cursor every time: only the bound stops it
      const endless = await hostile((_, n) => `</api/catalogue?cursor=c${n}>; rel="next"`)
      try {
        const l = await fetchHubCatalogue(loop.origin)
        expect(l.incomplete).toMatch(/already read/)
        expect(loop.requests()).toBeLessThanOrEqual(3)
        const e = await fetchHubCatalogue(endless.origin)
        expect(endless.requests()).toBe(MAX_HUB_CATALOGUE_PAGES)
        expect(e.entries).toHaveLength(MAX_HUB_CATALOGUE_PAGES)
        expect(e.incomplete).toMatch(/only the first 200 designs/)
      } finally {
        await loop.close()
        await endless.close()
      }
    } finally {
      warn.mockRestore()
    }
  })

  it('reads the next link of a Link header as RFC 8288 writes it', () => {
    const base = new URL('http://h/api/catalogue?limit=2')
    expect(nextLink(null, base)).toBeNull()
    expect(nextLink('</a>; rel="prev", </api/catalogue?cursor=1.x&limit=2>; rel="next"', base)?.href).toBe('http://h/api/catalogue?cursor=1.x&limit=2')
    expect(nextLink('<http://h/n>; title="x"; rel="alternate next"', base)?.href).toBe('http://h/n')
    expect(nextLink('<http://h/n>; rel=next', base)?.href).toBe('http://h/n')
    expect(nextLink('<http://h/n>; rel="nextpage"', base)).toBeNull()
  })
})
