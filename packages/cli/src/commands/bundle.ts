/** `cosmo bundle`: carry designs and proposals between homes as a file (no network). */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { collectBundle, collectBundleBlobs, encodeBundle, importBundle, NotFoundError, parseDocumentId, type BundleProgress } from '@cosmolocal/core'
import { requiredString } from '../args.js'
import type { CommandRun } from '../command.js'
import { atomicWriteFile } from '@cosmolocal/storage/atomic-file'
import { isMissingFile } from '../files.js'
import type { Output } from '../output.js'

export const bundleCommands: CommandRun[] = [
  {
    name: 'bundle export',
    async run({ positionals, values, home, out }) {
      const file = resolve(requiredString(values, 'out'))
      const me = await home.requireIdentity()
      const commons = await home.commons()
      out.progress(`collecting ${positionals.length === 1 ? positionals[0] : `${positionals.length} designs or proposals`}…`)
      const docs = await collectBundle(commons, positionals)
      const roots = [...new Set(positionals.map((p) => parseDocumentId(p)))]
      const { blobs, missing } = await collectBundleBlobs(commons, docs)
      const bytes = await encodeBundle(me, roots, docs, blobs)
      out.progress(`writing ${docs.size} documents and ${blobs.size} files (${bytes.length} bytes) to ${file}…`)
      await atomicWriteFile(file, bytes)
      for (const f of missing) out.note(`note: the bytes of "${f.name}" (${f.hash}) are not in this home; the bundle carries its reference only`)
      out.result({ out: file, documents: docs.size, files: blobs.size, missing: missing.map((f) => f.hash) }, () => `wrote ${docs.size} documents and ${blobs.size} files to ${file}`)
    },
  },
  {
    name: 'bundle import',
    async run({ positionals, home, out }) {
      const file = resolve(positionals[0]!)
      let bytes: Uint8Array
      try {
        bytes = await readFile(file)
      } catch (err) {
        if (isMissingFile(err)) throw new NotFoundError(`no such bundle file: ${file}`)
        throw err
      }
      const commons = await home.commons()
      const result = await importBundle(commons, bytes, progressReporter(out), commons.blobs)
      const index = await home.index()
      for (const d of result.designs) index.addDesign(d, 'imported')
      out.result(result, () => [
        `imported ${result.designs.length} design(s) from a bundle sealed by ${result.exportedBy}`,
        ...result.designs.map((d) => `  ${d}`),
      ])
    },
  },
]

function progressReporter(out: Output): (p: BundleProgress) => void {
  let last = ''
  return (p) => {
    // One line per phase, and its end: enough to see that a large bundle is moving.
    const line = `${p.phase}: ${p.done}/${p.total}`
    if (p.done === p.total || p.done === 1 || p.done % 100 === 0) {
      if (line !== last) out.progress(line)
      last = line
    }
  }
}
