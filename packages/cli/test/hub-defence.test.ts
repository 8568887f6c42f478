/**
 * A running hub (`cosmo serve`, a real process) under hostile input and its operator's defences:
 * one bad message on an endpoint must not stop the process, and `cosmo hub deny` cuts a key off
 * at once.
 */
import { connect } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, cosmo, expectFailure, json, ok, person, Scratch } from './helpers.js'
import { isRunning, serve, stop, type Served } from './served.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())
const running: Served[] = []
afterEach(async () => {
  for (const s of running.splice(0)) await stop(s)
})

async function served(home: string): Promise<Served> {
  const s = await serve(home)
  running.push(s)
  return s
}

/** Sends `bytes` as one binary message and waits for the hub to close the connection. */
function wsMessage(url: string, bytes: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    // Node's own WebSocket client (undici): the test needs no WebSocket library of its own.
    const ws = new WebSocket(url)
    ws.addEventListener('open', () => ws.send(bytes))
    ws.addEventListener('close', (e) => resolve(e.code))
  })
}

/** Sends one raw line on the control socket and collects the answer; null if nothing listens there. */
function controlLine(path: string, line: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect(path)
    let answer = ''
    let connected = false
    socket.on('connect', () => {
      connected = true
      socket.write(line)
    })
    socket.on('data', (d) => (answer += d.toString('utf8')))
    socket.on('error', () => resolve(connected ? answer : null))
    socket.on('close', () => resolve(connected ? answer : null))
  })
}

describe('cosmo serve under hostile input', () => {
  it('a stock WebSocket message holding CBOR null does not stop cosmo serve: that connection is closed, with a reason in the log', async () => {
    const hubHome = await person(scratch, 'hub')
    const hub = await served(hubHome.home)
    const alice = await person(scratch, 'alice')
    await json(alice.home, 'design', 'new', '--title', 'Loom')
    await ok(alice.home, 'sync', '--peer', hub.addr)
    expect(await wsMessage(hub.automergeWs, Uint8Array.from([0xf6]))).toBe(1007)
    await new Promise((r) => setTimeout(r, 300))
    expect(isRunning(hub)).toBe(true)
    expect(hub.stderr()).toMatch(/stock WebSocket client .* dropped: MalformedFrameError/)
    const catalogue = await json(alice.home, 'catalogue', '--peer', hub.addr)
    expect(catalogue.map((e: { title: string }) => e.title)).toEqual(['Loom'])
  })

  it('malformed lines on the control socket (JSON null, not JSON, wrong shapes) do not stop cosmo serve', async () => {
    const hubHome = await person(scratch, 'hub')
    const hub = await served(hubHome.home)
    for (const line of ['null\n', '42\n', '"argv"\n', '{"argv":[1,2]}\n', 'not json\n', '{"argv":null}\n']) {
      expect(await controlLine(hub.control, line)).toContain('"exit":2')
      expect(isRunning(hub)).toBe(true)
    }
    // the next real command still runs inside the hub
    expect(await json(hubHome.home, 'hub', 'denied')).toEqual([])
    expect(hub.stderr()).toMatch(/ran `cosmo --json hub denied`/)
  })
})

describe('cosmo hub deny / allow', () => {
  it('while cosmo serve runs, cosmo hub deny cuts a key off at once (its cosmo sync is refused, saying why), /api/hub lists it, and allow lets it back', async () => {
    const hubHome = await person(scratch, 'hub')
    const hub = await served(hubHome.home)
    const alice = await person(scratch, 'alice')
    await json(alice.home, 'design', 'new', '--title', 'Loom')
    await ok(alice.home, 'sync', '--peer', hub.addr)

    const denied = await json(hubHome.home, 'hub', 'deny', alice.id, '--note', 'spam')
    expect(denied).toMatchObject({ id: alice.id, note: 'spam', live: true })
    const api = (await (await fetch(new URL('/api/hub', hub.http))).json()) as { denied: { id: string }[] }
    expect(api.denied.map((d) => d.id)).toEqual([alice.id])

    await json(alice.home, 'design', 'new', '--title', 'After the denial')
    const refused = await cosmo(alice.home, 'sync', '--peer', hub.addr)
    expectFailure(refused, 3, /refused to sync: this key is denied by the hub/)
    const bob = await person(scratch, 'bob')
    const titles = (await json(bob.home, 'catalogue', '--peer', hub.addr)).map((e: { title: string }) => e.title)
    expect(titles).toEqual(['Loom'])

    expect(await json(hubHome.home, 'hub', 'allow', alice.id)).toMatchObject({ allowed: true, live: true })
    await ok(alice.home, 'sync', '--peer', hub.addr)
    const after = (await json(bob.home, 'catalogue', '--peer', hub.addr)).map((e: { title: string }) => e.title).sort()
    expect(after).toEqual(['After the denial', 'Loom'])
  })

  it('without a running hub, cosmo hub deny is kept in the home and applies when cosmo serve starts', async () => {
    const hubHome = await person(scratch, 'hub')
    const alice = await person(scratch, 'alice')
    const denied = await json(hubHome.home, 'hub', 'deny', alice.id)
    expect(denied).toMatchObject({ id: alice.id, live: false })
    expect((await json(hubHome.home, 'hub', 'denied')).map((d: { id: string }) => d.id)).toEqual([alice.id])
    const hub = await served(hubHome.home)
    await json(alice.home, 'design', 'new', '--title', 'Loom')
    expectFailure(await cosmo(alice.home, 'sync', '--peer', hub.addr), 3, /denied/)
    expectFailure(await cosmo(hubHome.home, 'hub', 'deny', 'not-a-key'), 5, /not a person id/)
  })
})
