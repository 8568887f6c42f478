/**
 * A Cosmolocal home: the directory holding one person's store, key file and index.
 *
 *   <home>/repo/          automerge-repo NodeFS store
 *   <home>/blobs/         attachment bytes by sha-256 (FsBlobStore)
 *   <home>/identity.json  key file (0600)
 *   <home>/index.json     designs and proposals this home knows
 *
 * The home is opened once per command; the store and the identity are loaded only when the
 * command needs them (the store modules too: a local command never loads the network one), and
 * `close()` flushes and shuts everything down.
 */
import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { readFile } from 'node:fs/promises'
import type { Commons, Identity } from '@cosmolocal/core'
import { InvalidInputError, NoIdentityError } from '@cosmolocal/core/errors'
import { summarizeIdentityFile, type IdentitySummary } from '@cosmolocal/core/identity-file'
import { isMissingFile } from './files.js'
import type { KnownIndex } from './known.js'
import type { Store } from './store.js'

export const HOME_DIR_MODE = 0o700

/** `--home`, else `$COSMO_HOME`, else `~/.cosmolocal`. */
export function resolveHome(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const chosen = flag ?? (env.COSMO_HOME || undefined) ?? join(homedir(), '.cosmolocal')
  return resolve(chosen)
}

export class Home {
  private store: Store | null = null
  private commonsInstance: Commons | null = null
  private identityLoaded: { value: Identity | null } | null = null
  private indexInstance: KnownIndex | null = null

  private constructor(
    readonly dir: string,
    /** The hub's store, when this command runs inside `cosmo serve`. */
    private readonly lent: Store | null,
  ) {}

  /** Opens (creating if needed, mode 0700) the home directory. */
  static async open(dir: string, lent: Store | null = null): Promise<Home> {
    await mkdir(dir, { recursive: true, mode: HOME_DIR_MODE })
    return new Home(dir, lent)
  }

  /** True when this command runs inside the hub serving this home. */
  get served(): boolean {
    return this.lent !== null
  }

  get identityPath(): string {
    return join(this.dir, 'identity.json')
  }

  get indexPath(): string {
    return join(this.dir, 'index.json')
  }

  /** The identity in the key file, or null. */
  async identity(): Promise<Identity | null> {
    if (this.identityLoaded === null) this.identityLoaded = { value: await (await import('./keyfile.js')).readKeyFile(this.identityPath) }
    return this.identityLoaded.value
  }

  /**
   * Who the key file says this home is (the id checked against its key), without loading what
   * signing needs: for commands that only show it.
   */
  async identitySummary(): Promise<IdentitySummary> {
    let text: string
    try {
      text = await readFile(this.identityPath, 'utf8')
    } catch (err) {
      if (isMissingFile(err)) throw new NoIdentityError(`no identity in ${this.dir} yet: create one with \`cosmo id init --name NAME\``)
      throw err
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      throw new InvalidInputError(`identity file ${this.identityPath} is not valid JSON`)
    }
    return await summarizeIdentityFile(raw)
  }

  /** Drops the cached identity (after the key file was written). */
  forgetIdentity(): void {
    this.identityLoaded = null
  }

  async requireIdentity(): Promise<Identity> {
    const me = await this.identity()
    if (me === null) throw new NoIdentityError(`no identity in ${this.dir} yet: create one with \`cosmo id init --name NAME\``)
    return me
  }

  /** Core's operations over this home's store, as this home's identity (if it has one). */
  async commons(): Promise<Commons> {
    if (this.commonsInstance === null) {
      const identity = await this.identity()
      const { Commons } = await import('@cosmolocal/core')
      this.store = this.lent ?? (await (await import('./store.js')).openStore(this.dir))
      this.commonsInstance = new Commons(this.store.repo, identity, this.store.blobs, { cache: await this.#cache() })
    }
    return this.commonsInstance
  }

  get cachePath(): string {
    return join(this.dir, 'cache')
  }

  /** Verified state kept between commands (`<home>/cache/`): a shortcut to what history says, rebuilt when missing or damaged. */
  async #cache() {
    const { FsCacheBackend } = await import('@cosmolocal/storage')
    return new FsCacheBackend(this.cachePath)
  }

  /** The store (opened as for `commons()`), for commands that examine the store itself. */
  async openedStore(): Promise<Store> {
    await this.commons()
    return this.store!
  }

  /**
   * The store with a libp2p node, for commands that talk to peers: the hub's own when served,
   * else a node with this home's key. Must be called before `commons()` in such commands.
   */
  async network(): Promise<{ store: Store; commons: Commons; node: NonNullable<Store['node']>; share: NonNullable<Store['share']> }> {
    if (this.store === null) {
      this.store =
        this.lent ??
        (await (await import('./store-network.js')).openNetworkStore(this.dir, await this.requireIdentity(), async () =>
          (await this.index()).designs.map((d) => d.design),
        ))
      const { Commons } = await import('@cosmolocal/core')
      this.commonsInstance = new Commons(this.store.repo, await this.identity(), this.store.blobs, { cache: await this.#cache() })
    }
    if (this.store.node === null || this.store.share === null) throw new Error('the store was opened without a network node')
    return { store: this.store, commons: this.commonsInstance!, node: this.store.node, share: this.store.share }
  }

  async index(): Promise<KnownIndex> {
    if (this.indexInstance === null) {
      // Loaded when first asked for: a command that only reads the key never needs it.
      const { KnownIndex } = await import('./known.js')
      this.indexInstance = await KnownIndex.load(this.indexPath)
    }
    return this.indexInstance
  }

  /** Saves the index (if changed), flushes the store and shuts it down. */
  async close(): Promise<void> {
    const store = this.store
    const commons = this.commonsInstance
    this.store = null
    this.commonsInstance = null
    // What the command wrote, and the verified state it cached, before the store closes.
    await commons?.settled()
    // The store first: the index must never name a design whose documents did not reach the disk.
    // A lent store (the hub's) is flushed and settled, never shut down.
    if (store?.shared) await (await import('./store.js')).flushStore(store)
    else await store?.close()
    await this.indexInstance?.save()
  }
}
