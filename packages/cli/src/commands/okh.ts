/** `cosmo import okh` / `cosmo export okh`: Open Know-How manifests (OKH-LOSH okh.toml, OKH v1 okh.yml). */
import { readFile, stat } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import { exportOkh, importOkh, InvalidInputError, MAX_OKH_MANIFEST_LENGTH, NotFoundError, toUrl, type LicenceWarning, type OkhWarning } from '@cosmolocal/core'
import { requiredString } from '../args.js'
import type { CommandRun } from '../command.js'
import { atomicWriteFile } from '@cosmolocal/storage/atomic-file'
import { isMissingFile } from '../files.js'
import type { Output } from '../output.js'

export const okhCommands: CommandRun[] = [
  {
    name: 'import okh',
    async run({ positionals, home, out }) {
      const file = resolve(positionals[0]!)
      const text = await readManifest(file)
      const ext = extname(file).toLowerCase()
      const syntax = ext === '.toml' ? 'toml' : ext === '.yml' || ext === '.yaml' ? 'yaml' : undefined
      const imported = importOkh(text, syntax === undefined ? {} : { syntax })
      const commons = await home.commons()
      const url = toUrl(await commons.createDesign(imported.design))
      ;(await home.index()).addDesign(url, 'imported')
      if (!out.json) noteWarnings(out, imported.warnings)
      out.result({ design: url, format: imported.format, warnings: imported.warnings }, () => url)
    },
  },
  {
    name: 'export okh',
    async run({ positionals, values, home, out }) {
      const file = resolve(requiredString(values, 'out'))
      const commons = await home.commons()
      const d = await commons.design(positionals[0]!)
      const contributors = (await commons.contributions(d)).contributors.map((c) => ({ id: c.id, name: c.name }))
      const manifest = exportOkh({ content: d.content, url: d.url, forkedFrom: d.forkedFrom?.url ?? null, contributors })
      await atomicWriteFile(file, manifest.text)
      if (!out.json) noteWarnings(out, manifest.warnings)
      out.result({ out: file, warnings: manifest.warnings }, () => `wrote ${file}`)
    },
  },
]

async function readManifest(file: string): Promise<string> {
  try {
    // Characters never outnumber bytes: a file over 4 bytes per allowed character is refused unread.
    if ((await stat(file)).size > MAX_OKH_MANIFEST_LENGTH * 4) {
      throw new InvalidInputError(`${file} is too large to be an OKH manifest (over ${MAX_OKH_MANIFEST_LENGTH} characters)`)
    }
    return await readFile(file, 'utf8')
  } catch (err) {
    if (isMissingFile(err)) throw new NotFoundError(`no such manifest file: ${file}`)
    throw err
  }
}

function noteWarnings(out: Output, warnings: readonly OkhWarning[]): void {
  for (const w of warnings) out.note(`warning: ${w.path === '' ? '' : `${w.path}: `}${w.problem}`)
}

/** Licence warnings as notes on stderr, one line each. */
export function noteLicenceWarnings(out: Output, warnings: readonly LicenceWarning[]): void {
  for (const w of warnings) out.note(`licence warning (${w.field}): ${w.message}`)
}
