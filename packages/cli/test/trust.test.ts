import * as A from '@automerge/automerge'
import { Repo } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'
import { Commons, createIdentity, signRecord, type ContentDoc, type GovernanceDoc } from '@cosmolocal/core'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, json, ok, person, Scratch } from './helpers.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

describe('trust', () => {
  it('ignores unsigned and unauthorised writes to a design, and verify says why', async () => {
    const alice = await person(scratch, 'alice')
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    await ok(alice.home, 'bom', 'add', design, '--name', 'frame', '--quantity', '4')
    const shown = await json(alice.home, 'design', 'show', design)
    const log = await json(alice.home, 'log', design)

    // mallory writes straight into alice's store (as any peer could over sync): junk content
    // nobody signed, and a record that makes herself a maintainer.
    const mallory = await createIdentity('mallory')
    const repo = new Repo({ storage: new NodeFSStorageAdapter(join(alice.home, 'repo')), network: [] })
    const d = await new Commons(repo, null).design(design)
    ;(await repo.find<ContentDoc>(d.contentId)).change((doc) => {
      doc.title = new A.ImmutableString('Pwned')
    })
    const record = await signRecord(mallory, {
      design: d.id,
      prev: d.state.recordHeads,
      base: d.state.canonicalHeads,
      payload: { kind: 'governance', action: { op: 'add', member: mallory.id }, nonce: 'aaaaaaaaaaaaaaaa' },
    })
    ;(await repo.find<GovernanceDoc>(d.id)).change((doc) => {
      doc.records.push(record.bytes)
    })
    await repo.flush()
    await repo.shutdown()

    expect(await json(alice.home, 'design', 'show', design)).toEqual(shown)
    expect(await json(alice.home, 'log', design)).toEqual(log)
    const report = await json(alice.home, 'verify', design)
    expect(report.maintainers).toEqual([alice.id])
    expect(report.ignored).toEqual([expect.objectContaining({ id: record.id, author: mallory.id, reason: expect.stringMatching(/not a maintainer/) })])
    const human = (await ok(alice.home, 'verify', design)).stdout
    expect(human).toMatch(/ignored 1 record:/)
    expect(human).toMatch(/governance\s+by …\S+\s+\S+\s+author was not a maintainer/)
  })

  it('a hostile home that writes into a design with the raw automerge-repo API and exports a bundle changes nothing canonical', async () => {
    const alice = await person(scratch, 'alice')
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom', '--hardware-license', 'CERN-OHL-S-2.0')
    await ok(alice.home, 'bom', 'add', design, '--name', 'frame', '--quantity', '4')
    const shown = await json(alice.home, 'design', 'show', design)
    const dir = await scratch.dir()
    await ok(alice.home, 'bundle', 'export', design, '--out', join(dir, 'alice.bundle'))

    // mallory: a home of her own, with the design imported the ordinary way
    const mallory = await person(scratch, 'mallory')
    await ok(mallory.home, 'bundle', 'import', join(dir, 'alice.bundle'))
    // then, with the raw automerge-repo API on her own store: junk content, a self-promotion,
    // a forged "maintainer" record, and the governance list emptied
    const repo = new Repo({ storage: new NodeFSStorageAdapter(join(mallory.home, 'repo')), network: [] })
    const d = await new Commons(repo, null).design(design)
    ;(await repo.find<ContentDoc>(d.contentId)).change((doc) => {
      doc.title = new A.ImmutableString('Pwned')
      doc.bom.junk = {
        name: new A.ImmutableString('JUNK'),
        quantity: 1,
        unit: new A.ImmutableString('pcs'),
        material: new A.ImmutableString(''),
        notes: '',
        position: 0,
      }
    })
    const key = await createIdentity('mallory-key')
    const promote = await signRecord(key, {
      design: d.id,
      prev: d.state.recordHeads,
      payload: { kind: 'governance', action: { op: 'add', member: key.id }, nonce: 'bbbbbbbbbbbbbbbb' },
    })
    ;(await repo.find<GovernanceDoc>(d.id)).change((doc) => {
      doc.records.push(promote.bytes)
      doc.records.push(new Uint8Array([0xde, 0xad, 0xbe, 0xef]))
    })
    ;(await repo.find<GovernanceDoc>(d.id)).change((doc) => {
      doc.records.splice(0, doc.records.length)
    })
    await repo.flush()
    await repo.shutdown()
    await ok(mallory.home, 'bundle', 'export', design, '--out', join(dir, 'mallory.bundle'))

    const imported = await json(alice.home, 'bundle', 'import', join(dir, 'mallory.bundle'))
    expect(imported.exportedBy).toBe(mallory.id)
    expect(await json(alice.home, 'design', 'show', design)).toEqual(shown)
    const report = await json(alice.home, 'verify', design)
    expect(report.maintainers).toEqual([alice.id])
    expect(report.ignored).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: promote.id, reason: "author was not a maintainer at the record's base" }),
        expect.objectContaining({ id: null, reason: expect.stringMatching(/malformed record/) }),
      ]),
    )
  })
})

