/**
 * Attachments between Node peers: which blobs a peer shares (those referenced by the canonical
 * content of designs it holds), a hub keeping every attachment of the designs it holds, and the
 * file steps of `cosmo pull` / `cosmo sync`.
 */
import type { BlobHash, BlobStore, FileRef } from '@cosmolocal/core'
import { connectedPeers, fetchBlob, whoHas, type BlobProgress, type CosmoNode } from '@cosmolocal/net'
import type { PeerId } from '@libp2p/interface'
import { FILES_SETTLE_TIMEOUT_MS } from './limits.js'

/** The files a peer serves and keeps: net's SharedFiles, or a hub's catalogue index. */
export interface HeldFiles {
  all(): Promise<Map<BlobHash, FileRef>>
  has(hash: BlobHash): Promise<boolean>
}

export interface FileProgress {
  file: FileRef
  blob: BlobProgress
}

/** Fetches every file of `files` missing from `store`, from `peers` first, then any connected peer that has it. */
export async function fetchFiles(
  node: CosmoNode,
  store: BlobStore,
  files: Iterable<FileRef>,
  options: { peers?: readonly PeerId[]; onProgress?: (p: FileProgress) => void; log?: (line: string) => void } = {},
): Promise<{ fetched: FileRef[]; failed: { file: FileRef; error: string }[] }> {
  const fetched: FileRef[] = []
  const failed: { file: FileRef; error: string }[] = []
  for (const file of files) {
    if (await store.has(file.hash)) continue
    try {
      await fetchBlob(node, store, file, {
        ...(options.peers === undefined ? {} : { peers: options.peers }),
        onProgress: (blob) => options.onProgress?.({ file, blob }),
      })
      fetched.push(file)
    } catch (err) {
      options.log?.(`cannot fetch "${file.name}" (${file.hash}): ${(err as Error).message}`)
      failed.push({ file, error: (err as Error).message })
    }
  }
  return { fetched, failed }
}

/**
 * Waits until `peer` reports holding every one of `hashes` (it fetches them from us meanwhile: a
 * hub keeps the files of the designs it holds). Gives up after FILES_SETTLE_TIMEOUT_MS and returns
 * what is still missing there.
 */
export async function filesSettled(node: CosmoNode, peer: PeerId, hashes: readonly BlobHash[]): Promise<BlobHash[]> {
  const end = Date.now() + FILES_SETTLE_TIMEOUT_MS
  let missing = [...hashes]
  while (missing.length > 0) {
    const have = await whoHas(node, [peer], missing)
    missing = missing.filter((h) => !have.has(h))
    if (missing.length === 0 || Date.now() > end) break
    await new Promise((r) => setTimeout(r, 200))
  }
  return missing
}

/**
 * A hub's attachments: whenever a design it holds references a blob it lacks, fetch it from the
 * connected peers that have it (a `have` query to each: the peer that just sent the design is
 * among them). Runs after changes (debounced), when a peer connects, and on a timer.
 */
export class FileKeeper {
  readonly #node: CosmoNode
  readonly #store: BlobStore
  readonly #shared: HeldFiles
  readonly #log: (line: string) => void
  #timer: ReturnType<typeof setTimeout> | undefined
  #running: Promise<void> | null = null
  #again = false
  #stopped = false

  constructor(node: CosmoNode, store: BlobStore, shared: HeldFiles, log: (line: string) => void) {
    this.#node = node
    this.#store = store
    this.#shared = shared
    this.#log = log
  }

  /** Runs soon (changes arrive in bursts: at most one pass per delay). */
  schedule(delayMs = 500): void {
    if (this.#stopped || this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.run().catch((err: Error) => this.#log(`keeping files: ${err.message}`))
    }, delayMs)
    this.#timer.unref?.()
  }

  /** One pass: every referenced blob missing here is fetched if some connected peer has it. */
  async run(): Promise<void> {
    if (this.#running !== null) {
      this.#again = true
      return await this.#running
    }
    this.#running = (async () => {
      do {
        this.#again = false
        const files = await this.#shared.all()
        const missing: FileRef[] = []
        for (const f of files.values()) if (!(await this.#store.has(f.hash))) missing.push(f)
        if (missing.length === 0 || this.#stopped) continue
        const holders = await whoHas(this.#node, connectedPeers(this.#node), missing.map((f) => f.hash))
        const reachable = missing.filter((f) => holders.has(f.hash))
        for (const f of reachable) {
          if (this.#stopped) break
          await fetchBlob(this.#node, this.#store, f, { peers: holders.get(f.hash)!, askConnected: false }).then(
            () => this.#log(`kept "${f.name}" (${f.hash}, ${f.size} bytes)`),
            (err: Error) => this.#log(`cannot keep "${f.name}" (${f.hash}): ${err.message}`),
          )
        }
      } while (this.#again && !this.#stopped)
    })().finally(() => {
      this.#running = null
    })
    return await this.#running
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#running?.catch(() => undefined)
  }
}
