/** OKH v1 (`okh.yml`) read into a new design's input: the field mapping is in docs/okh.md. */
import type { DesignInit } from '../commons/editing.js'
import { type MetaKey } from '../details.js'
import { MAX_PARTS, MAX_SOFTWARE } from '../limits.js'
import { parseTag } from '../schema.js'
import { Draft, Reader, type Table } from './read.js'

// ---- OKH v1 ----------------------------------------------------------------------------------

/** OKH v1 fields a design has no place for: reported, not kept. */
const V1_NOT_KEPT = new Set([
  'date-created', 'date-updated', 'manifest-author', 'manifest-language', 'manifest_language', 'contact', 'contributors',
  'standards-used', 'sub', 'tool-list', 'risk-assessment', 'tool-settings', 'quality-instructions',
  'maintenance-instructions', 'disposal-instructions', 'okh-manifest-version', 'manifest-is-translation',
  'documentation-is-translation',
])

export function readV1(t: Table, r: Reader): DesignInit {
  const d = new Draft(r)
  const docs = (key: string) => r.tables(t[key], key).map((e, i) => ({ path: r.link(e.path, `${key}[${i}].path`), title: r.text(e.title, `${key}[${i}].title`) })).filter((e) => e.path !== '')
  const firstDoc = (key: string, meta: MetaKey) => {
    const list = docs(key)
    if (list.length > 1) r.warn(key, `${list.length} entries: kept the first (${list[0]!.path})`)
    if (list[0]) d.setMeta(meta, list[0].path)
  }
  const made = t['made-independently'] === true ? 'OTRL-5' : t.made === true ? 'OTRL-4' : null
  for (const [key, v] of Object.entries(t)) {
    switch (key) {
      case 'title':
        d.title = r.text(v, key)
        break
      case 'description':
        d.describe(v, key)
        break
      case 'intended-use':
      case 'indended-use':
        if (typeof v === 'string' && v.trim() !== '') d.addReadme(v, key, 'Intended use')
        break
      case 'health-safety-notice':
        if (typeof v === 'string' && v.trim() !== '') d.addReadme(v, key, 'Health and safety')
        break
      case 'keywords':
        for (const k of r.list(v, key, key, (x, p) => r.text(x, p))) {
          try {
            const tag = parseTag(k)
            if (!d.tags.includes(tag)) d.tags.push(tag)
          } catch {
            r.warn(key, `${JSON.stringify(k)} is not a usable tag: ignored`)
          }
        }
        break
      case 'version':
        d.version = r.text(v, key, { quiet: true })
        break
      case 'license': {
        if (typeof v === 'string') {
          r.warn(key, 'a single licence where OKH v1 has hardware / documentation / software: read as the hardware licence')
          d.licence('hardware', v, key)
          break
        }
        const table = r.table(v, key)
        for (const kind of ['hardware', 'documentation', 'software'] as const) if (table?.[kind] !== undefined) d.licence(kind, table[kind], `${key}.${kind}`)
        for (const k of Object.keys(table ?? {})) if (!['hardware', 'documentation', 'software'].includes(k)) r.warn(`${key}.${k}`, 'unknown key: ignored')
        break
      }
      case 'licensor': {
        if (typeof v === 'string') {
          d.licensor = r.text(v, key)
          break
        }
        const table = r.table(v, key)
        if (table === null) break
        const name = r.text(table.name, `${key}.name`)
        const email = r.text(table.email, `${key}.email`)
        d.licensor = email === '' ? name : `${name} <${email}>`.trim()
        d.setMeta('organization', r.text(table.affiliation, `${key}.affiliation`))
        break
      }
      case 'documentation-home':
        d.setMeta('repo', r.link(v, key))
        break
      case 'project-link':
        if (t['documentation-home'] === undefined) d.setMeta('repo', r.link(v, key))
        else r.warn(key, 'not imported: documentation-home is kept as the repository')
        break
      case 'archive-download':
        d.setMeta('release', r.link(v, key))
        break
      case 'image':
        d.setMeta('image', r.link(v, key))
        break
      case 'bom':
        d.bomRef = r.link(v, key)
        break
      case 'documentation-language':
      case 'documentation_language':
        d.language(v, key)
        break
      case 'development-stage':
        if (made === null && r.text(v, key).toLowerCase() === 'prototype') d.technology = 'OTRL-4'
        else if (made === null) r.warn(key, `${JSON.stringify(r.text(v, key))} has no OTRL equivalent: technology readiness left unset`)
        break
      case 'made':
      case 'made-independently':
        if (typeof v !== 'boolean') r.warn(key, 'not true or false: ignored')
        else if (made !== null) d.technology = made
        break
      case 'derivative-of':
      case 'variant-of': {
        const table = r.table(v, key)
        if (table === null) break
        const origin = r.link(table.web, `${key}.web`) || r.link(table.manifest, `${key}.manifest`) || r.text(table.title ?? table.name, `${key}.title`)
        if (d.meta.forkOf !== undefined) r.warn(key, 'a second origin: ignored')
        else d.setMeta('forkOf', origin)
        break
      }
      case 'design-files':
      case 'schematics':
      case 'manufacturing-files':
        for (const e of docs(key)) {
          if (d.parts.length >= MAX_PARTS) {
            r.warn(key, `more than ${MAX_PARTS} parts: the rest are ignored`)
            break
          }
          const name = e.title || e.path.split('/').filter(Boolean).pop() || e.path
          d.parts.push(key === 'manufacturing-files' ? { name, export: [e.path] } : { name, source: [e.path] })
        }
        break
      case 'making-instructions':
        firstDoc(key, 'manufacturingInstructions')
        break
      case 'operating-instructions':
        firstDoc(key, 'userManual')
        break
      case 'software':
        for (const e of docs(key).slice(0, MAX_SOFTWARE)) d.software.push({ release: e.path })
        break
      default:
        if (V1_NOT_KEPT.has(key)) r.warn(key, 'not imported: a design has no place for it')
        else r.warn(key, 'not an OKH v1 key: ignored')
    }
  }
  return d.build()
}
