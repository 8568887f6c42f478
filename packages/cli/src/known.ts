/**
 * `<home>/index.json`: the designs this home knows (created, forked or imported) and the
 * proposals it made, so that `cosmo design list` has something to list. A convenience only:
 * everything in it is verified again when read from the store.
 */
import { readFile } from 'node:fs/promises'
import { InvalidInputError } from '@cosmolocal/core/errors'
import { atomicWriteFile } from '@cosmolocal/storage/atomic-file'
import { isMissingFile } from './files.js'

export type DesignRole = 'created' | 'forked' | 'imported'

export interface KnownDesign {
  design: string
  role: DesignRole
  added: string
}

export interface KnownProposal {
  proposal: string
  target: string
  added: string
}

interface KnownFile {
  version: 1
  designs: KnownDesign[]
  proposals: KnownProposal[]
}

export class KnownIndex {
  private dirty = false

  private constructor(
    readonly path: string,
    private readonly file: KnownFile,
  ) {}

  static async load(path: string): Promise<KnownIndex> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      if (isMissingFile(err)) return new KnownIndex(path, { version: 1, designs: [], proposals: [] })
      throw err
    }
    let raw: Partial<KnownFile>
    try {
      raw = JSON.parse(text) as Partial<KnownFile>
    } catch {
      throw new InvalidInputError(`${path} is not valid JSON`)
    }
    if (raw.version !== 1 || !Array.isArray(raw.designs) || !Array.isArray(raw.proposals)) {
      throw new InvalidInputError(`${path} is not a Cosmolocal index file`)
    }
    return new KnownIndex(path, { version: 1, designs: raw.designs, proposals: raw.proposals })
  }

  get designs(): readonly KnownDesign[] {
    return this.file.designs
  }

  get proposals(): readonly KnownProposal[] {
    return this.file.proposals
  }

  /** Records a design; a design already known keeps the role it was first known by. */
  addDesign(design: string, role: DesignRole): void {
    if (this.file.designs.some((d) => d.design === design)) return
    this.file.designs.push({ design, role, added: new Date().toISOString() })
    this.dirty = true
  }

  addProposal(proposal: string, target: string): void {
    if (this.file.proposals.some((p) => p.proposal === proposal)) return
    this.file.proposals.push({ proposal, target, added: new Date().toISOString() })
    this.dirty = true
  }

  async save(): Promise<void> {
    if (!this.dirty) return
    await atomicWriteFile(this.path, `${JSON.stringify(this.file, null, 2)}\n`)
    this.dirty = false
  }
}
