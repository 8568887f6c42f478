/**
 * The network, end to end with real processes: a hub (`cosmo serve`) and people with separate
 * homes, talking libp2p over loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, BIN, cosmo, expectFailure, json, ok, person, Scratch } from './helpers.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

interface Served {
  home: string
  process: ChildProcess
  addr: string
  stderr: () => string
}
const running: Served[] = []
afterEach(async () => {
  for (const s of running.splice(0)) await stop(s)
})

async function serve(home: string, ...extra: string[]): Promise<Served> {
  const env = { ...process.env }
  delete env.COSMO_HOME
  const child = spawn(process.execPath, [BIN, '--home', home, 'serve', '--port', '0', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
  const end = Date.now() + 30_000
  for (;;) {
    const info = await readFile(join(home, 'serve.json'), 'utf8').then((t) => JSON.parse(t) as { multiaddrs: string[]; pid: number }, () => null)
    if (info !== null && info.pid === child.pid) {
      const served = { home, process: child, addr: info.multiaddrs.find((m) => !m.includes('/ws'))!, stderr: () => err }
      running.push(served)
      return served
    }
    if (child.exitCode !== null || Date.now() > end) throw new Error(`cosmo serve did not start: ${err}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function stop(s: Served, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (s.process.exitCode !== null || s.process.signalCode !== null) return
  const exited = new Promise<void>((resolve) => s.process.once('exit', () => resolve()))
  s.process.kill(signal)
  await exited
}

describe('over the network', () => {
  it('create → pull → fork → propose → sync → review → accept through a hub; carol, who joins last, sees the accepted design verified', async () => {
    const hubHome = await person(scratch, 'hub')
    const hub = await serve(hubHome.home)
    const [alice, bob, carol] = [await person(scratch, 'alice'), await person(scratch, 'bob'), await person(scratch, 'carol')]

    const { design } = await json(alice.home, 'design', 'new', '--title', 'Frame loom')
    const { id: frame } = await json(alice.home, 'bom', 'add', design, '--name', 'Side bar', '--quantity', '2')
    const pushed = await json(alice.home, 'sync', '--peer', hub.addr)
    expect(pushed.sent).toHaveLength(3)

    const pulled = await json(bob.home, 'pull', design, '--peer', hub.addr)
    expect(pulled).toMatchObject({ design, title: 'Frame loom', designs: [design] })
    // carol pulls it too, before there is any proposal: her inbox copy is older than the hub's later
    expect((await json(carol.home, 'pull', design, '--peer', hub.addr)).designs).toEqual([design])
    const { design: fork } = await json(bob.home, 'fork', design)
    await ok(bob.home, 'bom', 'add', fork, '--name', 'Bolt M6', '--quantity', '4')
    await ok(bob.home, 'bom', 'set', fork, frame, '--quantity', '4')
    await ok(bob.home, 'step', 'add', fork, '--title', 'Assemble', '--body', 'Bolt it.')
    const { proposal } = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Bolted frame')
    const bobSync = await json(bob.home, 'sync', '--peer', hub.addr)
    expect(bobSync.sent.length).toBeGreaterThanOrEqual(5) // fork (3), proposal, upstream inbox

    // the hub's catalogue lists the fork under its upstream
    const catalogue = await json(carol.home, 'catalogue', '--peer', hub.addr)
    expect(catalogue).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ design, title: 'Frame loom', forkedFrom: null }),
        expect.objectContaining({ design: fork, forkedFrom: design }),
      ]),
    )

    // alice learns of the proposal through her design's inbox
    await json(alice.home, 'sync', '--peer', hub.addr)
    expect(await json(alice.home, 'proposals', design)).toEqual([expect.objectContaining({ proposal, status: 'open', title: 'Bolted frame' })])
    const diff = await json(alice.home, 'diff', proposal)
    expect(diff.bom.added.map((r: { name: string }) => r.name)).toEqual(['Bolt M6'])
    expect(await json(alice.home, 'review', proposal, '--accept')).toEqual({ proposal, status: 'accepted' })
    await json(alice.home, 'sync', '--peer', hub.addr)

    // pulling again a design it already holds follows what the hub's inbox gained since
    const carolPull = await json(carol.home, 'pull', design, '--peer', hub.addr)
    expect(carolPull.designs).toEqual(expect.arrayContaining([design, fork]))
    const shown = await json(carol.home, 'design', 'show', design)
    expect(shown.bom.map((r: { name: string; quantity: number }) => [r.name, r.quantity])).toEqual([
      ['Side bar', 4],
      ['Bolt M6', 4],
    ])
    expect(shown.steps.map((s: { title: string }) => s.title)).toEqual(['Assemble'])
    const report = await json(carol.home, 'verify', design)
    expect(report).toMatchObject({ maintainers: [alice.id], threshold: 1, ignored: [] })
    expect(await json(carol.home, 'proposals', design)).toEqual([expect.objectContaining({ proposal, status: 'accepted' })])
    const log = await json(carol.home, 'log', design)
    expect(log.at(-1)).toMatchObject({ author: alice.id, kind: 'content', summary: expect.stringMatching(/merged "Bolted frame"/) })
  })

  it('while cosmo serve runs, other commands on its home run inside it', async () => {
    const hubHome = await person(scratch, 'hub')
    const hub = await serve(hubHome.home)
    const { design } = await json(hubHome.home, 'design', 'new', '--title', 'Made on the hub')
    expect(hub.stderr()).toMatch(/ran `cosmo --json design new --title Made on the hub` for a local client \(exit 0\)/)
    // the hub holds it at once: another home pulls it
    const carol = await person(scratch, 'carol')
    expect(await json(carol.home, 'pull', design, '--peer', hub.addr)).toMatchObject({ title: 'Made on the hub' })
    // errors keep their exit codes through the control socket
    expectFailure(await cosmo(hubHome.home, 'design', 'show', 'automerge:2nEmEzAARm3tHPF2GEc4m4F1G3yv'), 4, /not in this store/)
  })

  it('a hub killed without warning keeps everything it acknowledged', async () => {
    const hubHome = await person(scratch, 'hub')
    const hub = await serve(hubHome.home)
    const alice = await person(scratch, 'alice')
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Kiln')
    await ok(alice.home, 'bom', 'add', design, '--name', 'Firebrick', '--quantity', '120')
    await json(alice.home, 'sync', '--peer', hub.addr)
    await stop(hub, 'SIGKILL')
    const again = await serve(hubHome.home)
    const carol = await person(scratch, 'carol')
    await json(carol.home, 'pull', design, '--peer', again.addr)
    expect((await json(carol.home, 'design', 'show', design)).bom.map((r: { name: string }) => r.name)).toEqual(['Firebrick'])
  })

  it('fails clearly when the peer or the design cannot be reached', async () => {
    const hubHome = await person(scratch, 'hub')
    const hub = await serve(hubHome.home)
    const bob = await person(scratch, 'bob')
    expectFailure(await cosmo(bob.home, 'pull', 'automerge:2nEmEzAARm3tHPF2GEc4m4F1G3yv', '--peer', hub.addr), 4, /is not on/)
    const deadAddr = hub.addr.replace(/\/tcp\/\d+/, '/tcp/9')
    expectFailure(await cosmo(bob.home, 'sync', '--peer', deadAddr), 1, /cannot reach/)
    expectFailure(await cosmo(bob.home, 'sync', '--peer', 'not-a-multiaddr'), 1, /not a multiaddr/)
    expectFailure(await cosmo(bob.home, 'sync'), 2)
  })

  it('serve --sample (what npm start runs) seeds a commons with designs, a fork and an open proposal, once', async () => {
    const dir = join(await scratch.dir(), 'sample')
    const hub = await serve(dir, '--sample')
    const visitor = await person(scratch, 'visitor')
    const catalogue = await json(visitor.home, 'catalogue', '--peer', hub.addr)
    expect(catalogue.map((e: { title: string }) => e.title).sort()).toEqual([
      'Compost sifter',
      'OHLOOM frame loom',
      'OHLOOM, Nairobi edition',
      'Solar food dryer',
    ])
    const loom = catalogue.find((e: { title: string }) => e.title === 'OHLOOM frame loom')
    const fork = catalogue.find((e: { title: string }) => e.title === 'OHLOOM, Nairobi edition')
    expect(fork.forkedFrom).toBe(loom.design)
    // --limit lists the most recently changed designs only (the catalogue's first page)
    expect(await json(visitor.home, 'catalogue', '--peer', hub.addr, '--limit', '2')).toEqual(catalogue.slice(0, 2))
    await json(visitor.home, 'pull', loom.design, '--peer', hub.addr)
    // the loom's files (a mesh of the frame, a drawing of the heddle) came with it, verified
    const files = await json(visitor.home, 'files', loom.design)
    expect(files.map((f: { name: string; role: string; mediaType: string; present: boolean }) => [f.name, f.role, f.mediaType, f.present])).toEqual([
      ['ohloom-frame.stl', 'mesh', 'model/stl', true],
      ['heddle.svg', 'drawing', 'image/svg+xml', true],
    ])
    const proposals = await json(visitor.home, 'proposals', loom.design)
    expect(proposals).toEqual([expect.objectContaining({ title: 'Local hardwood and an oiling step', status: 'open' })])
    const diff = await json(visitor.home, 'diff', proposals[0].proposal)
    expect(diff.bom.changed[0].changes).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'material', after: 'grevillea' })]))
    // a second start does not seed again
    await stop(hub)
    const again = await serve(dir, '--sample')
    expect(await json(visitor.home, 'catalogue', '--peer', again.addr)).toHaveLength(4)
  })

  it('two maintainers edit the same design while disconnected, sync through the hub, and converge to identical heads', async () => {
    const hubHome = await person(scratch, 'hub')
    const hub = await serve(hubHome.home)
    const [alice, bob] = [await person(scratch, 'alice'), await person(scratch, 'bob')]
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Press')
    const { id: plate } = await json(alice.home, 'bom', 'add', design, '--name', 'Plate', '--quantity', '1')
    await json(alice.home, 'maintainers', 'add', design, bob.id)
    await json(alice.home, 'sync', '--peer', hub.addr)
    await json(bob.home, 'pull', design, '--peer', hub.addr)
    // offline, both edit: different rows, and the same row's different fields
    await ok(alice.home, 'bom', 'add', design, '--name', 'Screw', '--quantity', '1')
    await ok(alice.home, 'bom', 'set', design, plate, '--material', 'steel')
    await ok(bob.home, 'bom', 'add', design, '--name', 'Handle', '--quantity', '1')
    await ok(bob.home, 'bom', 'set', design, plate, '--quantity', '2')
    await json(alice.home, 'sync', '--peer', hub.addr)
    await json(bob.home, 'sync', '--peer', hub.addr)
    await json(alice.home, 'sync', '--peer', hub.addr)
    const a = await json(alice.home, 'design', 'show', design)
    const b = await json(bob.home, 'design', 'show', design)
    expect(a).toEqual(b)
    expect(a.heads).toHaveLength(2) // both maintainers' edits are canonical; their frontier has two heads
    expect(a.bom.map((r: { name: string }) => r.name).sort()).toEqual(['Handle', 'Plate', 'Screw'])
    expect(a.bom.find((r: { name: string }) => r.name === 'Plate')).toMatchObject({ quantity: 2, material: 'steel' })
    expect((await json(alice.home, 'verify', design)).ignored).toEqual([])
  })

  it('serve --peer makes two hubs peer: designs reach the other hub, both ways', async () => {
    const [homeA, homeB] = [await person(scratch, 'hubA'), await person(scratch, 'hubB')]
    const a = await serve(homeA.home)
    const b = await serve(homeB.home, '--peer', a.addr)
    const [alice, bob, carol] = [await person(scratch, 'alice'), await person(scratch, 'bob'), await person(scratch, 'carol')]
    const { design: fromA } = await json(alice.home, 'design', 'new', '--title', 'Sent to A')
    await json(alice.home, 'sync', '--peer', a.addr)
    const { design: fromB } = await json(bob.home, 'design', 'new', '--title', 'Sent to B')
    await json(bob.home, 'sync', '--peer', b.addr)
    for (const hub of [a, b]) {
      const end = Date.now() + 30_000
      for (;;) {
        const listed = (await json(carol.home, 'catalogue', '--peer', hub.addr)).map((e: { design: string }) => e.design)
        if (listed.includes(fromA) && listed.includes(fromB)) break
        if (Date.now() > end) throw new Error(`hub ${hub.addr} lists only ${listed.join(', ')}`)
        await new Promise((r) => setTimeout(r, 300))
      }
    }
    expect(b.stderr()).toMatch(/peering with hub/)
  })
})

