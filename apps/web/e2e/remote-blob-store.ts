/**
 * A `BlobStore` in Node that is an IdbBlobStore in a Chromium page (fixtures/idb-blobs/rpc.ts):
 * each call is one `page.evaluate`, so the blob store conformance suite, written for stores in
 * this process, runs against the browser's store on real IndexedDB.
 */
import type { BlobHash, BlobInfo, BlobSource, BlobStore, ChunkReader, PartialBlob } from '@cosmolocal/core'
import type { Page } from 'playwright-core'
import type { RemoteSource, RpcRequest, RpcResult } from './fixtures/idb-blobs/rpc.js'

declare const fixture: { rpc(req: RpcRequest): Promise<RpcResult> }

async function call(page: Page, target: number | null, method: string, ...args: unknown[]): Promise<RpcResult> {
  const result = await page.evaluate((req) => fixture.rpc(req), { target, method, args } satisfies RpcRequest)
  if (result.error !== undefined) {
    const err = new Error(result.error.message)
    err.name = result.error.name
    throw err
  }
  return result
}

/** Reads the source here: what it yields crosses whole, then the page replays it (and its failure). */
async function remoteSource(data: BlobSource): Promise<RemoteSource> {
  if (data instanceof Uint8Array) return { whole: data }
  const pieces: Uint8Array[] = []
  try {
    for await (const piece of data as AsyncIterable<Uint8Array>) pieces.push(piece.slice())
  } catch (err) {
    return { pieces, failure: { name: (err as Error).name, message: (err as Error).message } }
  }
  return { pieces }
}

class RemotePartial implements PartialBlob {
  readonly info: BlobInfo
  readonly #page: Page
  readonly #ref: number
  #state: NonNullable<RpcResult['partial']>

  constructor(page: Page, info: BlobInfo, result: RpcResult) {
    this.#page = page
    this.info = info
    this.#ref = result.ref!
    this.#state = result.partial!
  }

  async #call(method: string, ...args: unknown[]): Promise<unknown> {
    const result = await call(this.#page, this.#ref, method, ...args)
    this.#state = result.partial ?? this.#state
    return result.value
  }

  chunkList(): Uint8Array | null {
    return this.#state.chunkList
  }

  received(): ReadonlySet<number> {
    return new Set(this.#state.received)
  }

  async setChunkList(chunkList: Uint8Array): Promise<void> {
    await this.#call('setChunkList', chunkList)
  }

  async putChunk(index: number, bytes: Uint8Array): Promise<void> {
    await this.#call('putChunk', index, bytes)
  }

  async complete(): Promise<BlobInfo> {
    return (await this.#call('complete')) as BlobInfo
  }

  async close(): Promise<void> {
    await this.#call('close')
  }
}

export class RemoteBlobStore implements BlobStore {
  readonly #page: Page
  readonly #ref: number

  private constructor(page: Page, ref: number) {
    this.#page = page
    this.#ref = ref
  }

  /** An IdbBlobStore on database `name` in `page` (a second one on the same name is a reloaded page's). */
  static async open(page: Page, name: string): Promise<RemoteBlobStore> {
    return new RemoteBlobStore(page, (await call(page, null, 'open', name)).ref!)
  }

  async #value<T>(method: string, ...args: unknown[]): Promise<T> {
    return (await call(this.#page, this.#ref, method, ...args)).value as T
  }

  info(hash: BlobHash): Promise<BlobInfo | null> {
    return this.#value('info', hash)
  }

  has(hash: BlobHash): Promise<boolean> {
    return this.#value('has', hash)
  }

  async put(data: BlobSource, expected?: { hash?: BlobHash; size?: number }): Promise<BlobInfo> {
    return await this.#value('put', await remoteSource(data), expected)
  }

  get(hash: BlobHash): Promise<Uint8Array> {
    return this.#value('get', hash)
  }

  async *stream(hash: BlobHash): AsyncIterable<Uint8Array> {
    yield* await this.#value<Uint8Array[]>('stream', hash)
  }

  chunkList(hash: BlobHash): Promise<Uint8Array> {
    return this.#value('chunkList', hash)
  }

  readChunk(hash: BlobHash, index: number): Promise<Uint8Array> {
    return this.#value('readChunk', hash, index)
  }

  async openChunks(hash: BlobHash): Promise<ChunkReader> {
    const ref = (await call(this.#page, this.#ref, 'openChunks', hash)).ref!
    const page = this.#page
    return {
      readChunk: async (index) => (await call(page, ref, 'readChunk', index)).value as Uint8Array,
      close: async () => void (await call(page, ref, 'close')),
    }
  }

  async partial(info: BlobInfo): Promise<PartialBlob> {
    return new RemotePartial(this.#page, info, await call(this.#page, this.#ref, 'partial', info))
  }

  list(): Promise<BlobHash[]> {
    return this.#value('list')
  }
}
