import * as A from '@automerge/automerge'
import { Repo } from '@automerge/automerge-repo'
import { describe, expect, it } from 'vitest'
import {
  BLOB_CHUNK_BYTES,
  BlobHasher,
  BlobIntegrityError,
  BundleError,
  collectBundle,
  collectBundleBlobs,
  Commons,
  createIdentity,
  describeBlob,
  encodeBundle,
  importBundle,
  MemoryBlobStore,
  NotPermittedError,
  InvalidInputError,
  parseContent,
  verifyChunk,
  verifyChunkList,
  type BlobHash,
  type DocumentId,
} from '../src/index.js'
import { injectContent } from './helpers.js'

function bytesOf(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

async function maker(name: string) {
  const me = await createIdentity(name)
  const repo = new Repo({ network: [] })
  const blobs = new MemoryBlobStore()
  return { me, repo, blobs, commons: new Commons(repo, me, blobs) }
}

describe('blob identity and chunk verification', () => {
  it('gives the same hash, root and chunk list whatever the pieces the bytes arrive in', () => {
    const bytes = bytesOf(2 * BLOB_CHUNK_BYTES + 123)
    const whole = describeBlob(bytes)
    const h = new BlobHasher()
    for (let o = 0; o < bytes.length; o += 77_777) h.update(bytes.subarray(o, o + 77_777))
    expect(h.finish()).toEqual(whole)
    expect(whole.info.size).toBe(bytes.length)
    expect(whole.chunkList.length).toBe(3 * 32)
  })

  it('rejects a chunk list that does not match the root, and a chunk whose hash does not match', () => {
    const bytes = bytesOf(BLOB_CHUNK_BYTES + 10)
    const { info, chunkList } = describeBlob(bytes)
    const forged = chunkList.slice()
    forged[0]! ^= 1
    expect(() => verifyChunkList(info, forged)).toThrow(BlobIntegrityError)
    expect(() => verifyChunkList(info, chunkList.subarray(32))).toThrow(BlobIntegrityError)
    verifyChunkList(info, chunkList)
    const chunk = bytes.slice(0, BLOB_CHUNK_BYTES)
    verifyChunk(info, chunkList, 0, chunk)
    chunk[5]! ^= 0xff
    expect(() => verifyChunk(info, chunkList, 0, chunk)).toThrow(/does not match its hash/)
    expect(() => verifyChunk(info, chunkList, 1, bytes.slice(BLOB_CHUNK_BYTES, BLOB_CHUNK_BYTES + 9))).toThrow(/expected 10/)
    expect(() => verifyChunk(info, chunkList, 2, new Uint8Array(1))).toThrow(/outside/)
  })

  it('a memory store keeps verified chunks of a partial download and refuses a reference whose hash lies', async () => {
    const bytes = bytesOf(3 * BLOB_CHUNK_BYTES)
    const { info, chunkList } = describeBlob(bytes)
    const store = new MemoryBlobStore()
    const partial = await store.partial(info)
    await partial.setChunkList(chunkList)
    await partial.putChunk(1, bytes.slice(BLOB_CHUNK_BYTES, 2 * BLOB_CHUNK_BYTES))
    await expect(partial.putChunk(0, new Uint8Array(BLOB_CHUNK_BYTES))).rejects.toThrow(BlobIntegrityError)
    expect([...(await store.partial(info)).received()]).toEqual([1])
    await partial.putChunk(0, bytes.slice(0, BLOB_CHUNK_BYTES))
    await partial.putChunk(2, bytes.slice(2 * BLOB_CHUNK_BYTES))
    expect(await partial.complete()).toEqual(info)
    expect(await store.get(info.hash)).toEqual(bytes)

    // A reference pairing another blob's hash with these chunks: every chunk verifies, the whole does not.
    const liar = { ...info, hash: describeBlob(bytesOf(10)).info.hash }
    const p2 = await store.partial(liar)
    await p2.setChunkList(chunkList)
    for (let i = 0; i < 3; i++) await p2.putChunk(i, bytes.slice(i * BLOB_CHUNK_BYTES, (i + 1) * BLOB_CHUNK_BYTES))
    await expect(p2.complete()).rejects.toThrow(BlobIntegrityError)
    expect(await store.has(liar.hash)).toBe(false)
  })
})

describe('attachments in designs', () => {
  it('attaches, lists and removes files; the reference carries hash, size, root, media type and role', async () => {
    const alice = await maker('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    const data = bytesOf(BLOB_CHUNK_BYTES + 5)
    const { id, hash } = await alice.commons.attachFile(design, { name: 'frame.step', data })
    const { info } = describeBlob(data)
    expect(hash).toBe(info.hash)
    const files = await alice.commons.files(design)
    expect(files).toEqual([{ id, name: 'frame.step', hash, size: data.length, root: info.root, mediaType: 'model/step', role: 'cad', position: 1, present: true }])
    await alice.commons.attachFile(design, { name: 'photo.bin', data: bytesOf(10), role: 'photo', mediaType: 'image/jpeg' })
    expect((await alice.commons.files(design)).map((f) => f.role)).toEqual(['cad', 'photo'])
    await alice.commons.removeFile(design, id)
    expect((await alice.commons.files(design)).map((f) => f.name)).toEqual(['photo.bin'])
    expect((await alice.commons.log(design)).map((e) => e.summary)).toContain('attached "frame.step"')
  })

  it("changes a file's role (setFile), signed like any edit; refuses an unknown role and a non-maintainer", async () => {
    const alice = await maker('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    const { id } = await alice.commons.attachFile(design, { name: 'frame.stl', data: bytesOf(10) })
    expect((await alice.commons.file(design, id)).role).toBe('mesh')
    await alice.commons.setFile(design, id, { role: 'document' })
    expect((await alice.commons.file(design, id)).role).toBe('document')
    expect((await alice.commons.log(design)).map((e) => e.summary)).toContain('file "frame.stl": now document')
    await expect(alice.commons.setFile(design, id, { role: 'video' })).rejects.toThrow(InvalidInputError)
    const bob = await maker('bob')
    await expect(new Commons(alice.repo, bob.me, alice.blobs).setFile(design, id, { role: 'photo' })).rejects.toThrow(NotPermittedError)
    expect((await alice.commons.file(design, id)).role).toBe('document')
  })

  it('refuses unknown roles, bad media types and names with paths before storing anything', async () => {
    const alice = await maker('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    await expect(alice.commons.attachFile(design, { name: 'a.stl', data: bytesOf(5), role: 'video' })).rejects.toThrow(/role must be one of cad, mesh, drawing, photo, document/)
    await expect(alice.commons.attachFile(design, { name: 'a.stl', data: bytesOf(5), mediaType: 'not a type' })).rejects.toThrow(InvalidInputError)
    await expect(alice.commons.attachFile(design, { name: '../etc/passwd', data: bytesOf(5) })).rejects.toThrow(/path/)
    expect(await alice.blobs.list()).toEqual([])
  })

  it('a non-maintainer cannot attach', async () => {
    const alice = await maker('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    const bob = await maker('bob')
    const bobOnAlicesRepo = new Commons(alice.repo, bob.me, alice.blobs)
    await expect(bobOnAlicesRepo.attachFile(design, { name: 'x.stl', data: bytesOf(5) })).rejects.toThrow(NotPermittedError)
  })

  it('leaves out malformed file references at the parse boundary, reporting them', async () => {
    const alice = await maker('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    const { id } = await alice.commons.attachFile(design, { name: 'a.stl', data: bytesOf(5) })
    const d = await alice.commons.design(design)
    const raw = A.clone((await alice.repo.find(d.contentId)).doc()) as A.Doc<any>
    const bad = A.change(raw, (doc: any) => {
      doc.files.x1 = { ...JSON.parse(JSON.stringify(doc.files[id])), role: new A.ImmutableString('video') }
      doc.files.x2 = { name: new A.ImmutableString('b'), hash: new A.ImmutableString('zz'), size: 1, root: new A.ImmutableString('zz'), mediaType: new A.ImmutableString('a/b'), role: new A.ImmutableString('cad'), position: 3 }
      doc.files.x3 = { ...JSON.parse(JSON.stringify(doc.files[id])), size: -1 }
    })
    const { content, problems } = parseContent(bad)
    expect(content.files.map((f) => f.id)).toEqual([id])
    expect(problems.map((p) => p.path).sort()).toEqual(['files.x1', 'files.x2', 'files.x3'])
    // Unsigned junk written into the content document never reaches the canonical view either.
    await injectContent(alice.repo, d.contentId, (doc) => {
      delete doc.files[id]
    })
    expect((await alice.commons.files(design)).map((f) => f.id)).toEqual([id])
  })

  it('forking a design with attachments stores no new blob bytes', async () => {
    const alice = await maker('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    await alice.commons.attachFile(design, { name: 'frame.step', data: bytesOf(3 * BLOB_CHUNK_BYTES) })
    const before = { list: await alice.blobs.list(), bytes: alice.blobs.bytesHeld }
    const fork = await alice.commons.fork(design, { title: 'My loom' })
    expect((await alice.commons.files(fork)).map((f) => [f.name, f.present])).toEqual([['frame.step', true]])
    expect(await alice.blobs.list()).toEqual(before.list)
    expect(alice.blobs.bytesHeld).toBe(before.bytes)
    // Attaching the same bytes again, to the fork, stores nothing new either.
    await alice.commons.attachFile(fork, { name: 'copy.step', data: bytesOf(3 * BLOB_CHUNK_BYTES) })
    expect(alice.blobs.bytesHeld).toBe(before.bytes)
  })
})

describe('bundles with attachments', () => {
  async function exported() {
    const alice = await maker('alice')
    const design = await alice.commons.createDesign({ title: 'Loom' })
    const data = bytesOf(BLOB_CHUNK_BYTES + 77)
    const { hash } = await alice.commons.attachFile(design, { name: 'frame.step', data })
    const docs = await collectBundle(alice.commons, [design])
    const { blobs, missing } = await collectBundleBlobs(alice.commons, docs)
    expect(missing).toEqual([])
    return { alice, design, data, hash, docs, blobs, bytes: await encodeBundle(alice.me, [design as DocumentId], docs, blobs) }
  }

  it("carries the file bytes, verified by hash, into the importer's blob store", async () => {
    const { design, data, hash, bytes } = await exported()
    const bob = await maker('bob')
    const result = await importBundle(bob.commons, bytes, undefined, bob.blobs)
    expect(result.files).toEqual([hash])
    expect(await bob.blobs.get(hash)).toEqual(data)
    expect((await bob.commons.files(design)).map((f) => f.present)).toEqual([true])
  })

  it('refuses a bundle whose file bytes do not match their hash, even when sealed by the exporter; nothing is imported', async () => {
    const { alice, design, hash, docs, blobs, bytes, data: original } = await exported()
    const tampered = new Map(blobs)
    const data = tampered.get(hash)!.slice()
    data[100]! ^= 1
    tampered.set(hash as BlobHash, data)
    for (const input of [await encodeBundle(alice.me, [design as DocumentId], docs, tampered), flipInside(bytes, original)]) {
      const bob = await maker('bob')
      const err = await importBundle(bob.commons, input, undefined, bob.blobs).then(() => null, (e: unknown) => e)
      expect(err).toBeInstanceOf(BundleError)
      expect(Object.keys(bob.repo.handles)).toEqual([])
      expect(await bob.blobs.list()).toEqual([])
    }
  })
})

/** The bundle with one byte of its carried file flipped after sealing. */
function flipInside(bundle: Uint8Array, file: Uint8Array): Uint8Array {
  const probe = file.subarray(1000, 1064)
  const at = Buffer.from(bundle).indexOf(Buffer.from(probe))
  expect(at).toBeGreaterThan(0)
  const out = bundle.slice()
  out[at]! ^= 1
  return out
}
