/**
 * The Node `BlobStore`: core's `VerifyingBlobStore` over blobs on disk under one directory
 * (`<home>/blobs`). The backend here keeps bytes; every check is core's.
 *
 *   sha256/ab/<hash>          the bytes, named by their sha-256 (what `sha256sum` prints)
 *   sha256/ab/<hash>.chunks   the chunk list (root = its sha-256); written last: the blob is held from then on
 *   partial/<hash>.<root>/    a download in progress: `chunks` (verified list), `data` (sparse
 *                             file, chunks written at their offsets), `received` (u32 indices of
 *                             the chunks written, appended after each write)
 *   tmp/                      bytes being stored by `put`, before their hash is known
 *
 * Crash safety: small files are written to a temporary file beside them, fsynced and renamed over
 * the old one. A blob's bytes are fsynced once, when whole and verified, before they are renamed
 * into place, and its chunk list follows them the same way: a crash leaves the old state or the
 * new, never a half-written blob under a hash. What a download keeps is not fsynced: a resumed
 * download checks its chunk list against the root and every chunk it kept against that list, so
 * what a crash lost or tore is fetched again. A download costs three fsyncs, all at the end.
 */
import { createHash, randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import {
  BLOB_CHUNK_BYTES,
  isBlobHash,
  VerifyingBlobStore,
  type BackendChunkReader,
  type BlobBackend,
  type BlobChunkSet,
  type BlobHash,
  type ChunkSet,
  type DownloadChunkSet,
  type HasherFactory,
  type StoredBlob,
  type UploadChunkSet,
} from '@cosmolocal/core'
import { STALE_BLOB_UPLOAD_MS } from './limits.js'

/** node:crypto's sha-256: about ten times faster than the portable one. */
export const nodeHasher: HasherFactory = () => createHash('sha256')

const MISSING = new Set(['ENOENT', 'ENOTDIR'])
const isMissing = (err: unknown) => MISSING.has((err as NodeJS.ErrnoException).code ?? '')

/** Flushes a directory's entries (the renames in it) to disk. Some platforms cannot open a directory: nothing more to do there. */
async function syncDirectory(dir: string): Promise<void> {
  let fh: FileHandle
  try {
    fh = await open(dir, 'r')
  } catch {
    return
  }
  try {
    await fh.sync()
  } catch {
    // EINVAL / EISDIR / EPERM where directories cannot be fsynced.
  } finally {
    await fh.close()
  }
}

/**
 * Writes `bytes` to `path` through a temp file beside it and a rename, so that a reader sees the old
 * file or the new one, never a half-written one. `durable` (the default) fsyncs the file before the
 * rename and the directory after it, so that a crash leaves the old file or the new one too; a file
 * that is checked whenever it is read, and merely re-fetched when it is lost, skips both.
 */
async function writeFileAtomic(path: string, bytes: Uint8Array, { durable = true } = {}): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const fh = await open(tmp, 'wx')
  try {
    await fh.writeFile(bytes)
    if (durable) await fh.sync()
  } catch (err) {
    await fh.close()
    await rm(tmp, { force: true })
    throw err
  }
  await fh.close()
  try {
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  if (durable) await syncDirectory(dirname(path))
}

/** Files a download or an upload keeps open between chunks (open and close per chunk cost four system calls each). */
interface Writing {
  data: FileHandle
  log: FileHandle | null
}

export class FsBlobBackend implements BlobBackend {
  readonly dir: string
  readonly #writing = new Map<string, Promise<Writing>>()
  #swept = false

  constructor(dir: string) {
    this.dir = dir
  }

  #blobPath(hash: BlobHash): string {
    return join(this.dir, 'sha256', hash.slice(0, 2), hash)
  }

  #downloadDir(set: DownloadChunkSet): string {
    return join(this.dir, 'partial', `${set.hash}.${set.root}`)
  }

  #dataPath(set: ChunkSet): string {
    switch (set.kind) {
      case 'blob':
        return this.#blobPath(set.hash)
      case 'download':
        return join(this.#downloadDir(set), 'data')
      case 'upload':
        return join(this.dir, 'tmp', set.id)
    }
  }

  async getBlob(hash: BlobHash): Promise<Pick<StoredBlob, 'size' | 'chunkList'> | null> {
    try {
      const [s, chunkList] = await Promise.all([stat(this.#blobPath(hash)), readFile(`${this.#blobPath(hash)}.chunks`)])
      return { size: s.size, chunkList: new Uint8Array(chunkList.buffer, chunkList.byteOffset, chunkList.byteLength) }
    } catch (err) {
      if (isMissing(err)) return null
      throw err
    }
  }

  async putBlob(hash: BlobHash, blob: StoredBlob): Promise<void> {
    await writeFileAtomic(`${this.#blobPath(hash)}.chunks`, blob.chunkList)
  }

  async listBlobs(): Promise<BlobHash[]> {
    const out: BlobHash[] = []
    const root = join(this.dir, 'sha256')
    for (const prefix of await readdir(root).catch(() => [] as string[])) {
      for (const name of await readdir(join(root, prefix)).catch(() => [] as string[])) {
        const hash = name.slice(0, -'.chunks'.length)
        if (name.endsWith('.chunks') && isBlobHash(hash)) out.push(hash)
      }
    }
    return out
  }

  async getDownload(set: DownloadChunkSet): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(join(this.#downloadDir(set), 'chunks')))
    } catch (err) {
      if (isMissing(err)) return null
      throw err
    }
  }

  async putDownload(set: DownloadChunkSet, chunkList: Uint8Array): Promise<void> {
    await mkdir(this.#downloadDir(set), { recursive: true })
    // Not fsynced: a resumed download checks the list against the blob's root before using it
    // (core's VerifyingBlobStore), and one lost or torn in a crash is asked for again, as the
    // chunks written after it are.
    await writeFileAtomic(join(this.#downloadDir(set), 'chunks'), chunkList, { durable: false })
  }

  async deleteDownload(set: DownloadChunkSet): Promise<void> {
    await this.release(set)
    await rm(this.#downloadDir(set), { recursive: true, force: true })
  }

  #key(set: DownloadChunkSet | UploadChunkSet): string {
    return set.kind === 'upload' ? `upload/${set.id}` : `download/${set.hash}.${set.root}`
  }

  #open(set: DownloadChunkSet | UploadChunkSet): Promise<Writing> {
    const key = this.#key(set)
    let writing = this.#writing.get(key)
    if (writing === undefined) {
      writing = (async () => {
        const path = this.#dataPath(set)
        if (set.kind === 'upload') await this.#sweepUploads()
        await mkdir(dirname(path), { recursive: true })
        const data = await open(path, constants.O_RDWR | constants.O_CREAT)
        const log = set.kind === 'download' ? await open(join(this.#downloadDir(set), 'received'), 'a') : null
        return { data, log }
      })()
      this.#writing.set(key, writing)
      writing.catch(() => this.#writing.delete(key))
    }
    return writing
  }

  async putChunk(set: DownloadChunkSet | UploadChunkSet, index: number, bytes: Uint8Array): Promise<void> {
    const { data, log } = await this.#open(set)
    const written = data.write(bytes, 0, bytes.length, index * BLOB_CHUNK_BYTES)
    if (log === null) {
      await written
      return
    }
    // The log entry need not wait for the chunk: a resumed download verifies every chunk the log
    // names, so one the log names and the disk lost is fetched again. A torn last entry is ignored.
    const entry = Buffer.alloc(4)
    entry.writeUInt32BE(index)
    await Promise.all([written, log.write(entry)])
  }

  async getChunk(set: ChunkSet, index: number, length: number): Promise<Uint8Array | null> {
    let fh: FileHandle
    try {
      fh = await open(this.#dataPath(set), 'r')
    } catch (err) {
      if (isMissing(err)) return null
      throw err
    }
    try {
      return await readChunkFrom(fh, index, length)
    } finally {
      await fh.close()
    }
  }

  async listChunks(set: DownloadChunkSet): Promise<number[]> {
    const log = await readFile(join(this.#downloadDir(set), 'received')).catch((err: unknown) => {
      if (isMissing(err)) return Buffer.alloc(0)
      throw err
    })
    const out: number[] = []
    for (let o = 0; o + 4 <= log.length; o += 4) out.push(log.readUInt32BE(o))
    return out
  }

  async moveChunks(from: DownloadChunkSet | UploadChunkSet, to: BlobChunkSet): Promise<void> {
    await this.release(from)
    const source = this.#dataPath(from)
    const target = this.#blobPath(to.hash)
    await mkdir(dirname(target), { recursive: true })
    // Once per blob, now that it is whole: its bytes reach the disk before its name does.
    let fh: FileHandle
    try {
      fh = await open(source, 'r+')
    } catch (err) {
      if (!isMissing(err)) throw err
      // An empty blob has no chunks, so nothing was ever written.
      await writeFileAtomic(target, new Uint8Array())
      return
    }
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(source, target)
  }

  async deleteChunks(set: DownloadChunkSet | UploadChunkSet): Promise<void> {
    await this.release(set)
    await rm(this.#dataPath(set), { force: true })
    if (set.kind === 'download') await rm(join(this.#downloadDir(set), 'received'), { force: true })
  }

  async openChunks(set: BlobChunkSet): Promise<BackendChunkReader> {
    const fh = await open(this.#dataPath(set), 'r')
    return { read: (index, length, into) => readChunkFrom(fh, index, length, into), close: () => fh.close() }
  }

  async release(set: DownloadChunkSet | UploadChunkSet): Promise<void> {
    const key = this.#key(set)
    const writing = this.#writing.get(key)
    if (writing === undefined) return
    this.#writing.delete(key)
    const { data, log } = await writing
    await Promise.all([data.close(), log?.close()])
  }

  /** Drops what uploads interrupted by a crash left in tmp/ (their names start with their creation time). */
  async #sweepUploads(): Promise<void> {
    if (this.#swept) return
    this.#swept = true
    const dir = join(this.dir, 'tmp')
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const created = Number.parseInt(name, 10)
      if (Number.isFinite(created) && Date.now() - created > STALE_BLOB_UPLOAD_MS) await rm(join(dir, name), { force: true })
    }
  }
}

/**
 * Reads one chunk into the buffer `into` hands out, or a fresh one (the caller may hold on to it: a
 * stream keeps it until sent).
 */
async function readChunkFrom(fh: FileHandle, index: number, length: number, into?: (length: number) => Uint8Array): Promise<Uint8Array | null> {
  const buf = into?.(length) ?? Buffer.allocUnsafe(length)
  if (buf.byteLength !== length) throw new RangeError(`a buffer of ${buf.byteLength} bytes for a chunk of ${length}`)
  const { bytesRead } = await fh.read(buf, 0, length, index * BLOB_CHUNK_BYTES)
  return bytesRead === length ? buf : null
}

/** Blobs on disk under `dir`, verified by core. */
export class FsBlobStore extends VerifyingBlobStore {
  readonly dir: string

  constructor(dir: string) {
    super(new FsBlobBackend(dir), { hasher: nodeHasher, where: dir })
    this.dir = dir
  }

  /** Bytes of every complete blob (what a test measures to see that a fork copied nothing). */
  async bytesHeld(): Promise<number> {
    let n = 0
    for (const h of await this.list()) n += (await this.info(h))?.size ?? 0
    return n
  }
}
