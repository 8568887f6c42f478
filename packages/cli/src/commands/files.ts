/** `cosmo attach`, `cosmo files`, `cosmo file get|rm`: a design's attachments, stored by content hash. */
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { BlobNotFoundError, MAX_BLOB_BYTES, NotFoundError, InvalidInputError, type FileRef } from '@cosmolocal/core'
import { requiredString, stringOption } from '../args.js'
import type { CommandRun } from '../command.js'
import { isMissingFile } from '../files.js'
import { table } from '../output.js'
import { designUrl } from './shared.js'

function fileRow(f: FileRef & { present?: boolean }) {
  return { id: f.id, name: f.name, role: f.role, mediaType: f.mediaType, size: f.size, hash: f.hash, root: f.root, present: f.present ?? false }
}

export const fileCommands: CommandRun[] = [
  {
    name: 'attach',
    async run({ positionals, values, home, out }) {
      const path = resolve(positionals[1]!)
      let size: number
      try {
        const s = await stat(path)
        if (!s.isFile()) throw new InvalidInputError(`not a file: ${path}`)
        size = s.size
      } catch (err) {
        if (isMissingFile(err)) throw new NotFoundError(`no such file: ${path}`)
        throw err
      }
      if (size > MAX_BLOB_BYTES) throw new InvalidInputError(`${path} is larger than the ${MAX_BLOB_BYTES}-byte limit for attachments`)
      const commons = await home.commons()
      const role = stringOption(values, 'role')
      const mediaType = stringOption(values, 'media-type')
      out.progress(`storing ${path} (${size} bytes)…`)
      const result = await commons.attachFile(positionals[0]!, {
        name: stringOption(values, 'name') ?? basename(path),
        data: createReadStream(path) as AsyncIterable<Uint8Array>,
        ...(role === undefined ? {} : { role }),
        ...(mediaType === undefined ? {} : { mediaType }),
      })
      out.result({ id: result.id, hash: result.hash }, () => `attached "${result.file.name}" as ${result.id} (${result.file.role}, ${result.file.mediaType}, sha-256 ${result.hash})`)
    },
  },
  {
    name: 'files',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const rows = (await commons.files(positionals[0]!)).map(fileRow)
      out.result(rows, () =>
        rows.length === 0
          ? 'no files'
          : table(rows.map((f) => [f.id, f.name, f.role, f.mediaType, `${f.size} B`, f.present ? 'here' : 'not here', f.hash.slice(0, 12)])),
      )
    },
  },
  {
    name: 'file get',
    async run({ positionals, values, home, out }) {
      const target = resolve(requiredString(values, 'out'))
      const peer = stringOption(values, 'peer')
      const network = peer !== undefined || home.served ? await home.network() : null
      const commons = network?.commons ?? (await home.commons())
      const blobs = commons.blobs!
      const file = await commons.file(positionals[0]!, positionals[1]!)
      let fetched = false
      if (!(await blobs.has(file.hash))) {
        if (network === null) {
          throw new BlobNotFoundError(`the bytes of "${file.name}" are not in this home: give --peer MULTIADDR (a hub or peer that has them)`, {
            hash: file.hash,
          })
        }
        // Only this path talks to peers: the network packages load here, not for every file command.
        const [{ connectTo }, { fetchBlob }] = await Promise.all([import('@cosmolocal/hub'), import('@cosmolocal/net')])
        const peers = []
        if (peer !== undefined) {
          out.progress(`connecting to ${peer}…`)
          peers.push((await connectTo(network.node, network.store.repo, peer)).peer)
        }
        await fetchBlob(network.node, blobs, file, {
          peers,
          onProgress: (p) => out.bar(p.receivedBytes, p.totalBytes, file.name),
        })
        fetched = true
      }
      // Written beside the target and renamed over it: PATH is never half a file.
      const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
      try {
        await pipeline(Readable.from(blobs.stream(file.hash)), createWriteStream(tmp, { flags: 'wx' }))
        await rename(tmp, target)
      } catch (err) {
        await rm(tmp, { force: true })
        throw err
      }
      out.result({ ...fileRow(file), present: true, out: target, fetched }, () => `wrote "${file.name}" (${file.size} bytes${fetched ? ', fetched' : ''}) to ${target}`)
    },
  },
  {
    name: 'file rm',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const heads = await commons.removeFile(positionals[0]!, positionals[1]!)
      out.result({ design: designUrl(positionals[0]!), id: positionals[1], heads }, () => `removed file ${positionals[1]}`)
    },
  },
]
