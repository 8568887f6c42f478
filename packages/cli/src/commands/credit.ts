/**
 * Who made this: `cosmo contributors` (contribution accounting from signed records), `cosmo make
 * report` / `cosmo makes` (build reports with photos), `cosmo export valueflows` (the same
 * contributions as ValueFlows JSON-LD).
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { InvalidInputError, MAX_MAKE_PHOTO_BYTES, NotFoundError, valueFlows, type ContributorView, type MakeView } from '@cosmolocal/core'
import { atomicWriteFile } from '@cosmolocal/storage/atomic-file'
import { listOption, requiredString, stringOption } from '../args.js'
import type { CommandRun } from '../command.js'
import { isMissingFile } from '../files.js'
import { isoTime, person, plural, table } from '../output.js'

/** A contributor as `cosmo contributors --json` prints them. */
export function contributorJson(c: ContributorView) {
  return {
    id: c.id,
    name: c.name,
    merged: c.merged,
    rows: c.rows,
    steps: c.steps,
    files: c.files,
    reviews: c.reviews,
    merges: c.merges,
    comments: c.comments,
    needs: c.needs,
    makes: c.makes,
    cited: c.cited,
    maintainer: c.maintainer.map((p) => ({ since: isoTime(p.since), until: p.until === null ? null : isoTime(p.until) })),
  }
}

/** A build report as `cosmo makes --json` prints it. */
export function makeJson(m: MakeView) {
  return {
    make: m.make,
    author: m.author,
    authorName: m.authorName,
    time: isoTime(m.time),
    place: m.place,
    result: m.result,
    changes: m.changes,
    notes: m.notes,
    heads: m.heads,
    photos: m.photos.map((p) => p.hash),
  }
}

const COUNTS = ['merged', 'rows', 'steps', 'files', 'reviews', 'merges', 'comments', 'needs', 'makes', 'cited'] as const

export const creditCommands: CommandRun[] = [
  {
    name: 'contributors',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const view = await commons.contributions(positionals[0]!)
      const rows = view.contributors.map(contributorJson)
      for (const m of view.missing) out.note(`note: work from ${m} entered this design, but that design is not in this home: its authors are not credited yet (cosmo pull ${m} --peer …)`)
      out.result(rows, () => [
        ...table([['WHO', ...COUNTS.map((k) => k.toUpperCase())], ...view.contributors.map((c) => [person(c.id, c.name), ...COUNTS.map((k) => String(c[k]))])]),
        `(${plural(view.contributors.length, 'contributor')}, from ${plural(view.events.length, 'signed contribution')}; cited: work of the designs this one took content from)`,
      ])
    },
  },
  {
    name: 'make report',
    async run({ positionals, values, home, out }) {
      const paths = (listOption(values, 'photo') ?? []).map((p) => resolve(p))
      const photos = []
      for (const path of paths) {
        await checkPhoto(path)
        photos.push({ name: basename(path), data: createReadStream(path) as AsyncIterable<Uint8Array> })
      }
      const commons = await home.commons()
      const place = stringOption(values, 'place')
      const result = stringOption(values, 'result')
      const changes = stringOption(values, 'changes')
      const notes = stringOption(values, 'notes')
      const { make } = await commons.reportMake(positionals[0]!, {
        ...(place === undefined ? {} : { place }),
        ...(result === undefined ? {} : { result }),
        ...(changes === undefined ? {} : { changes }),
        ...(notes === undefined ? {} : { notes }),
        photos,
      })
      out.result({ make }, () => `reported a build (${make.slice(0, 12)}); it travels with the design's inbox on the next sync`)
    },
  },
  {
    name: 'makes',
    async run({ positionals, home, out }) {
      const commons = await home.commons()
      const view = await commons.makes(positionals[0]!)
      const rows = view.makes.map(makeJson)
      out.result(rows, () =>
        rows.length === 0
          ? 'no build reports yet (cosmo make report URL --place "Town, CC" --photo FILE)'
          : view.makes.map(
              (m) =>
                `${isoTime(m.time).slice(0, 10)}  ${person(m.author, m.authorName)}  ${m.result}${m.place === '' ? '' : `  in ${m.place}`}${m.photos.length === 0 ? '' : `  (${plural(m.photos.length, 'photo')})`}${m.changes === '' ? '' : `\n    changed: ${m.changes}`}`,
            ),
      )
    },
  },
  {
    name: 'export valueflows',
    async run({ positionals, values, home, out }) {
      const file = resolve(requiredString(values, 'out'))
      const commons = await home.commons()
      const view = await commons.contributions(positionals[0]!)
      const makes = await commons.makes(positionals[0]!)
      const doc = valueFlows(view, makes.makes)
      await atomicWriteFile(file, `${JSON.stringify(doc, null, 2)}\n`)
      out.result({ out: file, events: view.events.length, agents: view.contributors.length }, () => `wrote ${plural(view.events.length, 'economic event')} to ${file}`)
    },
  },
]

async function checkPhoto(path: string): Promise<void> {
  try {
    const s = await stat(path)
    if (!s.isFile()) throw new InvalidInputError(`not a file: ${path}`)
    if (s.size > MAX_MAKE_PHOTO_BYTES) throw new InvalidInputError(`${path} is larger than the ${MAX_MAKE_PHOTO_BYTES}-byte limit for a build report's photo`)
  } catch (err) {
    if (isMissingFile(err)) throw new NotFoundError(`no such photo: ${path}`)
    throw err
  }
}
