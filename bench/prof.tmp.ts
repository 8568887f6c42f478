import { createIdentity } from '@cosmolocal/core'
import { startHub } from '@cosmolocal/hub'
import { cp, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
const n = process.argv[2] ?? '1000'
const home = process.argv[3] ?? await mkdtemp(join(tmpdir(), 'hublazy-prof-'))
if (process.argv[3] === undefined) await cp(n === "200" ? "/work/wt-hublazy/bench/.cache/g2/designs-n0_10-n1_50-n2_200/store-200" : `/work/wt-hublazy/bench/.cache/g2/designs-n0_100-n1_1000-n2_10000/store-${n}`, join(home, 'repo'), { recursive: true, preserveTimestamps: true })
const me = await createIdentity('hub')
const t0 = performance.now()
const hub = await startHub({ privateKey: me.privateKey, storageDir: join(home, 'repo'), home, port: 0, log: (l) => console.error(`${((performance.now() - t0) / 1000).toFixed(1)} ${l}`) })
console.error('ready', (performance.now() - t0).toFixed(0), 'ms', 'loaded', Object.keys(hub.repo.handles).length)
await hub.index.checked()
console.error('checked', (performance.now() - t0).toFixed(0), 'ms', 'loaded', Object.keys(hub.repo.handles).length, 'rss', (process.memoryUsage().rss / 2 ** 20).toFixed(0), 'designs', (await hub.catalogue()).length)
const t1 = performance.now()
const res = await fetch(new URL('api/catalogue', hub.http))
const body = await res.json() as unknown[]
console.error('api/catalogue', (performance.now() - t1).toFixed(0), 'ms', body.length)
await hub.stop()
console.error('home', home)
