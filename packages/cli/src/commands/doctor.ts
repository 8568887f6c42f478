/** `cosmo doctor`: checks the home's store, and lists damaged chunks set aside and documents to fetch again. */
import { toUrl } from '@cosmolocal/core'
import { examineStore, type DoctorReport } from '@cosmolocal/storage'
import type { CommandRun } from '../command.js'
import { plural, table } from '../output.js'

export const doctorCommands: CommandRun[] = [
  {
    name: 'doctor',
    async run({ home, out }) {
      const report = await examineStore((await home.openedStore()).storage)
      out.result(shape(report), () => render(report))
    },
  },
]

function shape(r: DoctorReport) {
  return {
    store: r.store,
    quarantine: r.quarantine,
    documents: r.documents,
    setAside: r.setAside,
    temporaryFilesRemoved: r.temporaryFilesRemoved,
    quarantined: r.quarantined.map((q) => ({
      document: q.documentId === null ? null : toUrl(q.documentId),
      key: q.key,
      problem: q.problem,
      bytes: q.bytes,
      at: q.at,
      file: q.chunk,
    })),
    refetch: r.refetch.map((d) => ({ document: toUrl(d.document), reason: d.reason })),
  }
}

const REASONS = {
  'all-chunks-set-aside': 'every chunk of it was damaged and set aside',
  'does-not-load': 'what is left of it does not load',
  'missing-changes': 'a damaged chunk held changes the rest needs',
} as const

function render(r: DoctorReport): string[] {
  const lines = [
    `${r.store}: ${plural(r.documents, 'document')} checked, ${plural(r.quarantined.length, 'damaged chunk')} set aside${r.setAside > 0 ? ` (${r.setAside} just now)` : ''}${r.temporaryFilesRemoved > 0 ? `, ${plural(r.temporaryFilesRemoved, 'leftover temporary file')} removed` : ''}`,
  ]
  if (r.quarantined.length > 0) {
    lines.push(`set aside in ${r.quarantine}:`)
    lines.push(...table(r.quarantined.map((q) => [q.chunk, q.documentId === null ? '(no record)' : toUrl(q.documentId), q.key.slice(1).join('/'), `${q.problem}, ${plural(q.bytes, 'byte')}`]), '  '))
  }
  if (r.refetch.length === 0) lines.push('nothing to fetch again')
  else {
    lines.push('to fetch again from a peer that holds them (cosmo pull / cosmo sync) or a bundle:')
    lines.push(...table(r.refetch.map((d) => [toUrl(d.document), REASONS[d.reason]]), '  '))
  }
  return lines
}
