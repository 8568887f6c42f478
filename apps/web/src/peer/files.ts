/**
 * Attachments in the browser: bytes live in IndexedDB (`IdbBlobStore`, database `cosmolocal-blobs`),
 * this browser serves them over the blob protocol to its hub and other peers (only files that the
 * canonical content of a verified design it holds references: the hub's policy), and fetches the
 * files of the designs people open, verified chunk by chunk, with progress.
 */
import { type BlobHash, type BlobStore, type Commons, type FileRef, type FileRole, type VerifiedDesign } from '@cosmolocal/core'
import { SharedFiles, type BlobService } from '@cosmolocal/net/browser'
import type { Libp2p } from '@libp2p/interface'
import { createSignal } from 'solid-js'
import type { FileState } from '../components/FilesList.js'
import { describeError } from './errors.js'
import { loadLibrary } from './library.js'

export interface UploadCallbacks {
  /** Bytes of the file read (and hashed) so far. */
  onProgress?(loaded: number, total: number): void
  /** What the file is for; default: guessed from its name (core's `guessFileType`). */
  role?: FileRole
}

/** Reads a File as a stream of pieces, reporting how much was read. */
async function* readFile(file: Blob, onProgress?: (loaded: number) => void): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader()
  let loaded = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      loaded += value.byteLength
      onProgress?.(loaded)
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

/** The network this needs (the node and the blob protocol), loaded after the first render (network.ts). */
export interface FilesNetwork {
  readonly node: Libp2p
  readonly module: Pick<typeof import('./network.js'), 'BlobService' | 'fetchBlob'>
}

export class BrowserFiles {
  readonly store: BlobStore
  readonly shared: SharedFiles
  /** Starts the network if need be and resolves once it is up (the page renders before it is). */
  readonly #network: () => Promise<FilesNetwork>
  readonly #commons: Commons
  #service: BlobService | null = null
  readonly #states = new Map<BlobHash, FileState>()
  readonly #version = createSignal(0)
  #stopped = false

  constructor(network: () => Promise<FilesNetwork>, commons: Commons, store: BlobStore) {
    this.#network = network
    this.#commons = commons
    this.store = store
    // The designs this browser holds are its library's local ones.
    this.shared = new SharedFiles(commons, async () => loadLibrary().filter((item) => item.local).map((item) => item.url))
  }

  /** Serves this browser's files over the blob protocol, once the node is up. */
  async start(): Promise<void> {
    const { node, module } = await this.#network()
    if (this.#stopped || this.#service !== null) return
    this.#service = new module.BlobService(node, {
      store: this.store,
      mayServe: (h) => this.shared.has(h),
      log: (line) => console.warn(`files: ${line}`),
    })
    await this.#service.start()
  }

  /**
   * Loads the designs this browser holds (its library) from IndexedDB so that their files are
   * served even before they are opened again: an upload made offline reaches the hub when it next
   * asks. Loading only: `SharedFiles` verifies them when a peer first asks for a file, not at
   * start-up while the first page renders.
   */
  async loadHeld(): Promise<void> {
    for (const item of loadLibrary()) {
      if (this.#stopped) return
      if (!item.local) continue
      await this.#commons.documentHeads(item.url).catch(() => undefined)
    }
    this.shared.invalidate()
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await this.#service?.stop()
  }

  #set(hash: BlobHash, state: FileState | undefined): void {
    if (state === undefined) this.#states.delete(hash)
    else this.#states.set(hash, state)
    this.#version[1]((v) => v + 1)
  }

  /** What this browser knows about a file's bytes (reactive). Unknown until `check` or `fetch` ran: 'missing'. */
  state(file: FileRef): FileState {
    this.#version[0]()
    return this.#states.get(file.hash) ?? { kind: 'missing' }
  }

  /** Looks in the store and records whether the file is here. */
  async check(file: FileRef): Promise<boolean> {
    const here = await this.store.has(file.hash)
    const now = this.#states.get(file.hash)
    if (here && now?.kind !== 'available') this.#set(file.hash, { kind: 'available' })
    return here
  }

  /**
   * Makes sure the file's bytes are here, fetching them (from the hub or any connected peer that
   * has them) when they are not. Never throws: a failure leaves the state 'missing' with the reason.
   */
  async fetch(file: FileRef): Promise<boolean> {
    if (await this.check(file)) return true
    this.#set(file.hash, { kind: 'fetching', loaded: 0 })
    try {
      const { node, module } = await this.#network()
      await module.fetchBlob(node, this.store, file, {
        onProgress: (p) => this.#set(file.hash, { kind: 'fetching', loaded: p.receivedBytes }),
      })
      this.#set(file.hash, { kind: 'available' })
      return true
    } catch (err) {
      this.#set(file.hash, { kind: 'missing', reason: describeError(err) })
      return false
    }
  }

  /** Attaches a file to a design (maintainers only): stored here first, then referenced in the design. */
  async upload(design: VerifiedDesign | string, file: File, callbacks: UploadCallbacks = {}): Promise<FileRef> {
    const url = typeof design === 'string' ? design : design.url
    const total = file.size
    const result = await this.#commons.attachFile(url, {
      name: file.name,
      data: readFile(file, (loaded) => callbacks.onProgress?.(loaded, total)),
      // Browsers give '' for types they do not know: core guesses from the name then.
      ...(file.type === '' ? {} : { mediaType: file.type.toLowerCase() }),
      ...(callbacks.role === undefined ? {} : { role: callbacks.role }),
    })
    this.shared.invalidate()
    this.#set(result.hash, { kind: 'available' })
    return result.file
  }

  /** The file's bytes (it must be here). */
  async bytes(file: FileRef): Promise<Uint8Array> {
    return await this.store.get(file.hash)
  }

  /** The file as a Blob of its media type, assembled chunk by chunk (it must be here). */
  async blob(file: FileRef): Promise<Blob> {
    const parts: BlobPart[] = []
    for await (const chunk of this.store.stream(file.hash)) parts.push(chunk as Uint8Array<ArrayBuffer>)
    return new Blob(parts, { type: file.mediaType || 'application/octet-stream' })
  }
}

/** Saves a Blob to the person's device under `name` (the browser's download). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  document.body.append(a)
  a.click()
  a.remove()
  // The download has started from the URL by now; give it a moment before letting it go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
