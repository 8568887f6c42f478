/**
 * The Node `BlobStore`: blobs on disk under one directory (`<home>/blobs`).
 *
 *   sha256/ab/<hash>          the bytes, named by their sha-256
 *   sha256/ab/<hash>.chunks   the chunk list (root = its sha-256)
 *   partial/<hash>.<root>/    a download in progress: `chunks` (verified list), `data` (sparse
 *                             file, chunks written at their offsets), `received` (u32 indices of
 *                             the chunks written, appended after each write)
 *   tmp/                      files being written; renamed into place once complete
 *
 * Every write is a temp file (or the partial directory) renamed into place, so a crash leaves
 * either the old state or the new, never a half-written blob under a hash.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import {
  BLOB_CHUNK_BYTES,
  BlobHasher,
  BlobIntegrityError,
  BlobNotFoundError,
  CHUNK_DIGEST_BYTES,
  checkExpected,
  chunkCount,
  forEachPiece,
  isBlobHash,
  rootOf,
  verifyChunk,
  verifyChunkList,
  type BlobHash,
  type BlobInfo,
  type BlobSource,
  type BlobStore,
  type HasherFactory,
  type ChunkReader,
  type PartialBlob,
} from '@cosmolocal/core'

/** node:crypto's sha-256: about ten times faster than the portable one. */
export const nodeHasher: HasherFactory = () => createHash('sha256')

export class FsBlobStore implements BlobStore {
  readonly dir: string
  readonly #infos = new Map<BlobHash, BlobInfo>()

  constructor(dir: string) {
    this.dir = dir
  }

  #path(hash: BlobHash): string {
    return join(this.dir, 'sha256', hash.slice(0, 2), hash)
  }

  async #tmp(): Promise<string> {
    await mkdir(join(this.dir, 'tmp'), { recursive: true })
    return join(this.dir, 'tmp', `${Date.now()}-${randomBytes(6).toString('hex')}`)
  }

  async info(hash: BlobHash): Promise<BlobInfo | null> {
    if (!isBlobHash(hash)) return null
    const cached = this.#infos.get(hash)
    if (cached !== undefined) return cached
    try {
      const [s, list] = await Promise.all([stat(this.#path(hash)), readFile(`${this.#path(hash)}.chunks`)])
      const info: BlobInfo = { hash, size: s.size, root: rootOf(list, nodeHasher) }
      this.#infos.set(hash, info)
      return info
    } catch {
      return null
    }
  }

  async has(hash: BlobHash): Promise<boolean> {
    return (await this.info(hash)) !== null
  }

  async #require(hash: BlobHash): Promise<BlobInfo> {
    const info = await this.info(hash)
    if (info === null) throw new BlobNotFoundError(`blob ${hash} is not in ${this.dir}`, { hash })
    return info
  }

  /** Moves a verified data file and its chunk list into place (the list first: `info` needs both). */
  async #commit(dataFile: string, info: BlobInfo, chunkList: Uint8Array): Promise<void> {
    const target = this.#path(info.hash)
    await mkdir(join(this.dir, 'sha256', info.hash.slice(0, 2)), { recursive: true })
    if ((await this.info(info.hash)) !== null) {
      await rm(dataFile, { force: true })
      return
    }
    const listTmp = await this.#tmp()
    await writeFile(listTmp, chunkList)
    await rename(listTmp, `${target}.chunks`)
    await rename(dataFile, target)
    this.#infos.set(info.hash, info)
  }

  async put(data: BlobSource, expected: { hash?: BlobHash; size?: number } = {}): Promise<BlobInfo> {
    const tmp = await this.#tmp()
    const hasher = new BlobHasher(nodeHasher)
    const fh = await open(tmp, 'w')
    try {
      await forEachPiece(data, async (piece) => {
        hasher.update(piece)
        await fh.write(piece)
      })
    } catch (err) {
      await fh.close()
      await rm(tmp, { force: true })
      throw err
    }
    await fh.close()
    const { info, chunkList } = hasher.finish()
    try {
      checkExpected(info, expected)
    } catch (err) {
      await rm(tmp, { force: true })
      throw err
    }
    await this.#commit(tmp, info, chunkList)
    return info
  }

  async get(hash: BlobHash): Promise<Uint8Array> {
    await this.#require(hash)
    return new Uint8Array(await readFile(this.#path(hash)))
  }

  async *stream(hash: BlobHash): AsyncIterable<Uint8Array> {
    await this.#require(hash)
    for await (const piece of createReadStream(this.#path(hash), { highWaterMark: BLOB_CHUNK_BYTES })) yield piece as Buffer
  }

  async chunkList(hash: BlobHash): Promise<Uint8Array> {
    await this.#require(hash)
    return new Uint8Array(await readFile(`${this.#path(hash)}.chunks`))
  }

  async readChunk(hash: BlobHash, index: number): Promise<Uint8Array> {
    const reader = await this.openChunks(hash)
    try {
      return await reader.readChunk(index)
    } finally {
      await reader.close()
    }
  }

  /** Keeps the blob's file open across chunks: a server reads a whole blob this way, one open for all of it. */
  async openChunks(hash: BlobHash): Promise<ChunkReader> {
    const info = await this.#require(hash)
    const fh = await open(this.#path(hash), 'r')
    let closed: Promise<void> | null = null
    return {
      async readChunk(index) {
        if (!Number.isSafeInteger(index) || index < 0 || index >= chunkCount(info.size)) {
          throw new BlobNotFoundError(`blob ${hash} has no chunk ${index}`, { hash, index })
        }
        const length = Math.min(BLOB_CHUNK_BYTES, info.size - index * BLOB_CHUNK_BYTES)
        // A fresh buffer per chunk: the stream holds on to it until it is sent.
        const buf = Buffer.allocUnsafe(length)
        const { bytesRead } = await fh.read(buf, 0, length, index * BLOB_CHUNK_BYTES)
        if (bytesRead !== length) throw new BlobIntegrityError(`blob ${hash} is shorter on disk than recorded`, { hash })
        return buf
      },
      close: () => (closed ??= fh.close()),
    }
  }

  async list(): Promise<BlobHash[]> {
    const out: BlobHash[] = []
    const root = join(this.dir, 'sha256')
    for (const prefix of await readdir(root).catch(() => [] as string[])) {
      for (const name of await readdir(join(root, prefix)).catch(() => [] as string[])) if (isBlobHash(name)) out.push(name)
    }
    return out.sort()
  }

  /** Bytes of every complete blob (what a test measures to see that a fork copied nothing). */
  async bytesHeld(): Promise<number> {
    let n = 0
    for (const h of await this.list()) n += (await this.#require(h)).size
    return n
  }

  async partial(info: BlobInfo): Promise<PartialBlob> {
    const dir = join(this.dir, 'partial', `${info.hash}.${info.root}`)
    await mkdir(dir, { recursive: true })
    const dataPath = join(dir, 'data')
    const listPath = join(dir, 'chunks')
    const receivedPath = join(dir, 'received')
    await (await open(dataPath, 'a')).close()
    let list: Uint8Array | null = null
    const received = new Set<number>()
    try {
      const saved = new Uint8Array(await readFile(listPath))
      verifyChunkList(info, saved, nodeHasher)
      list = saved
      // Indices are appended after their chunk is written; a torn last entry is ignored (refetched).
      const log = await readFile(receivedPath).catch(() => Buffer.alloc(0))
      const count = chunkCount(info.size)
      for (let o = 0; o + 4 <= log.length; o += 4) {
        const i = log.readUInt32BE(o)
        if (i < count) received.add(i)
      }
    } catch {
      // Nothing (or nothing usable) kept: start over.
      list = null
      await rm(receivedPath, { force: true })
    }
    const store = this
    // Open from the first chunk written to `close` (or `complete`): opening and closing both files
    // for every chunk costs four system calls per chunk.
    let dataFile: FileHandle | null = null
    let receivedLog: FileHandle | null = null
    const close = async () => {
      const held = [dataFile, receivedLog]
      dataFile = receivedLog = null
      await Promise.all(held.map((fh) => fh?.close()))
    }
    return {
      info,
      chunkList: () => list,
      async setChunkList(chunkList) {
        verifyChunkList(info, chunkList, nodeHasher)
        const tmp = await store.#tmp()
        await writeFile(tmp, chunkList)
        await rename(tmp, listPath)
        list = chunkList.slice()
      },
      received: () => new Set(received),
      async putChunk(index, bytes) {
        if (list === null) throw new BlobIntegrityError(`no verified chunk list for ${info.hash} yet`, { hash: info.hash })
        verifyChunk(info, list, index, bytes, nodeHasher)
        dataFile ??= await open(dataPath, 'r+')
        await dataFile.write(bytes, 0, bytes.length, index * BLOB_CHUNK_BYTES)
        // Logged only once the chunk is written: a crash in between refetches it, never skips it.
        const entry = Buffer.alloc(4)
        entry.writeUInt32BE(index)
        receivedLog ??= await open(receivedPath, 'a')
        await receivedLog.write(entry)
        received.add(index)
      },
      close,
      async complete() {
        if (list === null || received.size !== list.length / CHUNK_DIGEST_BYTES) {
          throw new BlobIntegrityError(`blob ${info.hash} is incomplete`, { hash: info.hash })
        }
        await close()
        // Each chunk matched the verified list (so the root) as it arrived; what is left to check is
        // the whole-blob hash, over the bytes as they are on disk. One buffer, reused: reading the
        // file as fresh 1 MiB buffers would allocate the blob's size again just to hash it.
        const whole = createHash('sha256')
        const buf = Buffer.allocUnsafe(Math.max(1, Math.min(BLOB_CHUNK_BYTES, info.size)))
        let size = 0
        const fh = await open(dataPath, 'r')
        try {
          for (;;) {
            const { bytesRead } = await fh.read(buf, 0, buf.length, size)
            if (bytesRead === 0) break
            whole.update(buf.subarray(0, bytesRead))
            size += bytesRead
          }
        } finally {
          await fh.close()
        }
        const hash = whole.digest('hex')
        if (hash !== info.hash || size !== info.size) {
          // Every chunk matched the list, so the reference paired this hash with another blob's root.
          await rm(dir, { recursive: true, force: true })
          throw new BlobIntegrityError(`the bytes fetched for ${info.hash} hash to ${hash}: the file reference is inconsistent`, {
            hash: info.hash,
          })
        }
        const tmp = await store.#tmp()
        await rename(dataPath, tmp)
        await store.#commit(tmp, info, list)
        await rm(dir, { recursive: true, force: true })
        return info
      },
    }
  }
}
